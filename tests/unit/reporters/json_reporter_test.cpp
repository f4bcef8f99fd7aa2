// Tests of the JSON and JSONL reporters and of the JSON string escaper:
// output parses back with simdjson and carries the documented fields.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "reporters/json_writer.h"
#include "unit/reporters/report_fixtures.h"

namespace sprawl::reporters {
namespace {

using namespace testing;

TEST_CASE("JSON output is one array of findings with every field",
          "[reporters][json]") {
  model::Finding f = git_finding();
  f.captures = {{"id", "user-42"}, {"host", "db.internal"}};
  f.validation.status = model::ValidationStatus::kInvalid;
  f.validation.detail = "crc32 mismatch";
  f.validation.decoded = {{"aws_account", "609629065308"}};
  f.verification.status = model::VerificationStatus::kLive;
  f.verification.identity = {{"login", "octocat"}};
  f.verification.scopes = {"repo", "gist"};
  f.verification.expiry = "2030-01-01T00:00:00Z";
  const std::string out = render(Format::kJson, {f, slack_finding()});

  simdjson::dom::parser parser;
  const auto doc = parse(parser, out);
  simdjson::dom::array array;
  REQUIRE(doc.get(array) == simdjson::SUCCESS);
  CHECK(array.size() == 2);
  CHECK(string_at(doc, "/0/rule_id") == "github-pat");
  CHECK(string_at(doc, "/0/rule_name") == "GitHub Personal Access Token");
  CHECK(string_at(doc, "/0/provider") == "github");
  CHECK(string_at(doc, "/0/kind") == "access-token");
  CHECK(string_at(doc, "/0/severity") == "high");
  CHECK(string_at(doc, "/0/confidence") == "high");
  CHECK(string_at(doc, "/0/secret") == "ghp_FAKE\u2026(40 chars)");
  CHECK(uint_at(doc, "/0/secret_length") == 40);
  CHECK(string_at(doc, "/0/fingerprint") == "0123456789abcdef");
  CHECK(contains(out, "\"entropy\": 4.88,"));
  CHECK(string_at(doc, "/0/captures/id") == "user-42");
  CHECK(string_at(doc, "/0/captures/host") == "db.internal");
  CHECK(string_at(doc, "/0/location/source") == "git");
  CHECK(string_at(doc, "/0/location/path") == "deploy/settings.env");
  CHECK(uint_at(doc, "/0/location/line") == 12);
  CHECK(uint_at(doc, "/0/location/column") == 5);
  CHECK(uint_at(doc, "/0/location/end_line") == 12);
  CHECK(uint_at(doc, "/0/location/end_column") == 44);
  CHECK(string_at(doc, "/0/location/blob_id").size() == 40);
  CHECK(string_at(doc, "/0/location/commit/id") ==
        "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
  CHECK(string_at(doc, "/0/location/commit/author_name") == "Jane Doe");
  CHECK(string_at(doc, "/0/location/commit/author_email") ==
        "jane@example.com");
  CHECK(string_at(doc, "/0/location/commit/author_date") ==
        "2024-01-05T10:22:01Z");
  CHECK(string_at(doc, "/0/location/commit/summary") == "Add deploy settings");
  CHECK(uint_at(doc, "/0/location/commit/other_commits") == 2);
  CHECK(uint_at(doc, "/0/location/commit/other_paths") == 1);
  CHECK(string_at(doc, "/0/validation/status") == "invalid");
  CHECK(string_at(doc, "/0/validation/detail") == "crc32 mismatch");
  CHECK(string_at(doc, "/0/validation/decoded/aws_account") == "609629065308");
  CHECK(string_at(doc, "/0/verification/status") == "live");
  CHECK(string_at(doc, "/0/verification/identity/login") == "octocat");
  CHECK(string_at(doc, "/0/verification/scopes/1") == "gist");
  CHECK(string_at(doc, "/0/verification/expiry") == "2030-01-01T00:00:00Z");
  CHECK_FALSE(has(doc, "/0/location/url"));

  CHECK(string_at(doc, "/1/location/source") == "slack");
  CHECK(string_at(doc, "/1/location/url") ==
        "https://example.slack.com/archives/C0123/p1694174625423609");
  CHECK(string_at(doc, "/1/location/attributes/channel") == "#deploys");
  CHECK_FALSE(has(doc, "/1/location/commit"));
  CHECK_FALSE(has(doc, "/1/location/blob_id"));
  CHECK(string_at(doc, "/1/verification/status") == "not_checked");
  CHECK(has(doc, "/1/verification/expiry"));
}

TEST_CASE("JSON output is an empty array when there are no findings",
          "[reporters][json]") {
  CHECK(render(Format::kJson, {}) == "[]\n");
  CHECK(render(Format::kJsonl, {}).empty());
}

TEST_CASE("JSON output carries the secret only when show_secrets is set",
          "[reporters][json]") {
  model::Finding f = git_finding();
  f.location.provenance->summary = "oops, committed " + kFakeGithubToken;
  f.location.path = "leak-" + kFakeGithubToken + ".txt";

  for (Format format : {Format::kJson, Format::kJsonl}) {
    const std::string hidden = render(format, {f});
    CHECK_FALSE(contains(hidden, kFakeGithubToken));
    CHECK(contains(hidden, "ghp_FAKE\u2026(40 chars)"));

    ReportOptions show;
    show.show_secrets = true;
    const std::string shown = render(format, {f}, show);
    simdjson::dom::parser parser;
    const auto doc = parse(parser, shown);
    const std::string prefix = format == Format::kJson ? "/0" : "";
    CHECK(string_at(doc, prefix + "/secret") == kFakeGithubToken);
  }
}

TEST_CASE("JSON captures that carry secrets are redacted, identities kept",
          "[reporters][json]") {
  model::Finding f = file_finding();
  f.captures = {{"secret", kFakeGithubToken},
                {"password", kFakePassword},
                {"user", "deploy-bot"},
                {"email", "bot@example.com"}};
  const std::string out = render(Format::kJson, {f});
  CHECK_FALSE(contains(out, kFakePassword));
  CHECK_FALSE(contains(out, kFakeGithubToken));

  simdjson::dom::parser parser;
  const auto doc = parse(parser, out);
  CHECK(string_at(doc, "/0/captures/password") == redact(kFakePassword));
  CHECK(string_at(doc, "/0/captures/secret") == redact(kFakeGithubToken));
  CHECK(string_at(doc, "/0/captures/user") == "deploy-bot");
  CHECK(string_at(doc, "/0/captures/email") == "bot@example.com");
}

TEST_CASE("JSON escaping yields valid JSON for quotes, controls and bad UTF-8",
          "[reporters][json]") {
  model::Finding f = file_finding();
  f.location.path = std::string("a\"b\\c\x01\x1f\n\t\r\b\f") + "\xff" +
                    "\xe2\x82" + "!" + "\xed\xa0\x80" + "\xc0\xaf" +
                    "\u00e9\u20ac\U0001F600" + std::string(1, '\0') + "\x7f";
  const std::string out = render(Format::kJson, {f});
  CHECK(contains(out, R"(a\"b\\c\u0001\u001f\n\t\r\b\f)"));

  simdjson::dom::parser parser;
  const auto doc = parse(parser, out);
  const std::string fffd = "\uFFFD";
  CHECK(string_at(doc, "/0/location/path") ==
        std::string("a\"b\\c\x01\x1f\n\t\r\b\f") + fffd + fffd + "!" + fffd +
            fffd + fffd + fffd + fffd + "\u00e9\u20ac\U0001F600" +
            std::string(1, '\0') + "\x7f");
}

TEST_CASE("JSON and JSONL stay valid for random bytes in every string",
          "[reporters][json]") {
  std::mt19937 random(20261204);
  auto noise = [&random] {
    std::string text(random() % 24, '\0');
    for (char& c : text) c = static_cast<char>(random() % 256);
    return text;
  };
  for (int round = 0; round < 300; ++round) {
    model::Finding f = git_finding();
    f.secret = noise();
    f.rule_name = noise();
    f.location.path = noise();
    f.location.provenance->summary = noise();
    f.location.set_attribute(noise(), noise());
    f.captures = {{noise(), noise()}, {"id", noise()}};
    f.validation.decoded = {{noise(), noise()}};
    ReportOptions options;
    options.show_secrets = round % 2 == 0;
    simdjson::dom::parser parser;
    parse(parser, render(Format::kJson, {f}, options));
    std::string line = render(Format::kJsonl, {f}, options);
    REQUIRE(std::count(line.begin(), line.end(), '\n') == 1);
    parse(parser, line);
  }
}

TEST_CASE("append_json_string replaces each invalid subpart once",
          "[reporters][json]") {
  auto quoted = [](std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
  };
  CHECK(quoted("plain") == "\"plain\"");
  CHECK(quoted("") == "\"\"");
  CHECK(quoted("\x80") == "\"\uFFFD\"");
  CHECK(quoted("\xf0\x9f\x98") == "\"\uFFFD\"");  // truncated emoji
  CHECK(quoted("\xf4\x90\x80\x80") == "\"\uFFFD\uFFFD\uFFFD\uFFFD\"");
  CHECK(quoted("\xe0\x80\x80") == "\"\uFFFD\uFFFD\uFFFD\"");  // overlong
  CHECK(quoted("\u2028") == "\"\u2028\"");
}

TEST_CASE("JSONL writes one compact object per line as findings arrive",
          "[reporters][json]") {
  std::ostringstream out;
  auto reporter = make_reporter(Format::kJsonl, out, {});
  reporter->begin();
  reporter->add(file_finding());
  const std::string first = out.str();
  REQUIRE(!first.empty());
  CHECK(first.back() == '\n');
  CHECK(std::count(first.begin(), first.end(), '\n') == 1);
  reporter->add(slack_finding());
  reporter->end({});

  std::istringstream lines(out.str());
  std::string line;
  std::vector<std::string> rules;
  simdjson::dom::parser parser;
  while (std::getline(lines, line)) {
    const auto doc = parse(parser, line);
    rules.push_back(string_at(doc, "/rule_id"));
  }
  CHECK(rules == std::vector<std::string>{"github-pat", "slack-bot-token"});
}

}  // namespace
}  // namespace sprawl::reporters
