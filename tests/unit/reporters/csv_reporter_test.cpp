// Tests of the CSV reporter: RFC 4180 quoting (checked by parsing the output
// back), the header row, redaction and the spreadsheet formula guard.
#include <catch2/catch.hpp>

#include "unit/reporters/report_fixtures.h"

namespace sprawl::reporters {
namespace {

using namespace testing;
using Rows = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
Rows parse_csv(std::string_view text) {
  Rows rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    std::string& cell = rows.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      REQUIRE(cell.empty());
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r') {
      REQUIRE((i + 1 < text.size() && text[i + 1] == '\n'));
      ++i;
      rows.emplace_back(1);
    } else {
      REQUIRE(c != '\n');
      cell.push_back(c);
    }
  }
  REQUIRE_FALSE(quoted);
  REQUIRE(rows.back() == std::vector<std::string>{""});
  rows.pop_back();
  return rows;
}

const std::vector<std::string> kHeader = {
    "rule_id", "provider",    "kind",        "severity",     "confidence",
    "secret",  "fingerprint", "entropy",     "source",       "path",
    "line",    "column",      "commit",      "author_email", "author_date",
    "url",     "validation",  "verification"};

TEST_CASE("CSV output starts with the header row even without findings",
          "[reporters][csv]") {
  const Rows rows = parse_csv(render(Format::kCsv, {}));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == kHeader);
}

TEST_CASE("CSV rows hold the documented columns", "[reporters][csv]") {
  const Rows rows = parse_csv(render(Format::kCsv, {git_finding()}));
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[1].size() == kHeader.size());
  const std::vector<std::string> expected = {
      "github-pat",
      "github",
      "access-token",
      "high",
      "high",
      "ghp_FAKE\u2026(40 chars)",
      "0123456789abcdef",
      "4.88",
      "git",
      "deploy/settings.env",
      "12",
      "5",
      "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
      "jane@example.com",
      "2024-01-05T10:22:01Z",
      "",
      "unchecked",
      "not_checked"};
  CHECK(rows[1] == expected);
}

TEST_CASE("CSV quotes fields holding commas, quotes and line breaks",
          "[reporters][csv]") {
  model::Finding f = file_finding();
  f.location.path = "dir, with \"quotes\"\r\nand lines\n.txt";
  const std::string out = render(Format::kCsv, {f});
  CHECK(contains(out, "\"dir, with \"\"quotes\"\"\r\nand lines\n.txt\""));
  const Rows rows = parse_csv(out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][9] == f.location.path);
}

TEST_CASE("CSV guards cells that a spreadsheet would run as formulas",
          "[reporters][csv]") {
  for (std::string start : {"=", "+", "-", "@", "\t"}) {
    model::Finding f = file_finding();
    f.location.path = start + "HYPERLINK(\"http://example.invalid\")";
    f.provider = start + "cmd";
    const Rows rows = parse_csv(render(Format::kCsv, {f}));
    REQUIRE(rows.size() == 2);
    CHECK(rows[1][9] == "'" + f.location.path);
    CHECK(rows[1][1] == "'" + f.provider);
  }
}

TEST_CASE("CSV carries the secret only when show_secrets is set",
          "[reporters][csv]") {
  model::Finding f = file_finding();
  f.secret =
      "-----BEGIN FAKE PRIVATE KEY-----\nAAAAfakefakefake\n"
      "-----END FAKE PRIVATE KEY-----";
  f.location.path = "keys/" + f.secret.substr(11, 20);

  const std::string hidden = render(Format::kCsv, {f});
  CHECK_FALSE(contains(hidden, "AAAAfakefakefake"));
  CHECK(parse_csv(hidden)[1][5] == "'" + redact(f.secret));

  ReportOptions show;
  show.show_secrets = true;
  const Rows rows = parse_csv(render(Format::kCsv, {f}, show));
  CHECK(rows[1][5] == "'" + f.secret);
}

TEST_CASE("CSV scrubs the raw secret out of other cells when redacting",
          "[reporters][csv]") {
  model::Finding f = git_finding();
  f.location.provenance->author_email = kFakeGithubToken + "@example.com";
  const std::string out = render(Format::kCsv, {f});
  CHECK_FALSE(contains(out, kFakeGithubToken));
}

}  // namespace
}  // namespace sprawl::reporters
