// The JSON object of one finding (see finding_json.h).
#include "reporters/finding_json.h"

#include "reporters/finding_fields.h"

namespace sprawl::reporters {
namespace {

using model::Finding;

// Every string from the finding passes through here, so that a secret that
// also sits in a path, commit summary or decoded field is redacted there too.
class Writer {
 public:
  Writer(JsonWriter& json, const Finding& finding, bool show_secrets)
      : json_(json), finding_(finding), show_(show_secrets) {}

  void text(std::string_view name, std::string_view value) {
    json_.key(name);
    json_.value(show_ ? std::string(value) : scrub(value, finding_.secret));
  }

  void pairs(std::string_view name,
             const std::vector<std::pair<std::string, std::string>>& items) {
    json_.key(name);
    json_.begin_object();
    for (const auto& [k, v] : items) text(k, v);
    json_.end_object();
  }

  void captures() {
    json_.key("captures");
    json_.begin_object();
    for (const auto& [name, value] : finding_.captures) {
      json_.key(name);
      json_.value(shown_capture(finding_, name, value, show_));
    }
    json_.end_object();
  }

  void commit(const model::Provenance& p) {
    json_.key("commit");
    json_.begin_object();
    text("id", p.commit);
    text("author_name", p.author_name);
    text("author_email", p.author_email);
    json_.field("author_date", iso_utc(p.author_time));
    text("summary", p.summary);
    json_.field("other_commits", p.other_commits);
    json_.field("other_paths", p.other_paths);
    json_.end_object();
  }

  void location() {
    const model::Location& loc = finding_.location;
    json_.key("location");
    json_.begin_object();
    json_.field("source", model::source_kind_name(loc.source));
    text("path", loc.path);
    json_.field("line", loc.line);
    json_.field("column", loc.column);
    json_.field("end_line", loc.end_line);
    json_.field("end_column", loc.end_column);
    if (!loc.blob_id.empty()) text("blob_id", loc.blob_id);
    if (!loc.url.empty()) text("url", loc.url);
    if (!loc.attributes.empty()) pairs("attributes", loc.attributes);
    if (loc.provenance) commit(*loc.provenance);
    json_.end_object();
  }

  void validation() {
    const model::Validation& v = finding_.validation;
    json_.key("validation");
    json_.begin_object();
    json_.field("status", model::validation_status_name(v.status));
    text("detail", v.detail);
    pairs("decoded", v.decoded);
    json_.end_object();
  }

  void verification() {
    const model::Verification& v = finding_.verification;
    json_.key("verification");
    json_.begin_object();
    json_.field("status", model::verification_status_name(v.status));
    text("reason", v.reason);
    pairs("identity", v.identity);
    json_.key("scopes");
    json_.begin_array();
    for (const std::string& scope : v.scopes)
      json_.value(show_ ? scope : scrub(scope, finding_.secret));
    json_.end_array();
    json_.key("expiry");
    if (v.expiry.empty())
      json_.null();
    else
      json_.value(v.expiry);
    json_.end_object();
  }

  void finding() {
    const Finding& f = finding_;
    json_.begin_object();
    json_.field("rule_id", f.rule_id);
    json_.field("rule_name", f.rule_name);
    json_.field("provider", f.provider);
    json_.field("kind", model::kind_name(f.kind));
    json_.field("severity", model::severity_name(f.severity));
    json_.field("confidence", model::confidence_name(f.confidence));
    if (!f.note.empty()) json_.field("note", f.note);
    json_.field("secret", shown_secret(f, show_));
    json_.field("secret_length", f.secret.size());
    json_.field("fingerprint", f.fingerprint);
    json_.key("entropy");
    json_.fixed(f.entropy, 2);
    captures();
    location();
    validation();
    verification();
    json_.end_object();
  }

 private:
  JsonWriter& json_;
  const Finding& finding_;
  bool show_;
};

}  // namespace

void write_finding_json(JsonWriter& json, const Finding& finding,
                        bool show_secrets) {
  Writer(json, finding, show_secrets).finding();
}

}  // namespace sprawl::reporters
