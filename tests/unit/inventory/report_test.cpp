// Tests of the inventory reports and commands: formats, filters, the diff of
// two scans, run_inventory on a store, and the self-contained HTML report.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <simdjson.h>
#include <sstream>

#include "sprawl/inventory/report.h"
#include "sprawl/store/sqlite_store.h"
#include "unit/inventory/sample_findings.h"

namespace fs = std::filesystem;
using namespace sprawl;
using namespace sprawl::testing;

namespace {

constexpr int64_t kNow = 1735689600;

struct Fixture {
  fs::path dir;
  std::string path;
  std::string secret_a = fake_secret("ghp_", 40, 101);
  std::string secret_b = fake_secret("xoxb-", 60, 102);
  std::string secret_c = fake_secret("AKIA", 20, 103);
  int64_t scan1 = 0, scan2 = 0;

  model::Finding a() const {
    auto f = base_finding("github-pat", "github", model::Kind::kAccessToken,
                          secret_a);
    f.verification.status = model::VerificationStatus::kLive;
    f.verification.identity = {{"login", "octo-dev"}};
    return in_git(f, "config/<app>.env", 3, "c1", 1700000000, "true");
  }
  model::Finding b() const {
    return in_slack(base_finding("slack-bot-token", "slack",
                                 model::Kind::kBotToken, secret_b),
                    "deploys", "1704196800.000100");
  }
  model::Finding c() const {
    return in_jira(base_finding("aws-access-key", "aws",
                                model::Kind::kCloudAccessKey, secret_c),
                   "OPS-7", "2024-03-01T00:00:00Z");
  }

  Fixture() {
    std::string pattern =
        (fs::temp_directory_path() / "sprawl-report-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    path = (dir / "store.db").string();
    auto store = std::move(*store::SqliteStore::open(path));
    scan1 = *store->begin_scan({kNow - 100, {"repo", "slack"}, "r"});
    REQUIRE(store->record_findings(scan1, {{a(), "", 0}, {b(), "", 0}}));
    REQUIRE(store->finish_scan(scan1, {kNow - 90, 2, 10, 2, {}}));
    scan2 = *store->begin_scan({kNow - 50, {"slack", "jira"}, "r"});
    REQUIRE(store->record_findings(scan2, {{b(), "", 0}, {c(), "", 0}}));
    REQUIRE(store->finish_scan(scan2, {kNow - 40, 2, 10, 2, {}}));
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  inventory::InventoryCommand command(inventory::Format format) const {
    inventory::InventoryCommand cmd;
    cmd.store_path = path;
    cmd.format = format;
    cmd.now_s = kNow;
    return cmd;
  }
  std::string run(const inventory::InventoryCommand& cmd) const {
    std::ostringstream out;
    Diagnostics diag;
    REQUIRE(inventory::run_inventory(cmd, out, diag) == 0);
    CHECK(diag.error_count() == 0);
    return out.str();
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("The inventory of a store lists each identity once", "[inventory]") {
  Fixture fx;
  std::string table = fx.run(fx.command(inventory::Format::kTable));
  CHECK(contains(table, "3 identities, 1 live, 3 exposures"));
  CHECK(contains(table, "login: octo-dev"));
  CHECK_FALSE(contains(table, fx.secret_a));
  CHECK(contains(table, store::redact_secret(fx.secret_a)));

  std::string md = fx.run(fx.command(inventory::Format::kMarkdown));
  CHECK(contains(md, "| ID | RISK |"));
  std::string csv = fx.run(fx.command(inventory::Format::kCsv));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
  CHECK_FALSE(contains(csv, fx.secret_b));
}

TEST_CASE("The JSON inventory is valid and complete", "[inventory]") {
  Fixture fx;
  std::string json = fx.run(fx.command(inventory::Format::kJson));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  int64_t count = 0;
  REQUIRE(doc["identity_count"].get_int64().get(count) == simdjson::SUCCESS);
  CHECK(count == 3);
  simdjson::dom::array ids;
  REQUIRE(doc["identities"].get_array().get(ids) == simdjson::SUCCESS);
  CHECK(ids.size() == 3);
  simdjson::dom::array scans;
  REQUIRE(doc["scans"].get_array().get(scans) == simdjson::SUCCESS);
  CHECK(scans.size() == 2);
  std::string_view path;
  bool found = false;
  for (auto id : ids) {
    std::string_view provider;
    REQUIRE(id["provider"].get_string().get(provider) == simdjson::SUCCESS);
    if (provider != "github") continue;
    found = true;
    REQUIRE(id["exposures"].at(0)["path"].get_string().get(path) ==
            simdjson::SUCCESS);
    CHECK(path == "config/<app>.env");
    bool at_head = false;
    REQUIRE(id["at_head"].get_bool().get(at_head) == simdjson::SUCCESS);
    CHECK(at_head);
  }
  CHECK(found);
  CHECK_FALSE(contains(json, "<app>"));  // escaped as \u003c
}

TEST_CASE("Filters select identities by status, provider and kind",
          "[inventory]") {
  Fixture fx;
  auto cmd = fx.command(inventory::Format::kTable);
  cmd.filter.status = "live";
  CHECK(contains(fx.run(cmd), "1 identities"));
  cmd.filter = {};
  cmd.filter.provider = "SLACK";
  CHECK(contains(fx.run(cmd), "1 identities"));
  cmd.filter = {};
  cmd.filter.kind = "cloud-access-key";
  std::string out = fx.run(cmd);
  CHECK(contains(out, "1 identities"));
  CHECK(contains(out, "aws"));
  cmd.filter.kind = "webhook-url";
  CHECK(contains(fx.run(cmd), "0 identities"));
}

TEST_CASE("Inventory diff names new, still exposed and vanished identities",
          "[inventory]") {
  Fixture fx;
  auto cmd = fx.command(inventory::Format::kJson);
  cmd.scan_a = std::to_string(fx.scan1);
  cmd.scan_b = "latest";
  std::ostringstream out;
  Diagnostics diag;
  REQUIRE(inventory::run_inventory_diff(cmd, out, diag) == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string json = out.str();
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  auto provider_of = [&](const char* part) {
    simdjson::dom::array list;
    REQUIRE(doc[part].get_array().get(list) == simdjson::SUCCESS);
    REQUIRE(list.size() == 1);
    std::string_view p;
    REQUIRE(list.at(0)["provider"].get_string().get(p) == simdjson::SUCCESS);
    return std::string(p);
  };
  CHECK(provider_of("new") == "aws");
  CHECK(provider_of("still_exposed") == "slack");
  CHECK(provider_of("no_longer_seen") == "github");

  SECTION("previous and latest name the last two finished scans") {
    cmd.scan_a = "previous";
    cmd.format = inventory::Format::kTable;
    std::ostringstream text;
    REQUIRE(inventory::run_inventory_diff(cmd, text, diag) == 0);
    CHECK(contains(text.str(), "scan 1 -> scan 2"));
    CHECK(contains(text.str(), "new (1)"));
  }
  SECTION("a scan that never finished is not the latest") {
    auto store = std::move(*store::SqliteStore::open(fx.path));
    auto killed = store->begin_scan({});
    REQUIRE(killed.has_value());
    auto scans = store->scans();
    CHECK(*inventory::resolve_scan(*scans, "latest") == fx.scan2);
    CHECK(*inventory::resolve_scan(*scans, "previous") == fx.scan1);
    CHECK(*inventory::resolve_scan(*scans, std::to_string(*killed)) ==
          *killed);
    CHECK_FALSE(inventory::resolve_scan(*scans, "-1").has_value());
  }
  SECTION("an unknown scan is an error") {
    cmd.scan_a = "77";
    std::ostringstream ignored;
    Diagnostics errors;
    CHECK(inventory::run_inventory_diff(cmd, ignored, errors) == 2);
    CHECK(errors.error_count() == 1);
  }
}

TEST_CASE("A missing store is an error, not a new empty store",
          "[inventory]") {
  inventory::InventoryCommand cmd;
  cmd.store_path = (fs::temp_directory_path() / "sprawl-none/x.db").string();
  std::ostringstream out;
  Diagnostics diag;
  CHECK(inventory::run_inventory(cmd, out, diag) == 2);
  CHECK(diag.error_count() == 1);
  CHECK_FALSE(fs::exists(cmd.store_path));
}

TEST_CASE("The HTML report is one self-contained file with redacted secrets",
          "[inventory]") {
  Fixture fx;
  auto cmd = fx.command(inventory::Format::kHtml);
  cmd.write.title = "Inventory <of> \"us\"";
  std::string html = fx.run(cmd);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(html, "Inventory &lt;of&gt; &quot;us&quot;"));
  CHECK_FALSE(contains(html, "<link"));
  CHECK_FALSE(contains(html, "<script src"));
  CHECK_FALSE(contains(html, "@import"));
  CHECK_FALSE(contains(html, "url("));
  std::regex external(R"((src|href)\s*=\s*["']?\s*(https?:)?//)",
                      std::regex::icase);
  CHECK_FALSE(std::regex_search(html, external));
  CHECK(contains(html, "Content-Security-Policy"));
  // The embedded JSON cannot close its script block.
  std::size_t data = html.find("id=\"inventory-data\">");
  REQUIRE(data != std::string::npos);
  std::size_t end = html.find("</script>", data);
  CHECK_FALSE(contains(html.substr(data, end - data), "<"));
  CHECK(contains(html, "\"identity_count\":3"));
  for (const std::string& s : {fx.secret_a, fx.secret_b, fx.secret_c})
    CHECK_FALSE(contains(html, s));
}
