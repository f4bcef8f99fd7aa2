// Tests of the text reporter: the finding block, colour only on request,
// terminal-safe output, and a summary that leaves nothing out.
#include <catch2/catch.hpp>

#include "unit/reporters/report_fixtures.h"

namespace sprawl::reporters {
namespace {

using namespace testing;

TEST_CASE("Text block shows rule, severity, provider, secret and place",
          "[reporters][text]") {
  const std::string out = render(Format::kText, {file_finding()});
  CHECK(contains(out, "GitHub Personal Access Token (github-pat)"));
  CHECK(contains(out, "high, confidence high"));
  CHECK(contains(out, "github, kind access-token"));
  CHECK(contains(out, "ghp_FAKE\u2026(40 chars)"));
  CHECK(contains(out, "src/config.py:12:5"));
  CHECK_FALSE(contains(out, kFakeGithubToken));
  CHECK_FALSE(contains(out, "\x1b["));
}

TEST_CASE("A finding's note is shown in text, JSON and SARIF",
          "[reporters][text]") {
  model::Finding f = file_finding();
  f.note = "the value reads like a default";
  CHECK(contains(render(Format::kText, {f}), "note        the value reads"));
  CHECK(contains(render(Format::kJson, {f}), "the value reads like a default"));
  CHECK(contains(render(Format::kSarif, {f}), "Note: the value reads"));
  CHECK_FALSE(contains(render(Format::kJson, {file_finding()}), "\"note\""));
}

TEST_CASE("Text shows the raw secret only when show_secrets is set",
          "[reporters][text]") {
  ReportOptions show;
  show.show_secrets = true;
  CHECK(contains(render(Format::kText, {file_finding()}, show),
                 kFakeGithubToken));
}

TEST_CASE("Text shows commit, author, date and summary for git findings",
          "[reporters][text]") {
  const std::string out = render(Format::kText, {git_finding()});
  CHECK(contains(out, "deploy/settings.env:12:5"));
  CHECK(contains(out,
                 "1a2b3c4d by Jane Doe <jane@example.com> on "
                 "2024-01-05T10:22:01Z"));
  CHECK(contains(out, "\"Add deploy settings\""));
  CHECK(contains(out, "also in 2 other commits, 1 other path"));
}

TEST_CASE("Text shows the link and attributes of export findings",
          "[reporters][text]") {
  const std::string out = render(Format::kText, {slack_finding()});
  CHECK(contains(out,
                 "https://example.slack.com/archives/C0123/p1694174625423609"));
  CHECK(contains(out, "#deploys"));
  CHECK(contains(out, "1694174625.423609"));
}

TEST_CASE("Text shows validation and verification when they were checked",
          "[reporters][text]") {
  model::Finding f = file_finding();
  SECTION("unchecked and not checked are not shown") {
    const std::string out = render(Format::kText, {f});
    CHECK_FALSE(contains(out, "checksum"));
    CHECK_FALSE(contains(out, "verified"));
  }
  SECTION("an invalid checksum says confidence was lowered") {
    f.validation.status = model::ValidationStatus::kInvalid;
    f.validation.detail = "crc32 mismatch";
    CHECK(contains(render(Format::kText, {f}),
                   "checksum    invalid (crc32 mismatch) \u2014 confidence "
                   "lowered"));
  }
  SECTION("a live secret is marked LIVE, in bold red with colour") {
    f.verification.status = model::VerificationStatus::kLive;
    f.verification.identity = {{"login", "octocat"}};
    f.verification.scopes = {"repo", "gist"};
    const std::string plain = render(Format::kText, {f});
    CHECK(contains(plain, "[LIVE] GitHub"));
    CHECK(contains(plain, "verified    LIVE"));
    CHECK(contains(plain, "login=octocat"));
    CHECK(contains(plain, "repo, gist"));
    CHECK(contains(plain, "1 finding LIVE"));

    ReportOptions color;
    color.color = true;
    const std::string colored = render(Format::kText, {f}, color);
    CHECK(contains(colored, "\x1b[1;31mLIVE\x1b[0m"));
  }
  SECTION("an unknown verification shows its reason") {
    f.verification.status = model::VerificationStatus::kUnknown;
    f.verification.reason = "timeout";
    CHECK(contains(render(Format::kText, {f}), "unknown (timeout)"));
  }
}

TEST_CASE("Text neutralises escape sequences from scanned data",
          "[reporters][text]") {
  model::Finding f = git_finding();
  f.location.path = "evil\x1b]0;pwned\x07.txt";
  f.location.provenance->summary =
      "\x1b[2Jclear \xc2\x9b"
      "31m";
  const std::string out = render(Format::kText, {f});
  CHECK_FALSE(contains(out, "\x1b"));
  CHECK_FALSE(contains(out, "\x07"));
  CHECK_FALSE(contains(out, "\xc2\x9b"));
  CHECK(contains(out, "evil\\x1b]0;pwned\\x07.txt"));
}

TEST_CASE("Text summary lists every skipped input and every diagnostic",
          "[reporters][text]") {
  ScanSummary s;
  s.inputs_scanned = 12;
  s.bytes_scanned = 3 * 1024 * 1024;
  s.seconds = 0.84;
  s.suppressed_inline = 2;
  s.suppressed_baseline = 1;
  for (int i = 0; i < 50; ++i)
    s.skipped.push_back(
        {"vendor/blob" + std::to_string(i) + ".bin", SkipReason::kBinary, ""});
  s.skipped.push_back({"huge.log", SkipReason::kTooLarge, "120 MiB > 100 MiB"});
  s.diagnostics = {
      {Diagnostic::Severity::kError,
       make_error(ErrorCode::kIo, "permission denied", "secret.txt")},
      {Diagnostic::Severity::kWarning,
       make_error(ErrorCode::kRule, "fell back to RE2", "rule-x")}};
  const std::string out = render(Format::kText, {file_finding()}, {}, s);

  CHECK(contains(out, "1 finding in 12 inputs (3.0 MiB) scanned in 0.84 s"));
  CHECK(contains(out, "suppressed: 2 inline, 1 by baseline"));
  CHECK(contains(out, "skipped 51 inputs:"));
  for (int i = 0; i < 50; ++i)
    CHECK(contains(out, "vendor/blob" + std::to_string(i) + ".bin: binary"));
  CHECK(contains(out, "huge.log: too large (120 MiB > 100 MiB)"));
  CHECK(contains(out, "error: secret.txt: permission denied"));
  CHECK(contains(out, "warning: rule-x: fell back to RE2"));
}

TEST_CASE("write_text_summary writes the summary alone, for stderr",
          "[reporters][text]") {
  ScanSummary s;
  s.findings = 2;
  s.skipped = {{"a.bin", SkipReason::kBinary, ""},
               {"b.bin", SkipReason::kExcluded, "by .gitignore"}};
  std::ostringstream err;
  write_text_summary(err, s, {});
  CHECK(err.str() ==
        "2 findings in 0 inputs (0 B) scanned in 0.00 s\n"
        "skipped 2 inputs:\n"
        "  a.bin: binary\n"
        "  b.bin: excluded (by .gitignore)\n");
}

TEST_CASE("Text summary says so when nothing was found", "[reporters][text]") {
  const std::string out = render(Format::kText, {});
  CHECK(out == "0 findings in 0 inputs (0 B) scanned in 0.00 s\n");
}

}  // namespace
}  // namespace sprawl::reporters
