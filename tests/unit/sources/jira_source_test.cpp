// Tests of the Jira export source (issue 5): REST JSON (v2 wiki, v3 ADF,
// search page, JSONL), entities.xml alone and in a backup zip, and the CSV
// export each report their planted secrets with issue, field and link.
#include "sprawl/sources/jira_source.h"

#include <catch2/catch.hpp>

#include "archive_test_helpers.h"
#include "sprawl/sources/open.h"

namespace sprawl {
namespace {

using namespace test_exports;

constexpr const char* kSite = "https://acme.atlassian.net";

std::vector<Collected> scan_jira(const std::string& path,
                                 Diagnostics& diagnostics,
                                 const std::string& site = kSite) {
  sources::SourceOptions options;
  options.jira_site = site;
  auto source = sources::make_jira_source(path, options, diagnostics);
  REQUIRE(source);
  return drain(**source);
}

/// The planted Jira secrets reported under these paths (issue keys or
/// export entries).
std::vector<Check> checks_for(const std::vector<std::string>& paths) {
  std::vector<Check> out;
  for (const Check& check : load_checks("jira"))
    for (const std::string& path : paths)
      if (check.path == path) out.push_back(check);
  return out;
}

const auto kAll = [](const Check&) { return true; };

TEST_CASE(
    "Jira source reports the secrets of a v3 search page with ADF "
    "bodies, comments, worklogs, attachments, custom fields and "
    "changelog",
    "[jira]") {
  Diagnostics diagnostics;
  auto blobs =
      scan_jira(corpus_path("jira/search-page.json").string(), diagnostics);
  require_all(blobs, checks_for({"OPS-101", "OPS-102"}), kAll);
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Jira source reports the secrets of a v2 issue in wiki markup",
          "[jira]") {
  Diagnostics diagnostics;
  auto blobs = scan_jira(corpus_path("jira/OPS-7.json").string(), diagnostics);
  require_all(blobs, checks_for({"OPS-7"}), kAll);
}

TEST_CASE("Jira source takes the site from self URLs when none is given",
          "[jira]") {
  Diagnostics diagnostics;
  auto blobs =
      scan_jira(corpus_path("jira/OPS-7.json").string(), diagnostics, "");
  require_all(blobs, checks_for({"OPS-7"}), kAll);
}

TEST_CASE("Jira source reads a JSONL of issues line by line", "[jira]") {
  Diagnostics diagnostics;
  auto blobs =
      scan_jira(corpus_path("jira/issues.jsonl").string(), diagnostics);
  require_all(blobs, checks_for({"OPS-201", "OPS-202"}), kAll);
}

TEST_CASE("Jira source joins ADF text split across marks", "[jira]") {
  auto checks = checks_for({"OPS-101"});
  Diagnostics diagnostics;
  auto blobs =
      scan_jira(corpus_path("jira/search-page.json").string(), diagnostics);
  // The AWS key id is split as strong + code marks in the description.
  const std::string& key_id = checks.front().secret;
  REQUIRE(key_id.starts_with("AKIA"));
  bool joined = false;
  for (const Collected& blob : blobs)
    if (blob.location.attribute("field") == "description" &&
        blob.text.find("Rotated key " + key_id) != std::string::npos)
      joined = true;
  CHECK(joined);
}

TEST_CASE(
    "Jira source streams entities.xml: header comment, issues, "
    "comments, change items, custom fields, properties",
    "[jira]") {
  Diagnostics diagnostics;
  auto blobs =
      scan_jira(corpus_path("jira/entities.xml").string(), diagnostics);
  require_all(blobs, checks_for({"OPS-301", "entities.xml"}), kAll);
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Jira source reads entities.xml inside a backup zip", "[jira]") {
  TempDir dir;
  fs::path zip = dir.path / "JIRA-backup-20230912.zip";
  write_zip(zip, {{"entities.xml", read_file(corpus_path("jira/entities.xml"))},
                  {"activeobjects.xml",
                   "<?xml version=\"1.0\"?><backup><data/></backup>"}});
  REQUIRE(sources::is_jira_export(zip.string()));
  Diagnostics diagnostics;
  auto blobs = scan_jira(zip.string(), diagnostics);
  require_all(blobs, checks_for({"OPS-301", "entities.xml"}), kAll);
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Jira finish fills links from jira.baseurl for entities.xml",
          "[jira]") {
  auto checks = checks_for({"OPS-301"});
  Diagnostics diagnostics;
  auto source = sources::make_jira_source(
      corpus_path("jira/entities.xml").string(), {}, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  const Check& comment = [&]() -> const Check& {
    for (const Check& c : checks)
      if (c.attrs.back().second == "comment:10400") return c;
    FAIL("no comment check");
    return checks.front();
  }();
  auto findings = findings_for(blobs, comment.secret, "github-pat");
  REQUIRE(findings.size() == 1);
  (*source)->finish(findings);
  CHECK(findings[0].location.url ==
        "https://jira.acme-corp.io/browse/OPS-301?focusedCommentId=10400");
  CHECK(findings[0].location.attribute("issue") == "OPS-301");
}

TEST_CASE(
    "Jira source resolves an issue key in finish when rows precede "
    "their issue",
    "[jira]") {
  TempDir dir;
  std::string secret = "ghp_Zr8LqK2mTx5NvB7cWd4FhJ9pYs3GaE6uQk1o";
  write_file(dir.path / "entities.xml",
             "<?xml version=\"1.0\"?>\n<entity-engine-xml>\n"
             "<Action id=\"7\" issue=\"55\" type=\"comment\" author=\"a\" "
             "body=\"pat " +
                 secret +
                 "\"/>\n"
                 "<Issue id=\"55\" key=\"SEC-9\" summary=\"late\"/>\n"
                 "</entity-engine-xml>\n");
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.jira_site = kSite;
  auto source = sources::make_jira_source((dir.path / "entities.xml").string(),
                                          options, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  auto findings = findings_for(blobs, secret, "github-pat");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.attribute("issue").empty());
  (*source)->finish(findings);
  CHECK(findings[0].location.attribute("issue") == "SEC-9");
  CHECK(findings[0].location.url ==
        std::string(kSite) + "/browse/SEC-9?focusedCommentId=7");
}

TEST_CASE(
    "Jira source reads the CSV export with multi-line cells and "
    "repeated columns",
    "[jira]") {
  Diagnostics diagnostics;
  auto blobs =
      scan_jira(corpus_path("jira/all-fields.csv").string(), diagnostics);
  require_all(blobs, checks_for({"OPS-401"}), kAll);
  bool private_key_whole = false;
  for (const Collected& blob : blobs)
    if (blob.location.attribute("field") == "Description" &&
        blob.text.find("-----BEGIN EC PRIVATE KEY-----\n") !=
            std::string::npos &&
        blob.text.find("-----END EC PRIVATE KEY-----") != std::string::npos &&
        blob.text.find("\"do not share\"") != std::string::npos)
      private_key_whole = true;
  CHECK(private_key_whole);
}

TEST_CASE("Jira source scans a whole export folder", "[jira]") {
  REQUIRE(sources::is_jira_export(corpus_path("jira").string()));
  Diagnostics diagnostics;
  auto blobs = scan_jira(corpus_path("jira").string(), diagnostics);
  require_all(blobs, load_checks("jira"), kAll);
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Jira detection recognises each export form and nothing else",
          "[jira]") {
  for (const char* path :
       {"jira/search-page.json", "jira/OPS-7.json", "jira/issues.jsonl",
        "jira/entities.xml", "jira/all-fields.csv"})
    CHECK(sources::is_jira_export(corpus_path(path).string()));
  CHECK_FALSE(sources::is_jira_export(corpus_path("documents.jsonl").string()));
  CHECK_FALSE(
      sources::is_jira_export(corpus_path("slack/users.json").string()));
  CHECK_FALSE(sources::is_jira_export(corpus_path("EXPECTED.md").string()));
}

TEST_CASE(
    "Jira source reports malformed XML, deep JSON and a non-issue "
    "JSON by name",
    "[jira]") {
  TempDir dir;
  write_file(dir.path / "a-broken.xml",
             "<entity-engine-xml><Issue id=\"1\" key=\"X-1\" "
             "summary=\"s\"></entity-engine-xml>");
  write_file(dir.path / "b-deep.json",
             "{\"key\":\"X-2\",\"fields\":" + std::string(100000, '[') +
                 std::string(100000, ']') + "}");
  write_file(dir.path / "c-other.json", "{\"key\": 1, \"fields\": null}");
  write_file(dir.path / "d-ok.json",
             "{\"key\":\"X-4\",\"self\":\"https://j.acme-corp.io/rest/api/2/"
             "issue/4\",\"fields\":{\"summary\":\"s "
             "sk_live_Tq7Zr2KxP9dLs4VmWn8Bc3Hj\"}}");
  Diagnostics diagnostics;
  auto blobs = scan_jira(dir.path.string(), diagnostics, "");
  bool xml = false, deep = false;
  for (const auto& d : diagnostics.diagnostics())
    if (d.error.describe().find("a-broken.xml") != std::string::npos &&
        d.error.describe().find("malformed XML") != std::string::npos)
      xml = true;
  for (const auto& s : diagnostics.skipped_inputs())
    if (s.input.find("b-deep.json") != std::string::npos &&
        s.detail.find("nested deeper") != std::string::npos)
      deep = true;
  CHECK(xml);
  CHECK(deep);
  bool ok = false;
  for (const Collected& blob : blobs)
    if (blob.text.find("sk_live_Tq7Zr2KxP9dLs4VmWn8Bc3Hj") != std::string::npos)
      ok = blob.location.url == "https://j.acme-corp.io/browse/X-4";
  CHECK(ok);
}

TEST_CASE("open_source picks the Jira source for Jira exports", "[jira]") {
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.jira_site = kSite;
  auto source = sources::open_source(
      corpus_path("jira/search-page.json").string(), options, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  REQUIRE(!blobs.empty());
  CHECK(blobs.front().location.source == model::SourceKind::kJira);
}

}  // namespace
}  // namespace sprawl
