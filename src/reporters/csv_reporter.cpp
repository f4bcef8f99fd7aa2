// CSV reporter: RFC 4180 (CRLF records, header row, fields quoted when they
// hold a comma, quote, CR or LF), one row per finding, for spreadsheets.
// Cells that a spreadsheet would run as a formula get a leading apostrophe.
#include <fmt/core.h>

#include <array>
#include <string>

#include "reporters/finding_fields.h"
#include "reporters/reporter_factories.h"

namespace sprawl::reporters {
namespace {

constexpr std::array<std::string_view, 18> kColumns = {
    "rule_id", "provider",    "kind",        "severity",     "confidence",
    "secret",  "fingerprint", "entropy",     "source",       "path",
    "line",    "column",      "commit",      "author_email", "author_date",
    "url",     "validation",  "verification"};

// OWASP's list of formula triggers: = + - @, and tab and CR, which some
// spreadsheets strip before looking for the others.
bool starts_formula(std::string_view cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

void append_cell(std::string& row, std::string_view cell) {
  std::string guarded;
  if (starts_formula(cell)) {
    guarded = "'";
    guarded += cell;
    cell = guarded;
  }
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
    row += cell;
    return;
  }
  row.push_back('"');
  for (char c : cell) {
    if (c == '"') row.push_back('"');
    row.push_back(c);
  }
  row.push_back('"');
}

class CsvReporter final : public Reporter {
 public:
  CsvReporter(std::ostream& out, const ReportOptions& options)
      : out_(out), options_(options) {}

  void begin() override {
    std::string row;
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      if (i > 0) row.push_back(',');
      row += kColumns[i];
    }
    out_ << row << "\r\n";
    begun_ = true;
  }

  void add(const model::Finding& finding) override {
    if (!begun_) begin();
    std::string row;
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      if (i > 0) row.push_back(',');
      append_cell(row, cell(finding, kColumns[i]));
    }
    out_ << row << "\r\n";
  }

  void end(const ScanSummary& summary) override {
    if (!begun_) begin();
    out_.flush();
  }

 private:
  std::string cell(const model::Finding& f, std::string_view column) const {
    const std::string value = raw_cell(f, column);
    if (column == "secret" || options_.show_secrets) return value;
    return scrub(value, f.secret);
  }

  std::string raw_cell(const model::Finding& f, std::string_view column) const {
    const model::Location& loc = f.location;
    const auto* commit = loc.provenance ? &*loc.provenance : nullptr;
    if (column == "rule_id") return f.rule_id;
    if (column == "provider") return f.provider;
    if (column == "kind") return std::string(model::kind_name(f.kind));
    if (column == "severity")
      return std::string(model::severity_name(f.severity));
    if (column == "confidence")
      return std::string(model::confidence_name(f.confidence));
    if (column == "secret") return shown_secret(f, options_.show_secrets);
    if (column == "fingerprint") return f.fingerprint;
    if (column == "entropy") return fmt::format("{:.2f}", f.entropy);
    if (column == "source")
      return std::string(model::source_kind_name(loc.source));
    if (column == "path") return loc.path;
    if (column == "line") return std::to_string(loc.line);
    if (column == "column") return std::to_string(loc.column);
    if (column == "commit") return commit ? commit->commit : "";
    if (column == "author_email") return commit ? commit->author_email : "";
    if (column == "author_date")
      return commit ? iso_utc(commit->author_time) : "";
    if (column == "url") return loc.url;
    if (column == "validation")
      return std::string(model::validation_status_name(f.validation.status));
    return std::string(model::verification_status_name(f.verification.status));
  }

  std::ostream& out_;
  ReportOptions options_;
  bool begun_ = false;
};

}  // namespace

std::unique_ptr<Reporter> make_csv_reporter(std::ostream& out,
                                            const ReportOptions& options) {
  return std::make_unique<CsvReporter>(out, options);
}

}  // namespace sprawl::reporters
