// Shared fixtures for the reporter tests: hand-built findings with FAKE
// secrets, a helper that runs a reporter into a string, and JSON accessors.
#pragma once

#include <simdjson.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sprawl/reporters/reporter.h"

namespace sprawl::reporters::testing {

// All fake: written by hand for these tests, no valid checksum.
inline const std::string kFakeGithubToken =
    "ghp_FAKEfakeFAKEfake0123456789abcdefABCD";
inline const std::string kFakeSlackToken =
    "xoxb-0000000000-1111111111-FAKEfakeFAKEfakeFAKE";
inline const std::string kFakePassword = "not-a-real-password-42";

inline model::Finding file_finding() {
  model::Finding f;
  f.rule_id = "github-pat";
  f.rule_name = "GitHub Personal Access Token";
  f.provider = "github";
  f.kind = model::Kind::kAccessToken;
  f.severity = model::Severity::kHigh;
  f.confidence = model::Confidence::kHigh;
  f.secret = kFakeGithubToken;
  f.entropy = 4.876;
  f.fingerprint = "0123456789abcdef";
  f.location.source = model::SourceKind::kFile;
  f.location.path = "src/config.py";
  f.location.line = 12;
  f.location.column = 5;
  f.location.end_line = 12;
  f.location.end_column = 44;
  return f;
}

inline model::Finding git_finding() {
  model::Finding f = file_finding();
  f.location.source = model::SourceKind::kGit;
  f.location.path = "deploy/settings.env";
  f.location.blob_id = "9f2c1e0d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e";
  model::Provenance p;
  p.commit = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
  p.author_name = "Jane Doe";
  p.author_email = "jane@example.com";
  p.author_time = 1704450121;  // 2024-01-05T10:22:01Z
  p.summary = "Add deploy settings";
  p.other_commits = 2;
  p.other_paths = 1;
  f.location.provenance = p;
  return f;
}

inline model::Finding slack_finding() {
  model::Finding f;
  f.rule_id = "slack-bot-token";
  f.rule_name = "Slack Bot Token";
  f.provider = "slack";
  f.kind = model::Kind::kBotToken;
  f.severity = model::Severity::kCritical;
  f.confidence = model::Confidence::kMedium;
  f.secret = kFakeSlackToken;
  f.fingerprint = "fedcba9876543210";
  f.location.source = model::SourceKind::kSlack;
  f.location.path = "export.zip:deploys/2023-09-08.json";
  f.location.url = "https://example.slack.com/archives/C0123/p1694174625423609";
  f.location.set_attribute("channel", "#deploys");
  f.location.set_attribute("ts", "1694174625.423609");
  return f;
}

inline std::string render(Format format,
                          const std::vector<model::Finding>& findings,
                          const ReportOptions& options = {},
                          const ScanSummary& summary = {}) {
  std::ostringstream out;
  auto reporter = make_reporter(format, out, options);
  reporter->begin();
  for (const model::Finding& f : findings) reporter->add(f);
  ScanSummary s = summary;
  if (s.findings == 0) s.findings = findings.size();
  reporter->end(s);
  return out.str();
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

inline std::string string_at(simdjson::dom::element e,
                             std::string_view pointer) {
  std::string_view value;
  const auto error = e.at_pointer(pointer).get(value);
  INFO("JSON pointer " << pointer);
  REQUIRE(error == simdjson::SUCCESS);
  return std::string(value);
}

inline uint64_t uint_at(simdjson::dom::element e, std::string_view pointer) {
  uint64_t value = 0;
  const auto error = e.at_pointer(pointer).get(value);
  INFO("JSON pointer " << pointer);
  REQUIRE(error == simdjson::SUCCESS);
  return value;
}

inline bool has(simdjson::dom::element e, std::string_view pointer) {
  return e.at_pointer(pointer).error() == simdjson::SUCCESS;
}

inline simdjson::dom::element parse(simdjson::dom::parser& parser,
                                    const std::string& text) {
  simdjson::dom::element doc;
  const auto error = parser.parse(text).get(doc);
  INFO(text);
  REQUIRE(error == simdjson::SUCCESS);
  return doc;
}

}  // namespace sprawl::reporters::testing
