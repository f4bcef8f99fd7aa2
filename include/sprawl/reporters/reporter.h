// Reporters: write findings in one of the output formats. The pipeline calls
// begin, then add for each finding (in a stable order), then end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/util/diagnostics.h"

namespace sprawl::reporters {

enum class Format { kText, kJson, kJsonl, kSarif, kCsv };

/// The format named "text", "json", "jsonl", "sarif" or "csv"; nullopt for
/// any other name (case-sensitive).
std::optional<Format> parse_format(std::string_view name);

/// The name parse_format accepts for format.
std::string_view format_name(Format format);

/// What the summary at the end of a report says.
struct ScanSummary {
  uint64_t inputs_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t findings = 0;
  uint64_t suppressed_inline = 0;
  uint64_t suppressed_baseline = 0;
  double seconds = 0.0;
  std::vector<SkippedInput> skipped;
  std::vector<Diagnostic> diagnostics;
  /// Verification counters (issue 6); zero when --verify was not given.
  uint64_t verify_requests = 0;
  uint64_t verify_capped = 0;
};

struct ReportOptions {
  bool show_secrets = false;
  bool color = false;
  /// Directory that SARIF URIs are made relative to (the scan root).
  std::string base_dir;
  std::string tool_version;
  /// SARIF tool.driver.informationUri; a built-in project URL when empty.
  std::string information_uri;
  /// Rules in use, for SARIF's rule table (all of them or only those that
  /// produced findings).
  const std::vector<model::Rule>* rules = nullptr;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void begin() {}
  virtual void add(const model::Finding& finding) = 0;
  virtual void end(const ScanSummary& summary) = 0;
};

/// Creates a reporter writing to out, which must outlive it.
std::unique_ptr<Reporter> make_reporter(Format format, std::ostream& out,
                                        const ReportOptions& options);

/// Writes the text format's summary (counts, every skipped input, every
/// error and warning) to out, with colour per options.color. For the JSON,
/// JSONL and CSV formats, whose output cannot carry it, the pipeline writes
/// this to stderr so that nothing is dropped silently.
void write_text_summary(std::ostream& out, const ScanSummary& summary,
                        const ReportOptions& options);

/// The secret as it may be printed: a short prefix and the length, e.g.
/// "ghp_Ab12…(40 chars)". Never more than a quarter of the secret.
std::string redact(std::string_view secret);

}  // namespace sprawl::reporters
