// Tests of the SARIF reporter: validity against the official 2.1.0 schema
// (through python3-jsonschema), the properties GitHub code scanning reads,
// the exports run, and that no raw secret ever reaches the output.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "reporters/sarif_uri.h"
#include "unit/reporters/report_fixtures.h"

namespace sprawl::reporters {
namespace {

using namespace testing;
namespace fs = std::filesystem;

fs::path schema_path() {
  const char* shared = std::getenv("SPRAWL_SHARED_DIR");
  const fs::path dir = shared != nullptr && *shared != '\0'
                           ? fs::path(shared)
                           : fs::path("/work/shared");
  return dir / "schemas" / "sarif-schema-2.1.0.json";
}

// 0 when the document validates; the validator's messages go to stderr.
int validate_sarif(const std::string& sarif, bool quiet = false) {
  const fs::path out =
      fs::temp_directory_path() /
      ("sprawl-sarif-" + std::to_string(::getpid()) + ".sarif");
  std::ofstream(out) << sarif;
  const std::string command =
      "/usr/bin/python3 -c 'import json,jsonschema,sys; "
      "jsonschema.validate(json.load(open(sys.argv[1])), "
      "json.load(open(sys.argv[2])))' '" +
      out.string() + "' '" + schema_path().string() + "'" +
      (quiet ? " >/dev/null 2>&1" : "");
  const int status = std::system(command.c_str());
  std::error_code ec;
  fs::remove(out, ec);
  return status;
}

std::vector<model::Rule> rule_table() {
  model::Rule rule;
  rule.id = "github-pat";
  rule.name = "GitHub Personal Access Token";
  rule.provider = "github";
  rule.kind = model::Kind::kAccessToken;
  rule.severity = model::Severity::kHigh;
  rule.confidence = model::Confidence::kHigh;
  rule.description = "A classic GitHub personal access token.";
  rule.remediation = "Revoke the token in GitHub settings.";
  rule.references = {"https://docs.github.com/en/authentication"};
  return {rule};
}

ScanSummary summary_with_problems() {
  ScanSummary s;
  s.inputs_scanned = 3;
  s.skipped = {{"big.bin", SkipReason::kTooLarge, "120 MiB > 100 MiB"},
               {"logo.png", SkipReason::kBinary, ""}};
  s.diagnostics = {
      {Diagnostic::Severity::kError,
       make_error(ErrorCode::kGit, "corrupt object", "repo", "abc123")},
      {Diagnostic::Severity::kWarning,
       make_error(ErrorCode::kRule, "fell back to RE2", "rule-x")}};
  return s;
}

std::vector<model::Finding> mixed_findings() {
  model::Finding second = file_finding();
  second.location.path = "src/other file.py";
  second.location.line = 0;
  second.location.column = 0;
  second.location.end_line = 0;
  second.location.end_column = 0;
  model::Finding low = file_finding();
  low.rule_id = "generic-password";
  low.rule_name = "Generic Password";
  low.provider = "generic";
  low.kind = model::Kind::kPassword;
  low.severity = model::Severity::kLow;
  low.confidence = model::Confidence::kLow;
  low.secret = kFakePassword;
  return {file_finding(), git_finding(), second, low, slack_finding()};
}

TEST_CASE("SARIF output validates against the SARIF 2.1.0 schema",
          "[reporters][sarif]") {
  if (!fs::exists(schema_path())) {
    WARN("SARIF schema not found at " << schema_path() << "; skipped");
    return;
  }
  const auto rules = rule_table();
  ReportOptions options;
  options.base_dir = "/work/repo";
  options.tool_version = "0.1.0";
  options.rules = &rules;

  SECTION("with files, git history, an export and diagnostics") {
    CHECK(validate_sarif(render(Format::kSarif, mixed_findings(), options,
                                summary_with_problems())) == 0);
  }
  SECTION("the check itself rejects an invalid document") {
    CHECK(validate_sarif(R"({"version": "2.1.0"})", true) != 0);
  }
  SECTION("with no findings at all") {
    CHECK(validate_sarif(render(Format::kSarif, {}, options)) == 0);
  }
  SECTION("with random bytes in every string") {
    std::mt19937 random(42);
    auto noise = [&random] {
      std::string text(1 + random() % 24, '\0');
      for (char& c : text) c = static_cast<char>(random() % 256);
      return text;
    };
    std::vector<model::Finding> findings;
    for (int i = 0; i < 40; ++i) {
      model::Finding f = i % 3 == 0 ? slack_finding() : git_finding();
      f.rule_id = noise();
      f.rule_name = noise();
      f.provider = noise();
      f.secret = noise();
      f.location.path = noise();
      f.location.url = noise();
      f.location.set_attribute(noise(), noise());
      f.captures = {{noise(), noise()}};
      if (f.location.provenance) f.location.provenance->summary = noise();
      findings.push_back(f);
    }
    ScanSummary summary;
    summary.skipped = {{noise(), SkipReason::kOther, noise()}};
    CHECK(validate_sarif(render(Format::kSarif, findings, options, summary)) ==
          0);
  }
  SECTION("with hostile bytes in every string") {
    model::Finding f = git_finding();
    f.location.path = "we\"ird\\ \x01\xff path.txt";
    f.location.provenance->summary = "bad \xc0 utf8 \x1b[31m";
    CHECK(validate_sarif(render(Format::kSarif, {f}, options)) == 0);
  }
}

TEST_CASE("SARIF never contains the raw secret, even with show_secrets",
          "[reporters][sarif]") {
  model::Finding f = git_finding();
  f.location.path = "leaks/" + kFakeGithubToken + ".txt";
  f.location.provenance->summary = "add " + kFakeGithubToken;
  f.captures = {{"secret", kFakeGithubToken},
                {"password", kFakePassword},
                {"id", "prefix-" + kFakeGithubToken}};
  f.validation.detail = kFakeGithubToken;
  model::Finding slack = slack_finding();
  slack.location.url += "?t=" + kFakeSlackToken;

  ReportOptions options;
  options.show_secrets = true;
  const std::string out = render(Format::kSarif, {f, slack}, options);
  CHECK_FALSE(contains(out, kFakeGithubToken));
  CHECK_FALSE(contains(out, kFakeSlackToken));
  CHECK_FALSE(contains(out, kFakePassword));
  CHECK(contains(out, "ghp_FAKE\u2026(40 chars)"));
}

TEST_CASE("A token-shaped user capture is redacted in every format",
          "[reporters][sarif]") {
  // A .netrc login that is a token, with x-oauth-basic as the password.
  const std::string token = "5c1e8a9b2d4f6071e3c9a8b7d6e5f4a3b2c1d0e9";
  model::Finding f = file_finding();
  f.captures = {{"user", token}, {"host", "github.com"}};
  for (Format format : {Format::kSarif, Format::kText, Format::kJson,
                        Format::kCsv}) {
    const std::string out = render(format, {f});
    CHECK_FALSE(contains(out, token));
    if (format != Format::kCsv) CHECK(contains(out, "github.com"));
  }
  f.captures = {{"user", "octo-dev"}};
  CHECK(contains(render(Format::kSarif, {f}), "octo-dev"));
}

TEST_CASE("SARIF rules carry what GitHub code scanning reads",
          "[reporters][sarif]") {
  const auto rules = rule_table();
  ReportOptions options;
  options.rules = &rules;
  options.tool_version = "1.2.3";
  const std::string out = render(Format::kSarif, mixed_findings(), options);
  simdjson::dom::parser parser;
  const auto doc = parse(parser, out);

  CHECK(string_at(doc, "/version") == "2.1.0");
  CHECK(has(doc, "/$schema"));
  CHECK(string_at(doc, "/runs/0/tool/driver/name") == "sprawl");
  CHECK(string_at(doc, "/runs/0/tool/driver/semanticVersion") == "1.2.3");
  CHECK(has(doc, "/runs/0/tool/driver/informationUri"));

  simdjson::dom::array driver_rules;
  REQUIRE(doc.at_pointer("/runs/0/tool/driver/rules").get(driver_rules) ==
          simdjson::SUCCESS);
  CHECK(driver_rules.size() == 2);  // github-pat once, generic-password
  const std::string r = "/runs/0/tool/driver/rules/0";
  CHECK(string_at(doc, r + "/id") == "github-pat");
  CHECK(string_at(doc, r + "/shortDescription/text") ==
        "GitHub Personal Access Token");
  CHECK(string_at(doc, r + "/fullDescription/text") ==
        "A classic GitHub personal access token.");
  CHECK(contains(string_at(doc, r + "/help/text"), "Revoke the token"));
  CHECK(contains(string_at(doc, r + "/help/markdown"),
                 "<https://docs.github.com/en/authentication>"));
  CHECK(string_at(doc, r + "/properties/security-severity") == "8.0");
  CHECK(string_at(doc, r + "/properties/precision") == "high");
  CHECK(string_at(doc, r + "/properties/tags/0") == "security");
  CHECK(string_at(doc, r + "/properties/tags/1") == "secret");
  CHECK(string_at(doc, r + "/properties/tags/2") == "github");
  CHECK(string_at(doc, r + "/properties/tags/3") == "access-token");
  CHECK(string_at(doc, r + "/defaultConfiguration/level") == "error");

  const std::string low = "/runs/0/tool/driver/rules/1";
  CHECK(string_at(doc, low + "/id") == "generic-password");
  CHECK(string_at(doc, low + "/properties/security-severity") == "3.0");
  CHECK(string_at(doc, low + "/properties/precision") == "low");
  CHECK(string_at(doc, low + "/defaultConfiguration/level") == "note");
}

TEST_CASE("SARIF security-severity follows the finding's severity scale",
          "[reporters][sarif]") {
  const std::pair<model::Severity, std::string> cases[] = {
      {model::Severity::kCritical, "9.5"},
      {model::Severity::kHigh, "8.0"},
      {model::Severity::kMedium, "5.5"},
      {model::Severity::kLow, "3.0"}};
  for (const auto& [severity, expected] : cases) {
    model::Finding f = file_finding();
    f.severity = severity;
    simdjson::dom::parser parser;
    const auto doc = parse(parser, render(Format::kSarif, {f}));
    CHECK(string_at(doc,
                    "/runs/0/tool/driver/rules/0/properties/"
                    "security-severity") == expected);
  }
}

TEST_CASE("SARIF results have one physical location with columns from 1",
          "[reporters][sarif]") {
  ReportOptions options;
  options.base_dir = "/work/repo";
  std::vector<model::Finding> findings = mixed_findings();
  findings[0].location.path = "/work/repo/src/config.py";
  findings[2].location.path = "/work/repo/src/other file.py";
  findings[3].location.path = "/work/repo/src/low.py";
  const std::string out = render(Format::kSarif, findings, options);
  simdjson::dom::parser parser;
  const auto doc = parse(parser, out);

  simdjson::dom::array results;
  REQUIRE(doc.at_pointer("/runs/0/results").get(results) == simdjson::SUCCESS);
  REQUIRE(results.size() == 4);
  std::set<std::string> hashes;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string res = "/runs/0/results/" + std::to_string(i);
    simdjson::dom::array locations;
    REQUIRE(doc.at_pointer(res + "/locations").get(locations) ==
            simdjson::SUCCESS);
    CHECK(locations.size() == 1);
    const std::string region = res + "/locations/0/physicalLocation/region";
    CHECK(uint_at(doc, region + "/startLine") >= 1);
    CHECK(uint_at(doc, region + "/startColumn") >= 1);
    CHECK(uint_at(doc, region + "/endLine") >= 1);
    CHECK(uint_at(doc, region + "/endColumn") >= 1);
    const std::string hash =
        string_at(doc, res + "/partialFingerprints/primaryLocationLineHash");
    CHECK(hash.size() == 18);
    CHECK(hash.substr(16) == ":1");
    hashes.insert(hash);
    CHECK(string_at(doc, res + "/locations/0/physicalLocation/"
                               "artifactLocation/uriBaseId") == "%SRCROOT%");
  }
  CHECK(hashes.size() == 4);

  const std::string first = "/runs/0/results/0";
  CHECK(string_at(doc, first + "/ruleId") == "github-pat");
  CHECK(uint_at(doc, first + "/ruleIndex") == 0);
  CHECK(uint_at(doc, "/runs/0/results/3/ruleIndex") == 1);
  CHECK(string_at(doc, first + "/level") == "error");
  CHECK(string_at(doc, first + "/locations/0/physicalLocation/"
                               "artifactLocation/uri") == "src/config.py");
  CHECK(uint_at(doc, first + "/locations/0/physicalLocation/region/"
                             "endColumn") == 45);
  CHECK(string_at(doc,
                  "/runs/0/results/2/locations/0/physicalLocation/"
                  "artifactLocation/uri") == "src/other%20file.py");
  CHECK(string_at(doc, "/runs/0/originalUriBaseIds/%SRCROOT%/uri") ==
        "file:///work/repo/");
  CHECK(string_at(doc, first + "/properties/fingerprint") ==
        "0123456789abcdef");

  const std::string git = "/runs/0/results/1";
  CHECK(string_at(doc, git + "/properties/commit/id") ==
        "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
  CHECK(contains(string_at(doc, git + "/message/text"),
                 "Introduced in commit 1a2b3c4d by Jane Doe"));
  CHECK(string_at(doc, git + "/locations/0/physicalLocation/"
                             "artifactLocation/uri") == "deploy/settings.env");
}

TEST_CASE("SARIF puts Slack, Jira and JSONL findings in a second run",
          "[reporters][sarif]") {
  model::Finding jira = slack_finding();
  jira.location.source = model::SourceKind::kJira;
  jira.location.path = "OPS-12/comment/10042";
  jira.location.url = "https://example.atlassian.net/browse/OPS-12";
  std::vector<model::Finding> findings = mixed_findings();
  findings.push_back(jira);
  const std::string out = render(Format::kSarif, findings);
  simdjson::dom::parser parser;
  const auto doc = parse(parser, out);

  simdjson::dom::array runs;
  REQUIRE(doc.at_pointer("/runs").get(runs) == simdjson::SUCCESS);
  REQUIRE(runs.size() == 2);
  CHECK(string_at(doc, "/runs/0/automationDetails/id") == "sprawl/files/");
  CHECK(string_at(doc, "/runs/1/automationDetails/id") == "sprawl/exports/");
  CHECK(string_at(doc, "/runs/1/tool/driver/rules/0/id") == "slack-bot-token");
  CHECK(uint_at(doc, "/runs/1/results/1/ruleIndex") == 0);

  const std::string slack = "/runs/1/results/0";
  CHECK_FALSE(has(doc, slack + "/locations/0/physicalLocation"));
  CHECK(string_at(doc, slack + "/locations/0/logicalLocations/0/kind") ==
        "slack-message");
  CHECK(contains(string_at(doc, slack + "/message/text"),
                 "https://example.slack.com/archives/C0123/"));
  CHECK(string_at(doc, slack + "/locations/0/properties/attributes/"
                               "channel") == "#deploys");
  CHECK(string_at(doc,
                  "/runs/1/results/1/locations/0/logicalLocations/0/"
                  "fullyQualifiedName") == "jira:OPS-12/comment/10042");
}

TEST_CASE("SARIF omits the exports run when there are no export findings",
          "[reporters][sarif]") {
  simdjson::dom::parser parser;
  const auto doc = parse(parser, render(Format::kSarif, {file_finding()}));
  simdjson::dom::array runs;
  REQUIRE(doc.at_pointer("/runs").get(runs) == simdjson::SUCCESS);
  CHECK(runs.size() == 1);
}

TEST_CASE(
    "SARIF reports every skipped input and diagnostic as a "
    "notification",
    "[reporters][sarif]") {
  simdjson::dom::parser parser;
  const auto doc =
      parse(parser, render(Format::kSarif, {}, {}, summary_with_problems()));
  const std::string inv = "/runs/0/invocations/0";
  bool success = true;
  REQUIRE(doc.at_pointer(inv + "/executionSuccessful").get(success) ==
          simdjson::SUCCESS);
  CHECK_FALSE(success);
  simdjson::dom::array notes;
  REQUIRE(doc.at_pointer(inv + "/toolExecutionNotifications").get(notes) ==
          simdjson::SUCCESS);
  CHECK(notes.size() == 4);
  CHECK(string_at(doc, inv + "/toolExecutionNotifications/0/properties/"
                             "input") == "big.bin");
  CHECK(string_at(doc, inv + "/toolExecutionNotifications/2/level") == "error");
  CHECK(contains(string_at(doc, inv + "/toolExecutionNotifications/2/"
                                      "message/text"),
                 "corrupt object"));
  CHECK(string_at(doc, inv + "/toolExecutionNotifications/3/level") ==
        "warning");
}

TEST_CASE("SARIF URIs are relative, slash-separated and percent-encoded",
          "[reporters][sarif]") {
  model::Location loc;
  loc.path = "/scan/root/a dir/ü#1.txt";
  CHECK(artifact_uri(loc, "/scan/root").uri == "a%20dir/%C3%BC%231.txt");
  CHECK(artifact_uri(loc, "/scan/root/").relative);
  CHECK(artifact_uri(loc, "/elsewhere").uri ==
        "file:///scan/root/a%20dir/%C3%BC%231.txt");
  CHECK_FALSE(artifact_uri(loc, "/elsewhere").relative);
  loc.path = "./src/./x.py";
  CHECK(artifact_uri(loc, "").uri == "src/x.py");
  CHECK(artifact_uri(loc, "/not/the/cwd").uri == "src/x.py");
  CHECK(artifact_uri(loc, "/not/the/cwd").relative);
  loc.path = "../outside.txt";
  CHECK_FALSE(artifact_uri(loc, "").relative);
  loc.source = model::SourceKind::kGit;
  loc.path = "docs/read me.md";
  CHECK(artifact_uri(loc, "/any/where").uri == "docs/read%20me.md");
  CHECK(base_dir_uri("/scan/root") == "file:///scan/root/");
  CHECK(scan_root("/scan/root") == "/scan/root");
  CHECK(base_dir_uri("").empty());
}

TEST_CASE("SARIF of a single-file scan is relative to the file's folder",
          "[reporters][sarif]") {
  const fs::path dir =
      fs::temp_directory_path() / ("sprawl-root-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "settings.env";
  std::ofstream(file) << "fake\n";
  CHECK(scan_root(file.string()) == dir.string());

  model::Finding f = file_finding();
  f.location.path = file.string();
  ReportOptions options;
  options.base_dir = file.string();
  simdjson::dom::parser parser;
  const auto doc = parse(parser, render(Format::kSarif, {f}, options));
  CHECK(string_at(doc,
                  "/runs/0/results/0/locations/0/physicalLocation/"
                  "artifactLocation/uri") == "settings.env");
  CHECK(string_at(doc, "/runs/0/originalUriBaseIds/%SRCROOT%/uri") ==
        "file://" + dir.string() + "/");
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace sprawl::reporters
