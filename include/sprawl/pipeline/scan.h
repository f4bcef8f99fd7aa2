// The scan pipeline: the only code that knows every stage. Wires sources
// through the matcher, validator, baseline and verifier to the reporters
// and the store, with a bounded number of tasks in flight.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sprawl/matcher/rule_loader.h"
#include "sprawl/model/finding.h"
#include "sprawl/reporters/reporter.h"
#include "sprawl/sources/open.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/verifier/live.h"

namespace sprawl::pipeline {

/// A checked scan configuration (the CLI builds it from raw options).
struct ScanConfig {
  std::vector<std::string> paths;
  sources::SourceOptions source;
  matcher::RuleSources rules;
  std::string cache_dir;  ///< empty: no database cache
  unsigned threads = 0;   ///< 0: all cores

  reporters::Format format = reporters::Format::kText;
  std::string output_path;  ///< empty: stdout
  bool show_secrets = false;
  bool color = false;
  bool progress = false;
  bool quiet = false;
  bool exit_zero = false;
  model::Confidence min_confidence = model::Confidence::kLow;

  std::string baseline_path;
  std::string write_baseline_path;

  /// Live verification (opt-in): nothing is sent anywhere unless set.
  bool verify = false;
  verifier::LiveOptions live;
  bool only_live = false;
  /// Seconds a verification result kept in the store stays fresh.
  int64_t verify_cache_ttl_s = 7 * 24 * 3600;

  /// SQLite store (--store); empty: none. Records the scan and its
  /// findings, the blobs of git repositories already scanned (incremental
  /// sweeps) and verification results.
  std::string store_path;
  bool store_secrets = false;
};

/// Exit codes, stable and documented.
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

/// Runs a scan and writes the report. Returns the exit code: 2 when any
/// error was recorded (results may be incomplete), else 1 when findings
/// were reported (0 with exit_zero), else 0.
int run_scan(const ScanConfig& config, Diagnostics& diagnostics);

/// What a scan found, before reporting (used by run_scan and by tests).
struct ScanOutcome {
  std::vector<model::Finding> findings;
  reporters::ScanSummary summary;
  std::vector<model::Rule> rules;
};

/// Scans without reporting. Errors that stop the whole scan (no usable
/// rules) are returned; per-input problems go to diagnostics.
[[nodiscard]] Expected<ScanOutcome> scan(const ScanConfig& config,
                                         Diagnostics& diagnostics);

/// `sprawl hook install`: writes the pre-commit hook of the repository at
/// repo_path. Returns the exit code; messages go to err.
int install_hook(const std::string& repo_path, bool force, std::ostream& err);

/// The default database cache directory: $SPRAWL_CACHE_DIR, else
/// $XDG_CACHE_HOME/sprawl, else ~/.cache/sprawl.
std::string default_cache_dir();

}  // namespace sprawl::pipeline
