// SqliteStore: the embedded Store — one SQLite file, mode 0600, WAL, a
// versioned schema migrated on open, and a random HMAC key made when the
// file is created. See docs/inventory.md for the schema.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/store/store.h"

struct sqlite3;

namespace sprawl::store {

/// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 2;

struct StoreOptions {
  /// Keep plain secrets (`--store-secrets`). Off by default: only the HMAC
  /// and the redacted form are written.
  bool store_secrets = false;
  /// Migrate only up to this version (tests build older stores); 0 = the
  /// latest.
  int schema_version = 0;
  /// Milliseconds to wait for another process holding the write lock.
  int busy_timeout_ms = 10000;
};

/// The path used when `--store` is given without a file: ".sprawl/sprawl.db"
/// under the current directory.
std::string default_store_path();

class SqliteStore final : public Store {
 public:
  /// Opens the store at path, creating it (and a missing parent directory,
  /// mode 0700) if needed. A new file is created with open(2) mode 0600
  /// before SQLite touches it; an existing file readable by group or others
  /// is tightened to 0600 with a warning. Migrates the schema forward. Fails
  /// with kStore for a file that is not a sprawl store, a schema newer than
  /// this build knows, or a migration that fails (the file is left as it
  /// was: each migration runs in one transaction).
  [[nodiscard]] static Expected<std::unique_ptr<SqliteStore>> open(
      const std::string& path, const StoreOptions& options = {});

  /// Closes the file (the WAL is checkpointed and removed when this is the
  /// last connection).
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The Store contracts apply; every write is one transaction.
  std::string identity_key(std::string_view provider,
                           std::string_view secret) const override;
  bool stores_secrets() const override { return options_.store_secrets; }
  Expected<int64_t> begin_scan(const ScanStart& start) override;
  Expected<void> record_findings(
      int64_t scan_id, const std::vector<Sighting>& sightings) override;
  Expected<void> finish_scan(int64_t scan_id,
                             const ScanTotals& totals) override;
  Expected<std::vector<ScanRecord>> scans() const override;
  Expected<std::unordered_set<std::string>> known_blobs(
      std::string_view repo_key,
      std::string_view ruleset_hash) const override;
  Expected<void> add_scanned_blobs(
      std::string_view repo_key, std::string_view ruleset_hash,
      const std::vector<std::string>& blob_ids,
      const std::vector<model::Finding>& findings) override;
  Expected<std::vector<Sighting>> findings_for_blobs(
      std::string_view repo_key, std::string_view ruleset_hash,
      const std::vector<std::string>& blob_ids) const override;
  Expected<void> put_verification(std::string_view identity,
                                  const CachedVerification& result) override;
  Expected<std::optional<CachedVerification>> lookup_verification(
      std::string_view identity, int64_t max_age_s,
      int64_t now_s) const override;
  Expected<std::vector<Sighting>> sightings(
      int64_t scan_id = 0) const override;

  /// The schema version of the open file.
  [[nodiscard]] Expected<int> schema_version() const;

  /// Result of PRAGMA integrity_check: "ok" when the file is sound.
  [[nodiscard]] Expected<std::string> integrity_check() const;

  /// The path given to open().
  const std::string& path() const { return path_; }

 private:
  SqliteStore(sqlite3* db, std::string path, StoreOptions options);

  sqlite3* db_;
  std::string path_;
  StoreOptions options_;
  std::string hmac_key_;  ///< 32 raw bytes
};

/// The SQL of each migration, index i taking user_version i to i + 1.
/// Exposed for tests and docs.
const std::vector<std::string_view>& schema_migrations();

}  // namespace sprawl::store
