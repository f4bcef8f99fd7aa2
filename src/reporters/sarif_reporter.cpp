// SARIF 2.1.0 reporter for code-scanning UIs (GitHub's requirements are in
// /work/shared/FORMATS.md). Findings are buffered until end() because the
// rule table precedes the results. Repository files go to the run
// "sprawl/files/"; Slack, Jira and JSONL findings, which no code-scanning UI
// can place in a file, go to a second run "sprawl/exports/" with logical
// locations. The raw secret never appears, whatever the options.
#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "reporters/finding_fields.h"
#include "reporters/json_writer.h"
#include "reporters/reporter_factories.h"
#include "reporters/sarif_uri.h"

namespace sprawl::reporters {
namespace {

using model::Finding;

constexpr std::string_view kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
    "sarif-schema-2.1.0.json";
// TODO(#2): replace with the project's public home once it has one.
constexpr std::string_view kDefaultInformationUri =
    "https://github.com/sprawl-scanner/sprawl";
constexpr std::string_view kFilesRunId = "sprawl/files/";
constexpr std::string_view kExportsRunId = "sprawl/exports/";
constexpr std::string_view kSrcRoot = "%SRCROOT%";
constexpr int kIndentSpaces = 2;

// GitHub maps security-severity to its labels: >9.0 critical, 7.0-8.9 high,
// 4.0-6.9 medium, below that low.
std::string_view security_severity(model::Severity severity) {
  switch (severity) {
    case model::Severity::kCritical:
      return "9.5";
    case model::Severity::kHigh:
      return "8.0";
    case model::Severity::kMedium:
      return "5.5";
    case model::Severity::kLow:
      return "3.0";
  }
  return "5.5";
}

std::string_view level(model::Severity severity) {
  switch (severity) {
    case model::Severity::kCritical:
    case model::Severity::kHigh:
      return "error";
    case model::Severity::kMedium:
      return "warning";
    case model::Severity::kLow:
      return "note";
  }
  return "warning";
}

// FNV-1a, 64 bits: stable across builds and machines, which is all that
// primaryLocationLineHash needs (it is an identity, not a defence).
uint64_t fnv1a(std::string_view text, uint64_t hash = 14695981039346656037u) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211u;
  }
  return hash;
}

struct RuleEntry {
  std::string id;
  const model::Rule* rule = nullptr;  // null when not in options.rules
  const Finding* first = nullptr;
};

// One run's rule table: rules in order of first finding, unique ids.
class RuleTable {
 public:
  RuleTable(const std::vector<const Finding*>& findings,
            const std::vector<model::Rule>* rules) {
    std::unordered_map<std::string_view, const model::Rule*> known;
    if (rules != nullptr)
      for (const model::Rule& rule : *rules) known.emplace(rule.id, &rule);
    for (const Finding* f : findings) {
      if (index_.count(f->rule_id) > 0) continue;
      index_.emplace(f->rule_id, entries_.size());
      const auto it = known.find(f->rule_id);
      entries_.push_back(
          {f->rule_id, it == known.end() ? nullptr : it->second, f});
    }
  }

  const std::vector<RuleEntry>& entries() const { return entries_; }
  std::size_t index_of(const std::string& id) const { return index_.at(id); }

 private:
  std::vector<RuleEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

class SarifReporter final : public Reporter {
 public:
  SarifReporter(std::ostream& out, const ReportOptions& options)
      : out_(out), options_(options) {
    options_.base_dir = scan_root(options.base_dir);
  }

  void add(const Finding& finding) override { findings_.push_back(finding); }

  void end(const ScanSummary& summary) override {
    std::vector<const Finding*> files;
    std::vector<const Finding*> exports;
    for (const Finding& f : findings_)
      (is_export_source(f.location.source) ? exports : files).push_back(&f);

    std::string text;
    JsonWriter json(text, kIndentSpaces);
    json.begin_object();
    json.field("$schema", kSchemaUri);
    json.field("version", "2.1.0");
    json.key("runs");
    json.begin_array();
    write_run(json, text, files, kFilesRunId, &summary);
    if (!exports.empty())
      write_run(json, text, exports, kExportsRunId, nullptr);
    json.end_array();
    json.end_object();
    text.push_back('\n');
    out_ << text;
    out_.flush();
  }

 private:
  // text is json's buffer; it is handed to the stream after each result
  // (the writer only appends), so the document is never whole in memory.
  void write_run(JsonWriter& json, std::string& text,
                 const std::vector<const Finding*>& run, std::string_view id,
                 const ScanSummary* summary) const {
    const RuleTable table(run, options_.rules);
    json.begin_object();
    write_tool(json, table);
    json.key("automationDetails");
    json.begin_object();
    json.field("id", id);
    json.end_object();
    const std::string root = base_dir_uri(options_.base_dir);
    if (!root.empty() && id == kFilesRunId) {
      json.key("originalUriBaseIds");
      json.begin_object();
      json.key(kSrcRoot);
      json.begin_object();
      json.field("uri", root);
      json.end_object();
      json.end_object();
    }
    if (summary != nullptr) write_invocation(json, *summary);
    json.key("results");
    json.begin_array();
    for (const Finding* f : run) {
      write_result(json, *f, table);
      out_ << text;
      text.clear();
    }
    json.end_array();
    json.end_object();
  }

  void write_tool(JsonWriter& json, const RuleTable& table) const {
    json.key("tool");
    json.begin_object();
    json.key("driver");
    json.begin_object();
    json.field("name", "sprawl");
    json.field("informationUri", options_.information_uri.empty()
                                     ? kDefaultInformationUri
                                     : options_.information_uri);
    json.field("semanticVersion", options_.tool_version.empty()
                                      ? SPRAWL_VERSION
                                      : options_.tool_version);
    json.key("rules");
    json.begin_array();
    for (const RuleEntry& entry : table.entries()) write_rule(json, entry);
    json.end_array();
    json.end_object();
    json.end_object();
  }

  static void write_message(JsonWriter& json, std::string_view key,
                            std::string_view text,
                            std::string_view markdown = {}) {
    json.key(key);
    json.begin_object();
    json.field("text", text);
    if (!markdown.empty()) json.field("markdown", markdown);
    json.end_object();
  }

  static void write_help(JsonWriter& json, const model::Rule& rule,
                         std::string_view description) {
    std::string text(description);
    std::string markdown(description);
    if (!rule.remediation.empty()) {
      text += "\n\nRemediation: " + rule.remediation;
      markdown += "\n\n**Remediation:** " + rule.remediation;
    }
    if (!rule.references.empty()) {
      text += "\n\nReferences:";
      markdown += "\n\n**References:**\n";
      for (const std::string& ref : rule.references) {
        text += "\n- " + ref;
        markdown += "\n- <" + ref + ">";
      }
    }
    write_message(json, "help", text, markdown);
  }

  static void write_rule(JsonWriter& json, const RuleEntry& entry) {
    model::Rule rule;
    if (entry.rule != nullptr) {
      rule = *entry.rule;
    } else {
      rule.name = entry.first->rule_name;
      rule.provider = entry.first->provider;
      rule.kind = entry.first->kind;
      rule.severity = entry.first->severity;
      rule.confidence = entry.first->confidence;
    }
    const std::string name = rule.name.empty() ? entry.id : rule.name;
    const std::string description =
        rule.description.empty() ? name : rule.description;

    json.begin_object();
    json.field("id", entry.id);
    json.field("name", name);
    write_message(json, "shortDescription", name);
    write_message(json, "fullDescription", description);
    write_help(json, rule, description);
    json.key("defaultConfiguration");
    json.begin_object();
    json.field("level", level(rule.severity));
    json.end_object();
    write_rule_properties(json, rule);
    json.end_object();
  }

  static void write_rule_properties(JsonWriter& json, const model::Rule& rule) {
    json.key("properties");
    json.begin_object();
    json.field("security-severity", security_severity(rule.severity));
    json.field("precision", model::confidence_name(rule.confidence));
    json.key("tags");
    json.begin_array();
    // Tags must be unique (the schema says so); a provider named like a
    // fixed tag or the kind appears once.
    std::vector<std::string_view> tags = {"security", "secret"};
    for (std::string_view tag :
         {std::string_view(rule.provider), model::kind_name(rule.kind)})
      if (!tag.empty() &&
          std::find(tags.begin(), tags.end(), tag) == tags.end())
        tags.push_back(tag);
    for (std::string_view tag : tags) json.value(tag);
    json.end_array();
    json.end_object();
  }

  void write_invocation(JsonWriter& json, const ScanSummary& summary) const {
    bool success = true;
    for (const Diagnostic& d : summary.diagnostics)
      if (d.severity == Diagnostic::Severity::kError) success = false;
    json.key("invocations");
    json.begin_array();
    json.begin_object();
    json.field("executionSuccessful", success);
    json.key("toolExecutionNotifications");
    json.begin_array();
    for (const SkippedInput& skip : summary.skipped) write_skip(json, skip);
    for (const Diagnostic& d : summary.diagnostics) write_diagnostic(json, d);
    json.end_array();
    write_summary_properties(json, summary);
    json.end_object();
    json.end_array();
  }

  static void write_skip(JsonWriter& json, const SkippedInput& skip) {
    std::string text = fmt::format("skipped {}: {}", skip.input,
                                   skip_reason_name(skip.reason));
    if (!skip.detail.empty()) text += fmt::format(" ({})", skip.detail);
    json.begin_object();
    json.field("level", "note");
    write_message(json, "message", text);
    json.key("descriptor");
    json.begin_object();
    json.field("id", "skipped-input");
    json.end_object();
    json.key("properties");
    json.begin_object();
    json.field("input", skip.input);
    json.field("reason", skip_reason_name(skip.reason));
    json.field("detail", skip.detail);
    json.end_object();
    json.end_object();
  }

  static void write_diagnostic(JsonWriter& json, const Diagnostic& d) {
    const bool error = d.severity == Diagnostic::Severity::kError;
    json.begin_object();
    json.field("level", error ? "error" : "warning");
    write_message(json, "message", d.error.describe());
    json.key("properties");
    json.begin_object();
    json.field("input", d.error.input);
    json.field("place", d.error.place);
    json.end_object();
    json.end_object();
  }

  static void write_summary_properties(JsonWriter& json, const ScanSummary& s) {
    json.key("properties");
    json.begin_object();
    json.field("inputs_scanned", s.inputs_scanned);
    json.field("bytes_scanned", s.bytes_scanned);
    json.field("findings", s.findings);
    json.field("suppressed_inline", s.suppressed_inline);
    json.field("suppressed_baseline", s.suppressed_baseline);
    json.key("seconds");
    json.fixed(s.seconds, 3);
    json.field("verify_requests", s.verify_requests);
    json.field("verify_capped", s.verify_capped);
    json.end_object();
  }

  // Strings from scanned data are scrubbed of any non-empty secret, however
  // short: in SARIF a mangled path is better than a leaked secret.
  static std::string clean(const Finding& f, std::string_view text) {
    return scrub(text, f.secret, 1);
  }

  static std::string message_text(const Finding& f) {
    std::string text =
        fmt::format("{}: {}", f.rule_name, shown_secret(f, false));
    const model::Location& loc = f.location;
    if (loc.provenance) {
      const model::Provenance& p = *loc.provenance;
      text += fmt::format("\nIntroduced in commit {} by {} <{}> on {}: {}",
                          short_commit(p.commit), clean(f, p.author_name),
                          clean(f, p.author_email), iso_utc(p.author_time),
                          clean(f, p.summary));
    }
    if (is_export_source(loc.source)) {
      text += fmt::format("\nIn {} {}", model::source_kind_name(loc.source),
                          clean(f, loc.path));
      if (!loc.url.empty()) text += fmt::format("\n{}", clean(f, loc.url));
    }
    if (!f.note.empty()) text += fmt::format("\nNote: {}", f.note);
    return text;
  }

  void write_result(JsonWriter& json, const Finding& f,
                    const RuleTable& table) const {
    json.begin_object();
    json.field("ruleId", f.rule_id);
    json.field("ruleIndex", table.index_of(f.rule_id));
    json.field("level", level(f.severity));
    write_message(json, "message", message_text(f));
    json.key("locations");
    json.begin_array();
    std::string hashed_path;
    if (is_export_source(f.location.source)) {
      write_logical_location(json, f);
      hashed_path = clean(f, f.location.path);
    } else {
      hashed_path = write_physical_location(json, f);
    }
    json.end_array();
    json.key("partialFingerprints");
    json.begin_object();
    json.field("primaryLocationLineHash", line_hash(f, hashed_path));
    json.end_object();
    write_result_properties(json, f);
    json.end_object();
  }

  static std::string line_hash(const Finding& f, std::string_view path) {
    uint64_t hash = fnv1a(f.rule_id);
    hash = fnv1a(std::string_view("\0", 1), hash);
    // Without a fingerprint, the position keeps two findings of one rule
    // in one file apart.
    hash = fnv1a(f.fingerprint.empty()
                     ? fmt::format("{}:{}", f.location.line, f.location.column)
                     : f.fingerprint,
                 hash);
    hash = fnv1a(std::string_view("\0", 1), hash);
    hash = fnv1a(path, hash);
    return fmt::format("{:016x}:1", hash);
  }

  // Returns the uri written, for the fingerprint.
  std::string write_physical_location(JsonWriter& json,
                                      const Finding& f) const {
    const model::Location& loc = f.location;
    model::Location shown = loc;
    shown.path = clean(f, loc.path);
    const ArtifactUri uri = artifact_uri(shown, options_.base_dir);

    const uint32_t start_line = std::max<uint32_t>(1, loc.line);
    const uint32_t start_column = std::max<uint32_t>(1, loc.column);
    const uint32_t end_line = std::max(start_line, loc.end_line);
    // SARIF's endColumn is exclusive; the model's is inclusive.
    uint32_t end_column = loc.end_column > 0 ? loc.end_column + 1 : 1;
    if (loc.end_column == 0 && end_line == start_line)
      end_column = start_column + static_cast<uint32_t>(std::max<std::size_t>(
                                      1, f.secret.size()));
    if (end_line == start_line && end_column <= start_column)
      end_column = start_column + 1;

    json.begin_object();
    json.key("physicalLocation");
    json.begin_object();
    json.key("artifactLocation");
    json.begin_object();
    json.field("uri", uri.uri);
    if (uri.relative) json.field("uriBaseId", kSrcRoot);
    json.end_object();
    json.key("region");
    json.begin_object();
    json.field("startLine", start_line);
    json.field("startColumn", start_column);
    json.field("endLine", end_line);
    json.field("endColumn", end_column);
    json.end_object();
    json.end_object();
    json.end_object();
    return uri.uri;
  }

  static std::string_view logical_kind(model::SourceKind source) {
    switch (source) {
      case model::SourceKind::kSlack:
        return "slack-message";
      case model::SourceKind::kJira:
        return "jira-issue";
      default:
        return "jsonl-record";
    }
  }

  static void write_logical_location(JsonWriter& json, const Finding& f) {
    const model::Location& loc = f.location;
    std::string qualified = fmt::format(
        "{}:{}", model::source_kind_name(loc.source), clean(f, loc.path));
    if (loc.line > 0) qualified += fmt::format(":{}", loc.line);

    json.begin_object();
    json.key("logicalLocations");
    json.begin_array();
    json.begin_object();
    json.field("name", clean(f, loc.path));
    json.field("fullyQualifiedName", qualified);
    json.field("kind", logical_kind(loc.source));
    json.end_object();
    json.end_array();
    write_message(json, "message",
                  loc.url.empty() ? qualified : clean(f, loc.url));
    json.key("properties");
    json.begin_object();
    if (!loc.url.empty()) json.field("url", clean(f, loc.url));
    json.key("attributes");
    json.begin_object();
    for (const auto& [key, value] : loc.attributes)
      json.field(clean(f, key), clean(f, value));
    json.end_object();
    json.end_object();
    json.end_object();
  }

  static void write_result_properties(JsonWriter& json, const Finding& f) {
    json.key("properties");
    json.begin_object();
    json.field("fingerprint", f.fingerprint);
    json.field("provider", f.provider);
    json.field("kind", model::kind_name(f.kind));
    json.field("severity", model::severity_name(f.severity));
    json.field("confidence", model::confidence_name(f.confidence));
    if (!f.note.empty()) json.field("note", f.note);
    json.field("secret", shown_secret(f, false));
    json.field("secret_length", f.secret.size());
    json.field("source", model::source_kind_name(f.location.source));
    json.field("validation",
               model::validation_status_name(f.validation.status));
    json.field("validation_detail", clean(f, f.validation.detail));
    json.field("verification",
               model::verification_status_name(f.verification.status));
    json.field("verification_reason", clean(f, f.verification.reason));
    write_captures(json, f);
    if (f.location.provenance) write_commit(json, f, *f.location.provenance);
    json.end_object();
  }

  static void write_captures(JsonWriter& json, const Finding& f) {
    json.key("captures");
    json.begin_object();
    for (const auto& [name, value] : f.captures)
      json.field(
          name, is_identifying_capture(name) && !model::looks_like_token(value)
                    ? clean(f, value)
                    : redact(value));
    json.end_object();
  }

  static void write_commit(JsonWriter& json, const Finding& f,
                           const model::Provenance& p) {
    json.key("commit");
    json.begin_object();
    json.field("id", clean(f, p.commit));
    json.field("author_name", clean(f, p.author_name));
    json.field("author_email", clean(f, p.author_email));
    json.field("author_date", iso_utc(p.author_time));
    json.field("summary", clean(f, p.summary));
    json.field("other_commits", p.other_commits);
    json.field("other_paths", p.other_paths);
    json.end_object();
  }

  std::ostream& out_;
  ReportOptions options_;
  std::vector<Finding> findings_;
};

}  // namespace

std::unique_ptr<Reporter> make_sarif_reporter(std::ostream& out,
                                              const ReportOptions& options) {
  return std::make_unique<SarifReporter>(out, options);
}

}  // namespace sprawl::reporters
