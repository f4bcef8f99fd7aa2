// Fake findings for the inventory and store tests: one credential shown in
// git, Slack and Jira, built by hand. Every secret here is made up.
#pragma once

#include <cstdint>
#include <string>

#include "sprawl/model/finding.h"

namespace sprawl::testing {

/// A fake secret of the given prefix, length and seed (not a real token).
inline std::string fake_secret(const std::string& prefix, std::size_t length,
                               unsigned seed) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = prefix;
  uint32_t state = 2166136261u ^ seed;
  while (out.size() < length) {
    state = state * 16777619u + 12345u;
    out.push_back(kAlphabet[(state >> 8) % 62]);
  }
  return out;
}

inline model::Finding base_finding(const std::string& rule_id,
                                   const std::string& provider,
                                   model::Kind kind,
                                   const std::string& secret) {
  model::Finding f;
  f.rule_id = rule_id;
  f.rule_name = rule_id;
  f.provider = provider;
  f.kind = kind;
  f.secret = secret;
  f.severity = model::Severity::kHigh;
  f.confidence = model::Confidence::kHigh;
  f.fingerprint = "fp-" + rule_id;
  return f;
}

inline model::Finding in_git(model::Finding f, const std::string& path,
                             uint32_t line, const std::string& commit,
                             int64_t author_time, const char* at_head = "") {
  f.location.source = model::SourceKind::kGit;
  f.location.path = path;
  f.location.line = line;
  f.location.column = 5;
  f.location.blob_id = "b" + commit;
  model::Provenance p;
  p.commit = commit;
  p.author_name = "Dev One";
  p.author_email = "dev1@example.test";
  p.author_time = author_time;
  p.summary = "add config";
  f.location.provenance = p;
  f.location.set_attribute("repo", "example/app");
  if (*at_head) f.location.set_attribute("at_head", at_head);
  f.offset = line * 40;
  return f;
}

inline model::Finding in_slack(model::Finding f, const std::string& channel,
                               const std::string& ts,
                               const std::string& channel_type = "public") {
  f.location.source = model::SourceKind::kSlack;
  f.location.path = channel + "/2024-01-02.json";
  f.location.url = "https://example.slack.com/archives/C0123/p" + ts;
  f.location.set_attribute("channel", channel);
  f.location.set_attribute("channel_type", channel_type);
  f.location.set_attribute("ts", ts);
  f.location.set_attribute("user_name", "ops.person");
  return f;
}

inline model::Finding in_jira(model::Finding f, const std::string& issue,
                              const std::string& created) {
  f.location.source = model::SourceKind::kJira;
  f.location.path = "entities.xml";
  f.location.url = "https://example.atlassian.net/browse/" + issue;
  f.location.set_attribute("issue", issue);
  f.location.set_attribute("field", "description");
  f.location.set_attribute("author", "jira.user");
  f.location.set_attribute("created", created);
  return f;
}

}  // namespace sprawl::testing
