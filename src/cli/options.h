// Command-line options as typed (RawOptions) and their conversion into a
// checked pipeline configuration. CLI11 lives only in src/cli.
#pragma once

#include <string>
#include <vector>

#include "sprawl/pipeline/scan.h"
#include "sprawl/util/expected.h"

namespace sprawl::cli {

/// `sprawl scan` options exactly as given on the command line.
struct RawScanOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  bool show_secrets = false;
  std::vector<std::string> rules;
  bool no_builtin_rules = false;
  std::string baseline, write_baseline;
  bool exit_zero = false;
  bool quiet = false;
  std::string color = "auto";
  bool no_progress = false;
  std::vector<std::string> exclude;
  std::string max_file_size = "512M";
  unsigned threads = 0;
  std::string cache_dir;
  bool no_cache = false;
  std::string min_confidence = "low";
  bool follow_symlinks = false;
  // git
  bool no_git = false;
  std::vector<std::string> refs;
  bool all_objects = false;
  bool staged = false;
  std::string range, since_commit;
  // live verification
  bool verify = false;
  std::vector<std::string> verify_endpoints;
  double verify_timeout_s = 10.0;
  unsigned verify_concurrency = 8;
  unsigned verify_max_requests = 1000;
  double verify_rate = 5.0;
  std::string verify_ca_file;
  bool only_live = false;
  double verify_cache_days = 7;
  // store
  bool use_store = false;
  std::string store;
  bool store_secrets = false;
  // exports
  std::string slack_workspace, jira_site;
  bool jsonl = false;
};

/// Parses "512M", "2G", "100k" or a byte count.
[[nodiscard]] Expected<uint64_t> parse_size(const std::string& text);

/// Checks raw options and builds the pipeline configuration. Errors name
/// the option.
[[nodiscard]] Expected<pipeline::ScanConfig> make_scan_config(
    const RawScanOptions& raw);

}  // namespace sprawl::cli
