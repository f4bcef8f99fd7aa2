// Diagnostics: counted record of skipped inputs and errors (see header).
#include "sprawl/util/diagnostics.h"

#include <fmt/core.h>
#include <unistd.h>

namespace sprawl {
namespace {

// Names of files, refs and zip entries are attacker-controlled: control
// characters are shown as \xNN so that none reaches the terminal.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

void echo_line(std::string_view kind, const std::string& text) {
  std::string line = fmt::format("sprawl: {}: {}\n", kind, printable(text));
  ssize_t unused = ::write(2, line.data(), line.size());
  (void)unused;
}

}  // namespace

std::string_view skip_reason_name(SkipReason reason) {
  switch (reason) {
    case SkipReason::kBinary: return "binary";
    case SkipReason::kTooLarge: return "too large";
    case SkipReason::kExcluded: return "excluded";
    case SkipReason::kUnreadable: return "unreadable";
    case SkipReason::kSymlink: return "symlink";
    case SkipReason::kMalformed: return "malformed";
    case SkipReason::kLimit: return "limit";
    case SkipReason::kOther: return "other";
  }
  return "other";
}

void Diagnostics::error(Error error) {
  std::lock_guard lock(mutex_);
  if (echo_) echo_line("error", error.describe());
  diagnostics_.push_back({Diagnostic::Severity::kError, std::move(error)});
  ++errors_;
}

void Diagnostics::warning(Error error) {
  std::lock_guard lock(mutex_);
  if (echo_) echo_line("warning", error.describe());
  diagnostics_.push_back({Diagnostic::Severity::kWarning, std::move(error)});
  ++warnings_;
}

void Diagnostics::skipped(std::string input, SkipReason reason,
                          std::string detail) {
  std::lock_guard lock(mutex_);
  // An input that could not be read or parsed makes the results
  // incomplete: exit code 2. Deliberate skips (binary, too large,
  // excluded, empty) do not.
  if (reason == SkipReason::kUnreadable || reason == SkipReason::kMalformed)
    ++errors_;
  skipped_.push_back({std::move(input), reason, std::move(detail)});
}

std::vector<Diagnostic> Diagnostics::diagnostics() const {
  std::lock_guard lock(mutex_);
  return diagnostics_;
}

std::vector<SkippedInput> Diagnostics::skipped_inputs() const {
  std::lock_guard lock(mutex_);
  return skipped_;
}

std::size_t Diagnostics::error_count() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::size_t Diagnostics::warning_count() const {
  std::lock_guard lock(mutex_);
  return warnings_;
}

std::size_t Diagnostics::skipped_count() const {
  std::lock_guard lock(mutex_);
  return skipped_.size();
}

}  // namespace sprawl
