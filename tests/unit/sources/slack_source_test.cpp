// Tests of the Slack export source (issue 5): every planted secret of
// corpus/slack is reported decoded, with channel, message, user and
// permalink, from the folder and from a zip; hostile exports are reported.
#include "sprawl/sources/slack_source.h"

#include <catch2/catch.hpp>

#include "archive_test_helpers.h"
#include "sprawl/sources/open.h"

namespace sprawl {
namespace {

using namespace test_exports;

std::unique_ptr<sources::Source> open_slack(
    const std::string& path, Diagnostics& diagnostics,
    sources::SourceOptions options = {}) {
  auto source = sources::make_slack_source(path, options, diagnostics);
  REQUIRE(source);
  return std::move(*source);
}

sources::SourceOptions with_workspace() {
  sources::SourceOptions options;
  options.slack_workspace = "acme-corp";
  return options;
}

const Check& find_check(const std::vector<Check>& checks,
                        const std::string& field, const std::string& ts) {
  for (const Check& check : checks)
    if (check.attrs.back().second == field && (ts.empty() || [&] {
          for (const auto& [k, v] : check.attrs)
            if (k == "ts") return v == ts;
          return false;
        }()))
      return check;
  FAIL("no check for " << field << " " << ts);
  return checks.front();
}

bool any_skip_names(const Diagnostics& diagnostics, const std::string& part) {
  for (const auto& skip : diagnostics.skipped_inputs())
    if (skip.input.find(part) != std::string::npos) return true;
  return false;
}

bool any_message_names(const Diagnostics& diagnostics,
                       const std::string& part) {
  for (const auto& d : diagnostics.diagnostics())
    if (d.error.describe().find(part) != std::string::npos) return true;
  return false;
}

TEST_CASE(
    "Slack source reports every planted secret with its location "
    "and permalink",
    "[slack]") {
  Diagnostics diagnostics;
  auto source =
      open_slack(corpus_path("slack").string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  require_all(blobs, load_checks("slack"), [](const Check&) { return true; });
  CHECK(diagnostics.error_count() == 0);
  CHECK(diagnostics.skipped_count() == 0);
}

TEST_CASE(
    "Slack source reads the export zip in memory with the same "
    "locations",
    "[slack]") {
  TempDir dir;
  fs::path zip = dir.path / "Acme Slack export.zip";
  write_zip(zip, folder_entries(corpus_path("slack"),
                                "Acme Corp Slack export Sep 12 2023/"));
  REQUIRE(sources::is_slack_export(zip.string()));
  Diagnostics diagnostics;
  auto source = open_slack(zip.string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  require_all(blobs, load_checks("slack"), [](const Check&) { return true; });
  CHECK(diagnostics.error_count() == 0);
  CHECK(fs::directory_iterator(dir.path) != fs::directory_iterator());
  CHECK(std::distance(fs::directory_iterator(dir.path),
                      fs::directory_iterator()) == 1);
}

TEST_CASE(
    "Slack source decodes mrkdwn escapes, link markup and \\/ "
    "escapes before scanning",
    "[slack]") {
  Diagnostics diagnostics;
  auto source = open_slack(corpus_path("slack").string(), diagnostics);
  auto blobs = drain(*source);
  bool saw_link = false;
  for (const Collected& blob : blobs) {
    CHECK(blob.text.find("&amp;") == std::string::npos);
    CHECK(blob.text.find("\\/") == std::string::npos);
    if (blob.location.attribute("ts") == "1694174625.423609" &&
        blob.location.attribute("field") == "text") {
      CHECK(blob.text.find("https://ci.acme-corp.io/job/42?a=1&b=2 job 42") !=
            std::string::npos);
      saw_link = true;
    }
  }
  CHECK(saw_link);
}

TEST_CASE(
    "Slack source joins a token split by bold and code styling in "
    "blocks",
    "[slack]") {
  auto checks = load_checks("slack");
  const Check& split = find_check(checks, "blocks", "1694174701.000200");
  Diagnostics diagnostics;
  auto source = open_slack(corpus_path("slack").string(), diagnostics);
  auto blobs = drain(*source);
  bool in_blocks = false, in_text = false;
  for (const Collected& blob : blobs) {
    if (blob.text.find(split.secret) == std::string::npos) continue;
    in_blocks |= blob.location.attribute("field") == "blocks";
    in_text |= blob.location.attribute("field") == "text";
  }
  CHECK(in_blocks);
  CHECK_FALSE(in_text);
}

TEST_CASE(
    "Slack finish infers the workspace from a file permalink and "
    "fills the link",
    "[slack]") {
  auto checks = load_checks("slack");
  const Check& reply = find_check(checks, "text", "1694175060.200300");
  Diagnostics diagnostics;
  auto source = open_slack(corpus_path("slack").string(), diagnostics);
  auto blobs = drain(*source);
  auto findings = findings_for(blobs, reply.secret, "aws-access-key-id");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.url.empty());
  source->finish(findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.attribute("workspace") == "acme-corp");
  CHECK(findings[0].location.url == reply.url);
  CHECK(reply.url.find("?thread_ts=1694175000.100100&cid=C05DEPLOYS") !=
        std::string::npos);
}

TEST_CASE("Slack finish reports the file-URL export token once per export",
          "[slack]") {
  auto checks = load_checks("slack");
  const Check& token = find_check(checks, "files[0].url_private", "");
  Diagnostics diagnostics;
  auto source =
      open_slack(corpus_path("slack").string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  // Scanned once, not once per file URL: findings stay bounded on exports
  // with millions of files.
  auto findings = findings_for(blobs, token.secret, "slack-refresh-token");
  CHECK(findings.size() == 1);
  std::size_t file_urls = 0;
  for (const Collected& blob : blobs) {
    const std::string& field = blob.location.attribute("field");
    if (field.find("url_private") == std::string::npos ||
        blob.text == token.secret)
      continue;
    ++file_urls;
    CHECK(blob.text.find("t=xoxe-") == std::string::npos);
    CHECK(blob.text.starts_with("https://files.slack.com/files-pri/"));
  }
  CHECK(file_urls == 5);
  source->finish(findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.attribute("note") ==
        "slack export token appended to file URLs, 5 occurrences");
  CHECK(findings[0].location.path == "deploys/2023-09-08.json");
  CHECK(findings[0].location.attribute("field") == "files[0].url_private");
}

TEST_CASE(
    "Slack finish keeps one finding when a secret is in both text "
    "and blocks",
    "[slack]") {
  auto checks = load_checks("slack");
  const Check& bot = find_check(checks, "text", "1694174625.423609");
  Diagnostics diagnostics;
  auto source =
      open_slack(corpus_path("slack").string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  auto findings = findings_for(blobs, bot.secret, "slack-bot-token");
  REQUIRE(findings.size() == 2);
  source->finish(findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.attribute("field") == "text");
  CHECK(findings[0].location.attribute("also_in") == "blocks");
}

TEST_CASE(
    "Slack source reports a malformed day file by name and scans "
    "the rest",
    "[slack]") {
  TempDir dir;
  fs::copy(corpus_path("slack"), dir.path / "export",
           fs::copy_options::recursive);
  write_file(dir.path / "export" / "deploys" / "2023-09-12.json",
             "[{\"type\": \"message\", \"text\": \"unterminated");
  write_file(dir.path / "export" / "deploys" / "2023-09-13.json",
             "{\"not\": \"an array\"}");
  Diagnostics diagnostics;
  auto source =
      open_slack((dir.path / "export").string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  CHECK(any_skip_names(diagnostics, "deploys/2023-09-12.json"));
  CHECK(any_skip_names(diagnostics, "deploys/2023-09-13.json"));
  require_all(blobs, load_checks("slack"), [](const Check&) { return true; });
}

TEST_CASE(
    "Slack source replaces invalid UTF-8 inside JSON strings and "
    "still scans the message",
    "[slack]") {
  TempDir dir;
  fs::copy(corpus_path("slack"), dir.path / "export",
           fs::copy_options::recursive);
  std::string secret = "xoxb-640213579824-3971602583415-Qw7ZrTn2pLx9KvD4mBc8";
  write_file(dir.path / "export" / "general" / "2023-09-14.json",
             "[{\"type\":\"message\",\"user\":\"U05BORIS\",\"ts\":\"1694"
             "700000.000100\",\"text\":\"caf\xE9 \xFF\xFE token " +
                 secret + "\"}]");
  Diagnostics diagnostics;
  auto source =
      open_slack((dir.path / "export").string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  CHECK(any_message_names(diagnostics, "general/2023-09-14.json"));
  CHECK(any_message_names(diagnostics, "invalid UTF-8"));
  bool found = false;
  for (const Collected& blob : blobs)
    if (blob.text.find(secret) != std::string::npos) {
      found = true;
      CHECK(blob.text.find("\xEF\xBF\xBD") != std::string::npos);
      CHECK(blob.location.attribute("channel") == "#general");
    }
  CHECK(found);
}

TEST_CASE("Slack source reports a 100000-level nested value by entry name",
          "[slack]") {
  TempDir dir;
  fs::copy(corpus_path("slack"), dir.path / "export",
           fs::copy_options::recursive);
  std::string deep = "[{\"type\":\"message\",\"ts\":\"1.2\",\"text\":";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}]";
  write_file(dir.path / "export" / "general" / "2023-09-15.json", deep);
  Diagnostics diagnostics;
  auto source =
      open_slack((dir.path / "export").string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  bool named = false;
  for (const auto& skip : diagnostics.skipped_inputs())
    if (skip.input.find("general/2023-09-15.json") != std::string::npos &&
        skip.detail.find("nested deeper") != std::string::npos)
      named = true;
  CHECK(named);
  require_all(blobs, load_checks("slack"), [](const Check&) { return true; });
}

TEST_CASE("Slack source reports a truncated zip and keeps what came before",
          "[slack]") {
  TempDir dir;
  auto entries = folder_entries(corpus_path("slack"), "");
  std::mt19937 rng(7);
  std::string filler(200000, '\0');
  for (char& c : filler) c = static_cast<char>('a' + rng() % 26);
  entries.emplace_back(
      "zz-last/2023-09-30.json",
      "[{\"type\":\"message\",\"ts\":\"1.1\",\"text\":\"" + filler + "\"}]");
  fs::path zip = dir.path / "export.zip";
  write_zip(zip, entries);
  std::string bytes = read_file(zip);
  write_file(zip, bytes.substr(0, bytes.size() - 70000));
  Diagnostics diagnostics;
  auto source = open_slack(zip.string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  CHECK(diagnostics.error_count() >= 1);
  CHECK(any_message_names(diagnostics, "export.zip"));
  auto checks = load_checks("slack");
  require_all(blobs, checks, [](const Check&) { return true; });
}

TEST_CASE(
    "Slack source reads zip entries named with ../ or an absolute "
    "path in memory only",
    "[slack]") {
  TempDir dir;
  auto entries = folder_entries(corpus_path("slack"), "");
  std::string secret = "xoxb-702814593621-5827193046158-Hn4Tq8WmZr2KxP7dLs9V";
  entries.emplace_back("../../escaped/2023-09-16.json",
                       "[{\"type\":\"message\",\"ts\":\"1694800000.000100\","
                       "\"text\":\"token " +
                           secret + "\"}]");
  entries.emplace_back("/tmp/sprawl-chat-absolute/2023-09-17.json",
                       "[{\"type\":\"message\",\"ts\":\"1694800001.000100\","
                       "\"text\":\"again " +
                           secret + "\"}]");
  fs::create_directories(dir.path / "a" / "b");
  fs::path zip = dir.path / "a" / "b" / "export.zip";
  write_zip(zip, entries);
  Diagnostics diagnostics;
  auto source = open_slack(zip.string(), diagnostics, with_workspace());
  auto blobs = drain(*source);
  CHECK(any_message_names(diagnostics, "../../escaped/2023-09-16.json"));
  CHECK(any_message_names(diagnostics,
                          "/tmp/sprawl-chat-absolute/2023-09-17.json"));
  std::vector<std::string> paths;
  for (const Collected& blob : blobs)
    if (blob.text.find(secret) != std::string::npos)
      paths.push_back(blob.location.path);
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"escaped/2023-09-16.json",
                                          "tmp/sprawl-chat-absolute/"
                                          "2023-09-17.json"});
  CHECK_FALSE(fs::exists(dir.path / "escaped"));
  CHECK_FALSE(fs::exists("/tmp/sprawl-chat-absolute"));
}

TEST_CASE("Slack source stops at max_archive_bytes and names the entry",
          "[slack]") {
  TempDir dir;
  auto entries = folder_entries(corpus_path("slack"), "");
  std::string big = "[{\"type\":\"message\",\"ts\":\"1.1\",\"text\":\"" +
                    std::string(300000, 'a') + "\"}]";
  entries.emplace_back("zz-bomb/2023-09-20.json", big);
  entries.emplace_back("zz-bomb/2023-09-21.json", big);
  fs::path zip = dir.path / "bomb.zip";
  write_zip(zip, entries);
  sources::SourceOptions options = with_workspace();
  options.max_archive_bytes = 400000;
  Diagnostics diagnostics;
  auto source = open_slack(zip.string(), diagnostics, options);
  auto blobs = drain(*source);
  bool limit = false;
  for (const auto& d : diagnostics.diagnostics())
    if (d.error.code == ErrorCode::kLimit &&
        d.error.describe().find("zz-bomb/2023-09-2") != std::string::npos &&
        d.error.describe().find("expands past the limit") != std::string::npos)
      limit = true;
  CHECK(limit);
  require_all(blobs, load_checks("slack"), [](const Check&) { return true; });
}

TEST_CASE("open_source picks the Slack source for an export folder or zip",
          "[slack]") {
  Diagnostics diagnostics;
  CHECK(sources::is_slack_export(corpus_path("slack").string()));
  CHECK_FALSE(sources::is_slack_export(corpus_path("jira").string()));
  auto source = sources::open_source(corpus_path("slack").string(),
                                     with_workspace(), diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  CHECK(!blobs.empty());
  CHECK(blobs.front().location.source == model::SourceKind::kSlack);
}

TEST_CASE("slack_permalink builds message and thread reply links", "[slack]") {
  CHECK(sources::slack_permalink("acme", "C1", "1694174625.423609", "") ==
        "https://acme.slack.com/archives/C1/p1694174625423609");
  CHECK(sources::slack_permalink("acme", "C1", "2.5", "1.5") ==
        "https://acme.slack.com/archives/C1/p25?thread_ts=1.5&cid=C1");
  CHECK(sources::slack_permalink("", "C1", "2.5", "").empty());
}

}  // namespace
}  // namespace sprawl
