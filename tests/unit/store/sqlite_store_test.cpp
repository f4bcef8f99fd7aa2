// Tests of the SQLite store: file mode, keyed identities, no plain secrets,
// idempotent writes, incremental blob bookkeeping, the verification cache,
// migrations and refusal of foreign files.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <openssl/evp.h>

#include "sprawl/store/exposure.h"
#include "sprawl/store/sqlite_store.h"
#include "unit/inventory/sample_findings.h"

namespace fs = std::filesystem;
using namespace sprawl;
using sprawl::store::SqliteStore;
using sprawl::store::StoreOptions;

namespace {

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "sprawl-store-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const {
    return (path / name).string();
  }
};

std::unique_ptr<SqliteStore> open_store(const std::string& path,
                                        StoreOptions options = {}) {
  auto store = SqliteStore::open(path, options);
  if (!store) FAIL(store.error().describe());
  return std::move(*store);
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<model::Finding> sample(const std::string& secret) {
  using namespace sprawl::testing;
  auto f = base_finding("github-pat", "github", model::Kind::kAccessToken,
                        secret);
  f.captures.emplace_back("user", "octo-dev");
  return {in_git(f, "config/app.env", 4, "c1c1c1", 1700000000, "true"),
          in_git(f, "config/app.env", 4, "c2c2c2", 1700100000, "false"),
          in_slack(f, "deploys", "1704196800.000100"),
          in_jira(f, "OPS-12", "2024-01-03T10:00:00.000+0000")};
}

std::vector<store::Sighting> as_sightings(
    const std::vector<model::Finding>& findings) {
  std::vector<store::Sighting> out;
  for (const auto& f : findings) out.push_back({f, "", 0});
  return out;
}

int64_t count_rows(const std::string& path, const char* table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::string sql = std::string("SELECT count(*) FROM ") + table;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                             : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST_CASE("A new store file is created with mode 0600", "[store]") {
  TempDir dir;
  std::string path = dir.file("sub/inventory.db");
  auto store = open_store(path);
  REQUIRE(store->begin_scan({}).has_value());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((path + "-wal").c_str(), &st) == 0);
  CHECK((st.st_mode & 077) == 0);
  REQUIRE(::stat(dir.file("sub").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("An existing store readable by others is tightened to 0600",
          "[store]") {
  TempDir dir;
  std::string path = dir.file("s.db");
  open_store(path).reset();
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  open_store(path).reset();
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("Identity keys are HMACs under a key private to each store",
          "[store]") {
  TempDir dir;
  auto a = open_store(dir.file("a.db"));
  auto b = open_store(dir.file("b.db"));
  std::string key = a->identity_key("github", "ghp_example");
  CHECK(key.size() == 64);
  CHECK(key == a->identity_key("github", "ghp_example"));
  CHECK(key != a->identity_key("github", "ghp_example2"));
  CHECK(key != a->identity_key("gitlab", "ghp_example"));
  CHECK(key != b->identity_key("github", "ghp_example"));

  SECTION("and the key survives reopening") {
    a.reset();
    auto again = open_store(dir.file("a.db"));
    CHECK(again->identity_key("github", "ghp_example") == key);
  }
  SECTION("and is not a plain hash of the secret") {
    unsigned char digest[32];
    unsigned int n = 0;
    std::string text = "github|ghp_example";
    EVP_Digest(text.data(), text.size(), digest, &n, EVP_sha256(), nullptr);
    char hex[65];
    for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x",
                                               digest[i]);
    CHECK(key != std::string(hex));
  }
}

TEST_CASE("The store file never holds a plain secret unless asked to",
          "[store]") {
  TempDir dir;
  std::string secret = testing::fake_secret("ghp_", 40, 7);
  auto findings = sample(secret);
  bool keep = GENERATE(false, true);
  std::string path = dir.file(keep ? "keep.db" : "plain.db");
  {
    StoreOptions options;
    options.store_secrets = keep;
    auto store = open_store(path, options);
    auto scan = store->begin_scan({1700000000, {"repo"}, "rules1"});
    REQUIRE(scan.has_value());
    REQUIRE(store->record_findings(*scan, as_sightings(findings)));
    REQUIRE(store->add_scanned_blobs("example/app", "rules1",
                                     {"bc1c1c1", "bc2c2c2"}, findings));
    REQUIRE(store->finish_scan(*scan, {}).has_value());
    std::string bytes = read_bytes(path) + read_bytes(path + "-wal");
    CHECK((bytes.find(secret) != std::string::npos) == keep);
    // Not even a long piece of it.
    CHECK((bytes.find(secret.substr(12, 20)) != std::string::npos) == keep);
  }
  std::string bytes = read_bytes(path) + read_bytes(path + "-wal");
  CHECK((bytes.find(secret) != std::string::npos) == keep);
}

TEST_CASE("Recording the same findings again adds no exposure", "[store]") {
  TempDir dir;
  std::string path = dir.file("s.db");
  auto store = open_store(path);
  auto findings = sample(testing::fake_secret("ghp_", 40, 1));
  auto s1 = store->begin_scan({});
  REQUIRE(store->record_findings(*s1, as_sightings(findings)));
  REQUIRE(store->record_findings(*s1, as_sightings(findings)));
  auto s2 = store->begin_scan({});
  REQUIRE(store->record_findings(*s2, as_sightings(findings)));
  CHECK(count_rows(path, "identities") == 1);
  CHECK(count_rows(path, "exposures") == 4);
  CHECK(count_rows(path, "exposure_scans") == 8);
  auto all = store->sightings();
  REQUIRE(all.has_value());
  CHECK(all->size() == 8);
  auto second = store->sightings(*s2);
  REQUIRE(second.has_value());
  REQUIRE(second->size() == 4);
  CHECK(second->front().finding.secret ==
        store::redact_secret(findings[0].secret));
  CHECK(second->front().identity ==
        store->identity_key("github", findings[0].secret));
}

TEST_CASE("Re-reported findings keep their identity without the secret",
          "[store]") {
  TempDir dir;
  auto store = open_store(dir.file("s.db"));
  auto findings = sample(testing::fake_secret("ghp_", 40, 2));
  REQUIRE(store->add_scanned_blobs("repo", "r1", {"bc1c1c1"},
                                   {findings[0]}));
  auto old = store->findings_for_blobs("repo", "r1", {"bc1c1c1"});
  REQUIRE(old.has_value());
  REQUIRE(old->size() == 1);
  auto scan = store->begin_scan({});
  REQUIRE(store->record_findings(*scan, *old));
  REQUIRE(store->record_findings(*scan, as_sightings({findings[0]})));
  auto all = store->sightings(*scan);
  REQUIRE(all.has_value());
  CHECK(all->size() == 1);
}

TEST_CASE("Incremental sweeps know which blobs a rule set has scanned",
          "[store]") {
  TempDir dir;
  std::string secret = testing::fake_secret("ghp_", 40, 3);
  auto findings = sample(secret);
  bool keep = GENERATE(false, true);
  findings[1].note = "reads like a default";
  StoreOptions options;
  options.store_secrets = keep;
  auto store = open_store(dir.file(keep ? "k.db" : "n.db"), options);

  auto none = store->known_blobs("example/app", "rules1");
  REQUIRE(none.has_value());
  CHECK(none->empty());

  REQUIRE(store->add_scanned_blobs("example/app", "rules1",
                                   {"bc1c1c1", "bc2c2c2", "clean"},
                                   {findings[0], findings[1]}));
  REQUIRE(store->add_scanned_blobs("example/app", "rules1", {"clean"}, {}));
  auto known = store->known_blobs("example/app", "rules1");
  REQUIRE(known.has_value());
  CHECK(*known == std::unordered_set<std::string>{"bc1c1c1", "bc2c2c2",
                                                  "clean"});
  CHECK(store->known_blobs("example/app", "rules2")->empty());
  CHECK(store->known_blobs("other/app", "rules1")->empty());

  auto old = store->findings_for_blobs("example/app", "rules1", {"bc2c2c2"});
  REQUIRE(old.has_value());
  REQUIRE(old->size() == 1);
  const model::Finding& f = old->front().finding;
  CHECK(f.location.provenance->commit == "c2c2c2");
  CHECK(f.location.line == 4);
  CHECK(f.capture("user") == "octo-dev");
  CHECK(f.note == "reads like a default");
  CHECK(old->front().identity == store->identity_key("github", secret));
  CHECK(f.secret == (keep ? secret : store::redact_secret(secret)));
  CHECK(store->findings_for_blobs("example/app", "rules1", {})->size() == 2);
}

TEST_CASE("The verification cache answers within its maximum age",
          "[store]") {
  TempDir dir;
  auto store = open_store(dir.file("s.db"));
  std::string id = store->identity_key("github", "ghp_x");
  store::CachedVerification v;
  v.verification.status = model::VerificationStatus::kLive;
  v.verification.identity = {{"login", "octocat"}};
  v.verification.scopes = {"repo", "read:org"};
  v.checked_at = 1000;
  REQUIRE(store->put_verification(id, v));
  auto hit = store->lookup_verification(id, 600, 1500);
  REQUIRE(hit.has_value());
  REQUIRE(hit->has_value());
  CHECK((*hit)->verification.status == model::VerificationStatus::kLive);
  CHECK((*hit)->verification.scopes.size() == 2);
  CHECK((*hit)->checked_at == 1000);
  CHECK_FALSE(store->lookup_verification(id, 600, 1700)->has_value());
  CHECK_FALSE(store->lookup_verification("other", 600, 1500)->has_value());
}

TEST_CASE("Scans record their sources, totals and skipped inputs",
          "[store]") {
  TempDir dir;
  auto store = open_store(dir.file("s.db"));
  auto id = store->begin_scan({1700000000, {"repo \"a\"", "slack.zip"},
                               "abc"});
  REQUIRE(id.has_value());
  store::ScanTotals totals;
  totals.finished = 1700000100;
  totals.inputs_scanned = 12;
  totals.findings = 3;
  totals.skipped.push_back({"big.bin", SkipReason::kTooLarge, "> 1 GB"});
  REQUIRE(store->finish_scan(*id, totals));
  auto scans = store->scans();
  REQUIRE(scans.has_value());
  REQUIRE(scans->size() == 1);
  const auto& s = scans->front();
  CHECK(s.sources == std::vector<std::string>{"repo \"a\"", "slack.zip"});
  CHECK(s.finished == 1700000100);
  CHECK(s.inputs_scanned == 12);
  CHECK(s.skipped_json.find("big.bin") != std::string::npos);
  CHECK(s.skipped_json.front() == '[');
  CHECK_FALSE(store->finish_scan(999, totals).has_value());
}

TEST_CASE("A store of schema version 1 migrates and keeps its rows",
          "[store]") {
  TempDir dir;
  std::string path = dir.file("old.db");
  {
    StoreOptions options;
    options.schema_version = 1;
    auto old = open_store(path, options);
    CHECK(*old->schema_version() == 1);
    REQUIRE(old->begin_scan({1600000000, {"legacy"}, "r0"}).has_value());
  }
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    char* err = nullptr;
    int rc = sqlite3_exec(db, "SELECT still_at_head FROM exposures", nullptr,
                          nullptr, &err);
    CHECK(rc != SQLITE_OK);
    sqlite3_free(err);
    sqlite3_close(db);
  }
  auto store = open_store(path);
  CHECK(*store->schema_version() == store::kSchemaVersion);
  CHECK(store->scans()->front().sources.front() == "legacy");
  auto scan = store->begin_scan({});
  REQUIRE(store->record_findings(
      *scan, as_sightings(sample(testing::fake_secret("ghp_", 40, 9)))));
  REQUIRE(store->put_verification("x", {}).has_value());
}

TEST_CASE("Files that are not sprawl stores are refused", "[store]") {
  TempDir dir;
  SECTION("a text file") {
    std::string path = dir.file("notes.txt");
    std::ofstream(path) << "hello, this is not a database at all\n";
    ::chmod(path.c_str(), 0600);
    auto store = SqliteStore::open(path);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::kStore);
  }
  SECTION("another application's database") {
    std::string path = dir.file("other.db");
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    auto store = SqliteStore::open(path);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().message.find("not a sprawl store") !=
          std::string::npos);
  }
  SECTION("a store written by a newer sprawl") {
    std::string path = dir.file("new.db");
    open_store(path).reset();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    auto store = SqliteStore::open(path);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().message.find("newer") != std::string::npos);
  }
}

TEST_CASE("Exposure places are derived the same way for every source",
          "[store]") {
  using namespace sprawl::testing;
  auto f = base_finding("r", "p", model::Kind::kApiKey, "secret-value-1");
  auto git = store::exposure_place(in_git(f, "a.env", 3, "abc", 1700000000,
                                          "true"));
  CHECK(git.source == "git");
  CHECK(git.repo == "example/app");
  CHECK(git.exposed_by == "Dev One <dev1@example.test>");
  CHECK(git.exposed_at == 1700000000);
  CHECK(git.still_at_head == std::optional<bool>(true));
  auto slack = store::exposure_place(in_slack(f, "dm", "1704196800.5", "im"));
  CHECK(slack.exposed_at == 1704196800);
  CHECK(slack.visibility == store::Visibility::kPrivate);
  CHECK(slack.exposed_by == "ops.person");
  CHECK_FALSE(slack.still_at_head.has_value());
  auto jira = store::exposure_place(
      in_jira(f, "OPS-1", "2024-01-03T10:00:00.000+0100"));
  CHECK(jira.exposed_at == 1704272400);
  CHECK(jira.issue == "OPS-1");
  CHECK(store::parse_time("2024-01-03T09:00:00Z") == 1704272400);
  CHECK(store::parse_time("garbage") == 0);
}

TEST_CASE("Redaction keeps at most a quarter of the secret", "[store]") {
  CHECK(store::redact_secret("ghp_0123456789abcdef0123456789abcdef0123") ==
        "ghp_0123\xe2\x80\xa6(40 chars)");
  CHECK(store::redact_secret("short") == "\xe2\x80\xa6(5 chars)");
  CHECK(store::redact_secret("abc\ndefghijklmnop") ==
        "abc\xe2\x80\xa6(17 chars)");
  SECTION("but keeps a fixed public prefix whole") {
    std::string rotating = "xoxe.xoxp-1-" + std::string(100, 'A');
    CHECK(store::redact_secret(rotating).rfind("xoxe.xoxp-\xe2", 0) == 0);
  }
  CHECK(store::is_redacted(store::redact_secret("anything-at-all")));
  CHECK_FALSE(store::is_redacted("ghp_0123456789abcdef"));
}

TEST_CASE("record_scan writes a whole scan in batches", "[store]") {
  TempDir dir;
  std::string path = dir.file("s.db");
  auto store = open_store(path);
  std::vector<model::Finding> findings;
  for (unsigned i = 0; i < 7; ++i)
    findings.push_back(sample(testing::fake_secret("ghp_", 40, 50 + i))[2]);
  store::ScanTotals totals;
  totals.findings = findings.size();
  auto id = store::record_scan(*store, {0, {"slack.zip"}, "r"}, findings,
                               totals, 3);
  REQUIRE(id.has_value());
  CHECK(count_rows(path, "identities") == 7);
  CHECK(store->sightings(*id)->size() == 7);
  CHECK(store->scans()->front().finished != 0);
  CHECK(store->scans()->front().findings == 7);
}
