// Diagnostics: the user-facing record of inputs that were skipped or failed.
// Every stage reports here instead of dropping input silently; the summary
// and the exit code are derived from it.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "sprawl/util/error.h"

namespace sprawl {

/// Why an input was not (fully) scanned.
enum class SkipReason {
  kBinary,
  kTooLarge,
  kExcluded,
  kUnreadable,
  kSymlink,
  kMalformed,
  kLimit,
  kOther,
};

std::string_view skip_reason_name(SkipReason reason);

struct Diagnostic {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kError;
  Error error;
};

struct SkippedInput {
  std::string input;
  SkipReason reason = SkipReason::kOther;
  std::string detail;
};

/// Thread-safe collector. Errors make the exit code 2; skips are listed in
/// the summary. Cost: one mutex per report; reports are rare events.
class Diagnostics {
 public:
  void error(Error error);
  void warning(Error error);
  void skipped(std::string input, SkipReason reason, std::string detail = {});

  /// When set, each report is also printed to stderr as it happens.
  void set_echo(bool echo) { echo_ = echo; }

  std::vector<Diagnostic> diagnostics() const;
  std::vector<SkippedInput> skipped_inputs() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  std::size_t skipped_count() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<SkippedInput> skipped_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  bool echo_ = false;
};

}  // namespace sprawl
