// Text reporter: one block per finding for a person at a terminal, then a
// summary that lists every skipped input and every diagnostic. Everything
// taken from scanned data is made terminal-safe (no escape sequences).
#include <fmt/core.h>

#include <algorithm>
#include <string>

#include "reporters/finding_fields.h"
#include "reporters/reporter_factories.h"
#include "sprawl/util/utf8.h"

namespace sprawl::reporters {
namespace {

using model::Finding;

// ANSI styles; all empty when colour is off, so the layout is the same.
struct Style {
  std::string_view bold, dim, red, yellow, cyan, live, reset;
};

constexpr Style kColor = {"\x1b[1m",  "\x1b[2m",    "\x1b[31m", "\x1b[33m",
                          "\x1b[36m", "\x1b[1;31m", "\x1b[0m"};
constexpr Style kPlain = {};

constexpr int kLabelWidth = 12;

// A scanned path or commit message could carry ESC sequences that rewrite
// the user's terminal; control characters (C0, DEL, C1) are shown escaped
// and invalid UTF-8 as U+FFFD.
std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const CodePoint cp = decode_utf8(text, pos);
    const uint32_t c = cp.code_point;
    if (!cp.valid) {
      append_utf8(out, kReplacementCharacter);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.append(text.substr(pos, cp.size));
    }
    pos += cp.size;
  }
  return out;
}

std::string human_bytes(uint64_t bytes) {
  constexpr std::string_view kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string plural(uint64_t count, std::string_view one,
                   std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

std::string place(const model::Location& loc) {
  std::string out = loc.path;
  if (loc.line == 0) return out;
  out += fmt::format(":{}", loc.line);
  if (loc.column > 0) out += fmt::format(":{}", loc.column);
  return out;
}

// "checksum" for CRC-style checks as users know them, "validation" for the
// structural checks (JWT, PEM, AWS account decoding).
std::string_view validation_label(const model::Validation& v) {
  const std::string& d = v.detail;
  if (d.find("crc") != d.npos || d.find("checksum") != d.npos)
    return "checksum";
  return "validation";
}

class TextReporter final : public Reporter {
 public:
  TextReporter(std::ostream& out, const ReportOptions& options)
      : out_(out), options_(options), style_(options.color ? kColor : kPlain) {}

  void add(const Finding& finding) override {
    block_.clear();
    current_ = &finding;
    header(finding);
    details(finding);
    location(finding.location);
    validation(finding.validation);
    verification(finding.verification);
    block_.push_back('\n');
    out_ << block_;
    current_ = nullptr;
    ++added_;
    if (finding.verification.status == model::VerificationStatus::kLive)
      ++live_;
  }

  void end(const ScanSummary& summary) override {
    block_.clear();
    totals(summary);
    skipped(summary);
    diagnostics(summary);
    out_ << block_;
    out_.flush();
  }

 private:
  // Untrusted text: scrubbed of the raw secret (unless shown) and made safe.
  std::string safe(std::string_view text) const {
    if (options_.show_secrets || current_ == nullptr)
      return terminal_safe(text);
    return terminal_safe(scrub(text, current_->secret));
  }

  void line(std::string_view label, std::string_view value) {
    block_ += fmt::format("  {}{:<{}}{}{}\n", style_.dim, label, kLabelWidth,
                          style_.reset, value);
  }

  std::string_view severity_color(model::Severity severity) const {
    switch (severity) {
      case model::Severity::kCritical:
      case model::Severity::kHigh:
        return style_.red;
      case model::Severity::kMedium:
        return style_.yellow;
      case model::Severity::kLow:
        return style_.cyan;
    }
    return style_.reset;
  }

  void header(const Finding& f) {
    if (f.verification.status == model::VerificationStatus::kLive)
      block_ += fmt::format("{}[LIVE]{} ", style_.live, style_.reset);
    block_ += fmt::format("{}{}{} ({})\n", style_.bold, safe(f.rule_name),
                          style_.reset, safe(f.rule_id));
  }

  void details(const Finding& f) {
    line("severity",
         fmt::format("{}{}{}, confidence {}", severity_color(f.severity),
                     model::severity_name(f.severity), style_.reset,
                     model::confidence_name(f.confidence)));
    if (!f.note.empty()) line("note", safe(f.note));
    line("provider", fmt::format("{}, kind {}", safe(f.provider),
                                 model::kind_name(f.kind)));
    line("secret", terminal_safe(shown_secret(f, options_.show_secrets)));
    for (const auto& [name, value] : f.captures) {
      if (name == "secret") continue;
      line(safe(name),
           terminal_safe(shown_capture(f, name, value, options_.show_secrets)));
    }
  }

  void location(const model::Location& loc) {
    line("location", safe(place(loc)));
    if (loc.provenance) commit(*loc.provenance);
    if (!loc.url.empty()) line("link", safe(loc.url));
    for (const auto& [key, value] : loc.attributes)
      if (!value.empty()) line(safe(key), safe(value));
  }

  void commit(const model::Provenance& p) {
    line("commit",
         fmt::format("{} by {} <{}> on {}", safe(short_commit(p.commit)),
                     safe(p.author_name), safe(p.author_email),
                     iso_utc(p.author_time)));
    std::string more = fmt::format("\"{}\"", safe(p.summary));
    if (p.other_commits > 0 || p.other_paths > 0)
      more +=
          fmt::format(" (also in {}, {})",
                      plural(p.other_commits, "other commit", "other commits"),
                      plural(p.other_paths, "other path", "other paths"));
    line("", more);
  }

  void validation(const model::Validation& v) {
    if (v.status == model::ValidationStatus::kUnchecked) return;
    std::string text(model::validation_status_name(v.status));
    if (!v.detail.empty()) text += fmt::format(" ({})", safe(v.detail));
    if (v.status == model::ValidationStatus::kInvalid)
      text += " \u2014 confidence lowered";
    line(validation_label(v), text);
    for (const auto& [key, value] : v.decoded)
      line("decoded", fmt::format("{}={}", safe(key), safe(value)));
  }

  void verification(const model::Verification& v) {
    using model::VerificationStatus;
    if (v.status == VerificationStatus::kNotChecked) return;
    std::string text;
    if (v.status == VerificationStatus::kLive)
      text = fmt::format("{}LIVE{}", style_.live, style_.reset);
    else
      text = std::string(model::verification_status_name(v.status));
    if (!v.reason.empty()) text += fmt::format(" ({})", safe(v.reason));
    line("verified", text);
    for (const auto& [key, value] : v.identity)
      line("identity", fmt::format("{}={}", safe(key), safe(value)));
    if (!v.scopes.empty()) {
      std::string scopes;
      for (const std::string& scope : v.scopes)
        scopes += (scopes.empty() ? "" : ", ") + safe(scope);
      line("scopes", scopes);
    }
    if (!v.expiry.empty()) line("expires", safe(v.expiry));
  }

  void totals(const ScanSummary& s) {
    current_ = nullptr;
    block_ +=
        fmt::format("{}{}{} in {} ({}) scanned in {:.2f} s\n", style_.bold,
                    plural(std::max(s.findings, added_), "finding", "findings"),
                    style_.reset, plural(s.inputs_scanned, "input", "inputs"),
                    human_bytes(s.bytes_scanned), s.seconds);
    if (live_ > 0)
      block_ += fmt::format("{}{} LIVE{}\n", style_.live,
                            plural(live_, "finding", "findings"), style_.reset);
    if (s.suppressed_inline > 0 || s.suppressed_baseline > 0)
      block_ += fmt::format("suppressed: {} inline, {} by baseline\n",
                            s.suppressed_inline, s.suppressed_baseline);
    if (s.verify_requests > 0 || s.verify_capped > 0)
      block_ += fmt::format("verification: {}, {} capped\n",
                            plural(s.verify_requests, "request", "requests"),
                            s.verify_capped);
  }

  void skipped(const ScanSummary& s) {
    if (s.skipped.empty()) return;
    block_ +=
        fmt::format("{}skipped {}:{}\n", style_.yellow,
                    plural(s.skipped.size(), "input", "inputs"), style_.reset);
    for (const SkippedInput& skip : s.skipped) {
      block_ += fmt::format("  {}: {}", terminal_safe(skip.input),
                            skip_reason_name(skip.reason));
      if (!skip.detail.empty())
        block_ += fmt::format(" ({})", terminal_safe(skip.detail));
      block_.push_back('\n');
    }
  }

  void diagnostics(const ScanSummary& s) {
    for (const Diagnostic& d : s.diagnostics) {
      const bool error = d.severity == Diagnostic::Severity::kError;
      block_ += fmt::format("{}{}:{} {}\n", error ? style_.red : style_.yellow,
                            error ? "error" : "warning", style_.reset,
                            terminal_safe(d.error.describe()));
    }
  }

  std::ostream& out_;
  ReportOptions options_;
  Style style_;
  std::string block_;
  const Finding* current_ = nullptr;
  uint64_t added_ = 0;
  uint64_t live_ = 0;
};

}  // namespace

void write_text_summary(std::ostream& out, const ScanSummary& summary,
                        const ReportOptions& options) {
  TextReporter(out, options).end(summary);
}

std::unique_ptr<Reporter> make_text_reporter(std::ostream& out,
                                             const ReportOptions& options) {
  return std::make_unique<TextReporter>(out, options);
}

}  // namespace sprawl::reporters
