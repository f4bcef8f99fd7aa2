// Store: the persistent record of scans, scanned blobs, findings, exposures
// and verification results, behind an interface so that SQLite (the embedded
// default) and a shared server database can both back it. Writes are
// idempotent and keyed by content (identity HMAC, exposure key, blob id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::store {

/// One finding as the store hands it on: the finding (whose `secret` holds
/// the plain secret only when it came from a live scan or the store keeps
/// secrets; otherwise its redacted form) and the identity it belongs to.
struct Sighting {
  model::Finding finding;
  /// HMAC-SHA256(store key, provider|secret), 64 hex digits. Empty on input
  /// means "compute it from finding.secret".
  std::string identity;
  /// Scan that recorded it (0 when not recorded yet).
  int64_t scan_id = 0;
};

/// What is known about a scan when it starts.
struct ScanStart {
  int64_t started = 0;               ///< seconds since the epoch, UTC
  std::vector<std::string> sources;  ///< paths, URLs or export names
  std::string ruleset_hash;
};

/// What is known about a scan when it ends.
struct ScanTotals {
  int64_t finished = 0;
  uint64_t inputs_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t findings = 0;
  std::vector<SkippedInput> skipped;
};

/// A scan as recorded. `finished` is 0 for a scan that never ended (killed
/// or still running); its findings are kept, since each was written whole.
struct ScanRecord {
  int64_t id = 0;
  int64_t started = 0;
  int64_t finished = 0;
  std::vector<std::string> sources;
  std::string ruleset_hash;
  uint64_t inputs_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t findings = 0;
  uint64_t identities = 0;  ///< distinct identities the scan saw
  std::string skipped_json;  ///< JSON array of {input, reason, detail}
};

/// A cached live-verification result for one identity.
struct CachedVerification {
  model::Verification verification;
  int64_t checked_at = 0;  ///< seconds since the epoch, UTC
};

/// The persistence interface every backend implements. All writes are
/// idempotent: writing the same content twice leaves the store as writing
/// it once. Every method is atomic: it either happens whole or not at all.
/// Implementations are not required to be thread-safe; use one Store per
/// thread or serialise calls (the pipeline has one writer).
class Store {
 public:
  virtual ~Store() = default;

  /// HMAC-SHA256 of provider|secret under this store's key, as 64 hex
  /// digits. Deterministic for a given store; different across stores.
  [[nodiscard]] virtual std::string identity_key(
      std::string_view provider, std::string_view secret) const = 0;

  /// Whether plain secrets are written (only when the user asked for it).
  virtual bool stores_secrets() const = 0;

  /// Records the start of a scan and returns its id (committed at once).
  [[nodiscard]] virtual Expected<int64_t> begin_scan(
      const ScanStart& start) = 0;

  /// Records findings of a scan in one transaction: the identity, the
  /// exposure (keyed by identity and place, so a finding seen again by a
  /// later scan adds no second exposure) and the scan's sighting of it.
  /// Findings with an empty `identity` are keyed from their secret.
  [[nodiscard]] virtual Expected<void> record_findings(
      int64_t scan_id, const std::vector<Sighting>& sightings) = 0;

  /// Marks a scan finished with its totals.
  [[nodiscard]] virtual Expected<void> finish_scan(
      int64_t scan_id, const ScanTotals& totals) = 0;

  /// Every scan, oldest first.
  [[nodiscard]] virtual Expected<std::vector<ScanRecord>> scans() const = 0;

  /// Ids of the blobs of a repository already scanned with a rule set.
  [[nodiscard]] virtual Expected<std::unordered_set<std::string>> known_blobs(
      std::string_view repo_key, std::string_view ruleset_hash) const = 0;

  /// Marks blobs scanned for (repo_key, ruleset_hash) and keeps the
  /// findings in them (matched to blobs by location.blob_id), in one
  /// transaction, so a blob is never marked scanned without its findings.
  /// Plain secrets are dropped unless stores_secrets().
  [[nodiscard]] virtual Expected<void> add_scanned_blobs(
      std::string_view repo_key, std::string_view ruleset_hash,
      const std::vector<std::string>& blob_ids,
      const std::vector<model::Finding>& findings) = 0;

  /// The kept findings of the given blobs (all blobs of the repository and
  /// rule set when blob_ids is empty). Their `secret` is the redacted form
  /// unless the store keeps secrets; `identity` is always set.
  [[nodiscard]] virtual Expected<std::vector<Sighting>> findings_for_blobs(
      std::string_view repo_key, std::string_view ruleset_hash,
      const std::vector<std::string>& blob_ids) const = 0;

  /// Caches a live-verification result for an identity (replacing any).
  [[nodiscard]] virtual Expected<void> put_verification(
      std::string_view identity, const CachedVerification& result) = 0;

  /// The cached result for an identity if it was checked at most max_age_s
  /// seconds before now_s.
  [[nodiscard]] virtual Expected<std::optional<CachedVerification>>
  lookup_verification(std::string_view identity, int64_t max_age_s,
                      int64_t now_s) const = 0;

  /// Every recorded sighting, one per (scan, exposure), oldest scan first;
  /// the input of the inventory. scan_id = 0 means all scans.
  [[nodiscard]] virtual Expected<std::vector<Sighting>> sightings(
      int64_t scan_id = 0) const = 0;
};

/// Records a whole scan: begin_scan, record_findings in batches of
/// batch_size (one transaction each, so a killed scan keeps whole batches),
/// finish_scan. Returns the scan id. Stops at the first failing write.
[[nodiscard]] Expected<int64_t> record_scan(
    Store& store, const ScanStart& start,
    const std::vector<model::Finding>& findings, const ScanTotals& totals,
    std::size_t batch_size = 512);

/// The redacted form of a secret as the store keeps it: a short prefix (at
/// most a quarter of the secret, at most 10 bytes, cut at a UTF-8 boundary)
/// and the length, e.g. "ghp_Ab12…(40 chars)". Pure; never throws.
std::string redact_secret(std::string_view secret);

/// Whether s looks like the output of redact_secret.
bool is_redacted(std::string_view s);

}  // namespace sprawl::store
