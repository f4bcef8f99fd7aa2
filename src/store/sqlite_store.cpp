// SqliteStore: the Store on one SQLite file. Durability choices: WAL with
// synchronous=NORMAL — a process killed at any point (kill -9) loses at most
// the transaction in flight and never corrupts the file; only a power loss
// can roll back the last committed transactions, which a rerun of the scan
// rewrites idempotently. FULL would add an fsync per commit for no gain here.
#include "sprawl/store/sqlite_store.h"

#include <fcntl.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sprawl/util/log.h"
#include "store/finding_codec.h"
#include "store/sqlite_db.h"

namespace sprawl::store {
namespace {

using detail::Statement;
using detail::Transaction;

// 'SPRW': marks the file as a sprawl store (PRAGMA application_id).
constexpr int kApplicationId = 0x53505257;
constexpr std::size_t kHmacKeyBytes = 32;
constexpr int kSetupAttempts = 100;

// Migration i takes user_version i to i + 1. Never edit a shipped entry;
// append a new one.
const std::vector<std::string_view> kMigrations = {
    // 0 -> 1: scans, identities, exposures, incremental blob bookkeeping.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE scans(
  id INTEGER PRIMARY KEY,
  started INTEGER NOT NULL,
  finished INTEGER,
  sources TEXT NOT NULL DEFAULT '[]',
  ruleset_hash TEXT NOT NULL DEFAULT '',
  inputs_scanned INTEGER NOT NULL DEFAULT 0,
  bytes_scanned INTEGER NOT NULL DEFAULT 0,
  findings INTEGER NOT NULL DEFAULT 0,
  skipped TEXT NOT NULL DEFAULT '[]');
CREATE TABLE identities(
  hmac TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  kind TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  redacted TEXT NOT NULL,
  secret TEXT,
  first_scan INTEGER NOT NULL,
  last_scan INTEGER NOT NULL);
CREATE TABLE exposures(
  id INTEGER PRIMARY KEY,
  exposure_key TEXT NOT NULL UNIQUE,
  identity TEXT NOT NULL REFERENCES identities(hmac),
  source TEXT NOT NULL,
  repo TEXT, commit_id TEXT, path TEXT, line INTEGER, blob_id TEXT,
  channel TEXT, permalink TEXT, issue TEXT, link TEXT,
  exposed_by TEXT, exposed_at INTEGER,
  first_scan INTEGER NOT NULL,
  last_scan INTEGER NOT NULL,
  finding BLOB NOT NULL);
CREATE INDEX exposures_by_identity ON exposures(identity);
CREATE TABLE exposure_scans(
  scan_id INTEGER NOT NULL REFERENCES scans(id),
  exposure_id INTEGER NOT NULL REFERENCES exposures(id),
  PRIMARY KEY(scan_id, exposure_id)) WITHOUT ROWID;
CREATE TABLE scanned_blobs(
  repo_key TEXT NOT NULL, ruleset_hash TEXT NOT NULL, blob_id TEXT NOT NULL,
  PRIMARY KEY(repo_key, ruleset_hash, blob_id)) WITHOUT ROWID;
CREATE TABLE blob_findings(
  repo_key TEXT NOT NULL, ruleset_hash TEXT NOT NULL, blob_id TEXT NOT NULL,
  finding_key TEXT NOT NULL, identity TEXT NOT NULL, secret TEXT,
  finding BLOB NOT NULL,
  PRIMARY KEY(repo_key, ruleset_hash, blob_id, finding_key)) WITHOUT ROWID;
)sql",
    // 1 -> 2: whether an exposure is still at HEAD; verification cache.
    R"sql(
ALTER TABLE exposures ADD COLUMN still_at_head INTEGER;
CREATE TABLE verifications(
  identity TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  record BLOB NOT NULL,
  checked_at INTEGER NOT NULL);
)sql",
};

int64_t now_seconds() { return static_cast<int64_t>(::time(nullptr)); }

// Creates the file with mode 0600 before SQLite opens it, so that it is
// never readable by others, not even for a moment.
Expected<void> prepare_file(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    if (ec)
      return fail(make_error(ErrorCode::kStore,
                             "cannot create directory: " + ec.message(),
                             parent.string()));
    ::chmod(parent.c_str(), 0700);
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(make_error(ErrorCode::kStore,
                           std::string("cannot open: ") + std::strerror(errno),
                           path));
  struct stat st {};
  int rc = ::fstat(fd, &st);
  ::close(fd);
  if (rc != 0 || !S_ISREG(st.st_mode))
    return fail(make_error(ErrorCode::kStore, "not a regular file", path));
  return {};
}

// Checks an existing store's mode once it is known to be a store (a foreign
// file is refused untouched): readable by others is tightened to 0600.
Expected<void> tighten_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(make_error(ErrorCode::kStore, "cannot stat", path));
  if ((st.st_mode & 077) == 0) return {};
  log::warn("store file was readable by others; set to 0600 path={}", path);
  if (::chmod(path.c_str(), 0600) != 0)
    return fail(make_error(ErrorCode::kStore, "cannot set mode 0600", path));
  return {};
}

Expected<int> read_user_version(sqlite3* db) {
  Statement st;
  SPRAWL_TRY(Statement::prepare(db, "PRAGMA user_version", st));
  auto row = st.step();
  if (!row) return fail(row.error());
  return static_cast<int>(st.integer(0));
}

// Migrates to target, one transaction per step; rechecks the version inside
// the transaction so that two processes opening a new file do not both run
// a step.
Expected<void> migrate(sqlite3* db, int target) {
  for (;;) {
    Transaction tx(db);
    SPRAWL_TRY(tx.begin());
    auto version = read_user_version(db);
    if (!version) return fail(version.error());
    if (*version > static_cast<int>(kMigrations.size()))
      return fail(make_error(
          ErrorCode::kStore,
          "store schema version " + std::to_string(*version) +
              " is newer than this sprawl supports (" +
              std::to_string(kMigrations.size()) + ")",
          sqlite3_db_filename(db, "main")));
    Statement app;
    SPRAWL_TRY(Statement::prepare(db, "PRAGMA application_id", app));
    auto app_row = app.step();
    if (!app_row) return fail(app_row.error());
    if (*version > 0 && app.integer(0) != kApplicationId)
      return fail(make_error(ErrorCode::kStore,
                             "not a sprawl store (application id)",
                             sqlite3_db_filename(db, "main")));
    if (*version >= target) return tx.commit();
    if (*version == 0) {
      Statement tables;
      SPRAWL_TRY(Statement::prepare(
          db, "SELECT count(*) FROM sqlite_schema", tables));
      auto trow = tables.step();
      if (!trow) return fail(trow.error());
      if (tables.integer(0) != 0)
        return fail(make_error(ErrorCode::kStore,
                               "not a sprawl store (foreign tables)",
                               sqlite3_db_filename(db, "main")));
      std::string set_id =
          "PRAGMA application_id = " + std::to_string(kApplicationId);
      SPRAWL_TRY(detail::exec(db, set_id.c_str()));
    }
    SPRAWL_TRY(detail::exec(db, std::string(kMigrations[*version]).c_str()));
    std::string bump =
        "PRAGMA user_version = " + std::to_string(*version + 1);
    SPRAWL_TRY(detail::exec(db, bump.c_str()));
    SPRAWL_TRY(tx.commit());
    log::debug("store migrated to schema version={}", *version + 1);
  }
}

Expected<std::string> read_key(sqlite3* db) {
  Statement get;
  SPRAWL_TRY(Statement::prepare(
      db, "SELECT value FROM meta WHERE key = 'hmac_key'", get));
  auto row = get.step();
  if (!row) return fail(row.error());
  return *row ? get.blob(0) : std::string();
}

// The key is made once, when the store is new; INSERT OR IGNORE makes two
// processes creating the same store agree on the first key written.
Expected<std::string> load_or_make_key(sqlite3* db) {
  auto key = read_key(db);
  if (!key) return fail(key.error());
  if (key->empty()) {
    unsigned char fresh[kHmacKeyBytes];
    if (RAND_bytes(fresh, sizeof fresh) != 1)
      return fail(make_error(ErrorCode::kStore, "no random bytes for key"));
    Statement put;
    SPRAWL_TRY(Statement::prepare(
        db, "INSERT OR IGNORE INTO meta(key, value) VALUES('hmac_key', ?1)",
        put));
    put.bind_blob(1, std::string_view(reinterpret_cast<char*>(fresh),
                                      sizeof fresh));
    OPENSSL_cleanse(fresh, sizeof fresh);
    if (auto r = put.step(); !r) return fail(r.error());
    key = read_key(db);
    if (!key) return fail(key.error());
  }
  if (key->size() != kHmacKeyBytes)
    return fail(make_error(ErrorCode::kStore, "store key is damaged",
                           sqlite3_db_filename(db, "main")));
  return key;
}

Expected<void> configure(sqlite3* db, const StoreOptions& options) {
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  SPRAWL_TRY(detail::exec(db, "PRAGMA journal_mode = WAL"));
  SPRAWL_TRY(detail::exec(db, "PRAGMA synchronous = NORMAL"));
  SPRAWL_TRY(detail::exec(db, "PRAGMA foreign_keys = ON"));
  // Deleted rows are overwritten, so a secret that was stored with
  // --store-secrets and then removed does not linger in free pages.
  SPRAWL_TRY(detail::exec(db, "PRAGMA secure_delete = ON"));
  return {};
}

Expected<std::string> initialise(sqlite3* db, const StoreOptions& options,
                                 int target, const std::string& path) {
  if (auto r = configure(db, options); !r)
    return fail(make_error(ErrorCode::kStore,
                           "not a usable store: " + r.error().message, path));
  SPRAWL_TRY(migrate(db, target));
  return load_or_make_key(db);
}

}  // namespace

const std::vector<std::string_view>& schema_migrations() {
  return kMigrations;
}

std::string default_store_path() { return ".sprawl/sprawl.db"; }

SqliteStore::SqliteStore(sqlite3* db, std::string path, StoreOptions options)
    : db_(db), path_(std::move(path)), options_(options) {}

SqliteStore::~SqliteStore() { sqlite3_close_v2(db_); }

Expected<std::unique_ptr<SqliteStore>> SqliteStore::open(
    const std::string& path, const StoreOptions& options) {
  SPRAWL_TRY(prepare_file(path));
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path, options));
  if (rc != SQLITE_OK) return fail(detail::db_error(db, "open store"));
  int target = options.schema_version > 0
                   ? std::min<int>(options.schema_version, kMigrations.size())
                   : static_cast<int>(kMigrations.size());
  // Two processes creating the same store race on the switch to WAL and on
  // the first migration; the loser sees SQLITE_BUSY without the busy
  // handler's help in some of these steps, so the whole set-up is retried.
  Expected<std::string> key = fail(make_error(ErrorCode::kStore, "unset"));
  for (int attempt = 0;; ++attempt) {
    key = initialise(db, options, target, path);
    // SQLITE_BUSY and SQLITE_LOCKED both read "... is locked"; the error
    // code itself is gone once the rollback has run.
    if (key || attempt >= kSetupAttempts ||
        key.error().message.find("is locked") == std::string::npos)
      break;
    ::usleep(20000);
  }
  if (!key) return fail(key.error());
  SPRAWL_TRY(tighten_mode(path));
  store->hmac_key_ = std::move(*key);
  return store;
}

std::string SqliteStore::identity_key(std::string_view provider,
                                      std::string_view secret) const {
  std::string message(provider);
  message.push_back('|');
  message.append(secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), hmac_key_.data(), static_cast<int>(hmac_key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &length);
  OPENSSL_cleanse(message.data(), message.size());
  return detail::to_hex(
      std::string_view(reinterpret_cast<char*>(digest), length));
}

Expected<int> SqliteStore::schema_version() const {
  return read_user_version(db_);
}

Expected<std::string> SqliteStore::integrity_check() const {
  Statement st;
  SPRAWL_TRY(Statement::prepare(db_, "PRAGMA integrity_check", st));
  std::string result;
  for (;;) {
    auto row = st.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    if (!result.empty()) result += "\n";
    result += st.text(0);
  }
  return result;
}

Expected<int64_t> SqliteStore::begin_scan(const ScanStart& start) {
  std::string sources = "[";
  for (const auto& s : start.sources) {
    if (sources.size() > 1) sources += ",";
    sources += detail::json_quote(s);
  }
  sources += "]";
  Statement st;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "INSERT INTO scans(started, sources, ruleset_hash) VALUES(?1, ?2, ?3)",
      st));
  st.bind_int(1, start.started ? start.started : now_seconds());
  st.bind(2, sources);
  st.bind(3, start.ruleset_hash);
  if (auto r = st.step(); !r) return fail(r.error());
  return sqlite3_last_insert_rowid(db_);
}

Expected<void> SqliteStore::finish_scan(int64_t scan_id,
                                        const ScanTotals& totals) {
  std::string skipped = "[";
  for (const auto& s : totals.skipped) {
    if (skipped.size() > 1) skipped += ",";
    skipped += "{\"input\":" + detail::json_quote(s.input) +
               ",\"reason\":" +
               detail::json_quote(skip_reason_name(s.reason)) +
               ",\"detail\":" + detail::json_quote(s.detail) + "}";
  }
  skipped += "]";
  Statement st;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "UPDATE scans SET finished = ?2, inputs_scanned = ?3, "
      "bytes_scanned = ?4, findings = ?5, skipped = ?6 WHERE id = ?1",
      st));
  st.bind_int(1, scan_id);
  st.bind_int(2, totals.finished ? totals.finished : now_seconds());
  st.bind_int(3, static_cast<int64_t>(totals.inputs_scanned));
  st.bind_int(4, static_cast<int64_t>(totals.bytes_scanned));
  st.bind_int(5, static_cast<int64_t>(totals.findings));
  st.bind(6, skipped);
  if (auto r = st.step(); !r) return fail(r.error());
  if (sqlite3_changes(db_) == 0)
    return fail(make_error(ErrorCode::kStore,
                           "no scan " + std::to_string(scan_id), path_));
  return {};
}

Expected<std::vector<ScanRecord>> SqliteStore::scans() const {
  Statement st;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "SELECT s.id, s.started, coalesce(s.finished, 0), s.ruleset_hash, "
      "s.inputs_scanned, s.bytes_scanned, s.findings, s.skipped, "
      "(SELECT count(DISTINCT e.identity) FROM exposure_scans es "
      " JOIN exposures e ON e.id = es.exposure_id WHERE es.scan_id = s.id), "
      "(SELECT json_group_array(value) FROM json_each(s.sources)) "
      "FROM scans s ORDER BY s.id",
      st));
  std::vector<ScanRecord> out;
  for (;;) {
    auto row = st.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    ScanRecord r;
    r.id = st.integer(0);
    r.started = st.integer(1);
    r.finished = st.integer(2);
    r.ruleset_hash = st.text(3);
    r.inputs_scanned = static_cast<uint64_t>(st.integer(4));
    r.bytes_scanned = static_cast<uint64_t>(st.integer(5));
    r.findings = static_cast<uint64_t>(st.integer(6));
    r.skipped_json = st.text(7);
    r.identities = static_cast<uint64_t>(st.integer(8));
    out.push_back(std::move(r));
  }
  Statement src;
  SPRAWL_TRY(Statement::prepare(
      db_, "SELECT value FROM scans s, json_each(s.sources) WHERE s.id = ?1",
      src));
  for (ScanRecord& r : out) {
    src.reset();
    src.bind_int(1, r.id);
    for (;;) {
      auto row = src.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      r.sources.push_back(src.text(0));
    }
  }
  return out;
}

}  // namespace sprawl::store
