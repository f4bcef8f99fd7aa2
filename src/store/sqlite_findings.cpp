// SqliteStore, the write and read paths of findings: identities, exposures,
// sightings per scan, incremental blob bookkeeping and the verification
// cache. Every write method is one transaction of idempotent upserts.
#include <algorithm>

#include "sprawl/store/exposure.h"
#include "sprawl/store/sqlite_store.h"
#include "store/finding_codec.h"
#include "store/sqlite_db.h"

namespace sprawl::store {
namespace {

using detail::Statement;
using detail::Transaction;

constexpr std::string_view kUpsertIdentity =
    "INSERT INTO identities(hmac, provider, kind, rule_id, redacted, secret, "
    "first_scan, last_scan) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
    "ON CONFLICT(hmac) DO UPDATE SET "
    "first_scan = min(first_scan, excluded.first_scan), "
    "last_scan = max(last_scan, excluded.last_scan), "
    "secret = coalesce(excluded.secret, secret)";

constexpr std::string_view kUpsertExposure =
    "INSERT INTO exposures(exposure_key, identity, source, repo, commit_id, "
    "path, line, blob_id, channel, permalink, issue, link, exposed_by, "
    "exposed_at, still_at_head, first_scan, last_scan, finding) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?16, ?17) "
    "ON CONFLICT(exposure_key) DO UPDATE SET "
    "first_scan = min(first_scan, excluded.first_scan), "
    "last_scan = max(last_scan, excluded.last_scan), "
    "still_at_head = coalesce(excluded.still_at_head, still_at_head), "
    "finding = excluded.finding "
    "RETURNING id";

constexpr std::string_view kUpsertVerification =
    "INSERT INTO verifications(identity, status, record, checked_at) "
    "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(identity) DO UPDATE SET "
    "status = excluded.status, record = excluded.record, "
    "checked_at = excluded.checked_at "
    "WHERE excluded.checked_at >= verifications.checked_at";

// The statements of one record_findings call, prepared once per call.
struct WriteStatements {
  Statement identity;
  Statement exposure;
  Statement seen;
  Statement verification;
};

Expected<void> prepare_writes(sqlite3* db, WriteStatements& w) {
  SPRAWL_TRY(Statement::prepare(db, kUpsertIdentity, w.identity));
  SPRAWL_TRY(Statement::prepare(db, kUpsertExposure, w.exposure));
  SPRAWL_TRY(Statement::prepare(
      db,
      "INSERT OR IGNORE INTO exposure_scans(scan_id, exposure_id) "
      "VALUES(?1, ?2)",
      w.seen));
  SPRAWL_TRY(Statement::prepare(db, kUpsertVerification, w.verification));
  return {};
}

void bind_place(Statement& st, const ExposurePlace& p) {
  st.bind(3, p.source);
  st.bind_or_null(4, p.repo);
  st.bind_or_null(5, p.commit);
  st.bind_or_null(6, p.path);
  st.bind_int(7, p.line);
  st.bind_or_null(8, p.blob_id);
  st.bind_or_null(9, p.channel);
  st.bind_or_null(10, p.source == "slack" ? p.link : std::string());
  st.bind_or_null(11, p.issue);
  st.bind_or_null(12, p.link);
  st.bind_or_null(13, p.exposed_by);
  if (p.exposed_at) st.bind_int(14, p.exposed_at); else st.bind_null(14);
  if (p.still_at_head) st.bind_int(15, *p.still_at_head ? 1 : 0);
  else st.bind_null(15);
}

Expected<void> run(Statement& st) {
  auto r = st.step();
  if (!r) return fail(r.error());
  st.reset();
  return {};
}

std::string redacted_of(const model::Finding& f) {
  return is_redacted(f.secret) ? f.secret : redact_secret(f.secret);
}

// A finding's key inside its blob: the same finding written twice (a
// retried shard) replaces itself.
std::string blob_finding_key(std::string_view identity,
                             const model::Finding& f) {
  std::string text(identity);
  text += "|" + f.rule_id + "|" + std::to_string(f.offset) + "|" +
          f.location.path + "|" + std::to_string(f.location.line);
  return detail::sha256_hex(text);
}

Expected<Sighting> read_sighting(const std::string& identity,
                                 const std::string& record,
                                 const std::string& secret, bool has_secret) {
  auto finding = detail::decode_finding(record);
  if (!finding) return fail(finding.error());
  Sighting s;
  s.finding = std::move(*finding);
  if (has_secret) s.finding.secret = secret;
  s.identity = identity;
  return s;
}

int64_t now_seconds() { return static_cast<int64_t>(::time(nullptr)); }

}  // namespace

Expected<void> SqliteStore::record_findings(
    int64_t scan_id, const std::vector<Sighting>& sightings) {
  WriteStatements w;
  SPRAWL_TRY(prepare_writes(db_, w));
  Transaction tx(db_);
  SPRAWL_TRY(tx.begin());
  int64_t now = now_seconds();
  for (const Sighting& s : sightings) {
    const model::Finding& f = s.finding;
    std::string identity = s.identity.empty()
                               ? identity_key(f.provider, f.secret)
                               : s.identity;
    bool plain = s.identity.empty() || !is_redacted(f.secret);
    w.identity.bind(1, identity);
    w.identity.bind(2, f.provider);
    w.identity.bind(3, model::kind_name(f.kind));
    w.identity.bind(4, f.rule_id);
    w.identity.bind(5, redacted_of(f));
    if (options_.store_secrets && plain) w.identity.bind(6, f.secret);
    else w.identity.bind_null(6);
    w.identity.bind_int(7, scan_id);
    SPRAWL_TRY(run(w.identity));

    ExposurePlace place = exposure_place(f);
    w.exposure.bind(1, exposure_key(identity, f.location));
    w.exposure.bind(2, identity);
    bind_place(w.exposure, place);
    w.exposure.bind_int(16, scan_id);
    w.exposure.bind_blob(
        17, detail::encode_finding(scrub_finding(f, redacted_of(f))));
    auto row = w.exposure.step();
    if (!row) return fail(row.error());
    int64_t exposure_id = w.exposure.integer(0);
    w.exposure.reset();

    w.seen.bind_int(1, scan_id);
    w.seen.bind_int(2, exposure_id);
    SPRAWL_TRY(run(w.seen));

    if (f.verification.status != model::VerificationStatus::kNotChecked) {
      w.verification.bind(1, identity);
      w.verification.bind(2,
                          model::verification_status_name(
                              f.verification.status));
      w.verification.bind_blob(
          3, detail::encode_verification(f.verification));
      w.verification.bind_int(4, now);
      SPRAWL_TRY(run(w.verification));
    }
  }
  return tx.commit();
}

Expected<std::unordered_set<std::string>> SqliteStore::known_blobs(
    std::string_view repo_key, std::string_view ruleset_hash) const {
  Statement st;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "SELECT blob_id FROM scanned_blobs WHERE repo_key = ?1 AND "
      "ruleset_hash = ?2",
      st));
  st.bind(1, repo_key);
  st.bind(2, ruleset_hash);
  std::unordered_set<std::string> out;
  for (;;) {
    auto row = st.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.insert(st.text(0));
  }
  return out;
}

Expected<void> SqliteStore::add_scanned_blobs(
    std::string_view repo_key, std::string_view ruleset_hash,
    const std::vector<std::string>& blob_ids,
    const std::vector<model::Finding>& findings) {
  Statement blob;
  Statement finding;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "INSERT OR IGNORE INTO scanned_blobs(repo_key, ruleset_hash, blob_id) "
      "VALUES(?1, ?2, ?3)",
      blob));
  SPRAWL_TRY(Statement::prepare(
      db_,
      "INSERT INTO blob_findings(repo_key, ruleset_hash, blob_id, "
      "finding_key, identity, secret, finding) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT DO UPDATE SET identity = excluded.identity, "
      "secret = coalesce(excluded.secret, secret), "
      "finding = excluded.finding",
      finding));
  Transaction tx(db_);
  SPRAWL_TRY(tx.begin());
  for (const std::string& id : blob_ids) {
    blob.bind(1, repo_key);
    blob.bind(2, ruleset_hash);
    blob.bind(3, id);
    SPRAWL_TRY(run(blob));
  }
  for (const model::Finding& f : findings) {
    std::string identity = identity_key(f.provider, f.secret);
    finding.bind(1, repo_key);
    finding.bind(2, ruleset_hash);
    finding.bind(3, f.location.blob_id);
    finding.bind(4, blob_finding_key(identity, f));
    finding.bind(5, identity);
    if (options_.store_secrets) finding.bind(6, f.secret);
    else finding.bind_null(6);
    finding.bind_blob(7,
                      detail::encode_finding(scrub_finding(f, redacted_of(f))));
    SPRAWL_TRY(run(finding));
  }
  return tx.commit();
}

Expected<std::vector<Sighting>> SqliteStore::findings_for_blobs(
    std::string_view repo_key, std::string_view ruleset_hash,
    const std::vector<std::string>& blob_ids) const {
  Statement st;
  std::string sql =
      "SELECT identity, finding, secret FROM blob_findings "
      "WHERE repo_key = ?1 AND ruleset_hash = ?2";
  sql += blob_ids.empty() ? " ORDER BY blob_id, finding_key"
                          : " AND blob_id = ?3 ORDER BY finding_key";
  SPRAWL_TRY(Statement::prepare(db_, sql, st));
  std::vector<Sighting> out;
  auto collect = [&]() -> Expected<void> {
    for (;;) {
      auto row = st.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto s = read_sighting(st.text(0), st.blob(1), st.text(2),
                             !st.is_null(2));
      if (!s) return fail(s.error());
      out.push_back(std::move(*s));
    }
    return {};
  };
  if (blob_ids.empty()) {
    st.bind(1, repo_key);
    st.bind(2, ruleset_hash);
    SPRAWL_TRY(collect());
  }
  for (const std::string& id : blob_ids) {
    st.reset();
    st.bind(1, repo_key);
    st.bind(2, ruleset_hash);
    st.bind(3, id);
    SPRAWL_TRY(collect());
  }
  return out;
}

Expected<void> SqliteStore::put_verification(
    std::string_view identity, const CachedVerification& result) {
  Statement st;
  SPRAWL_TRY(Statement::prepare(db_, kUpsertVerification, st));
  st.bind(1, identity);
  st.bind(2, model::verification_status_name(result.verification.status));
  st.bind_blob(3, detail::encode_verification(result.verification));
  st.bind_int(4, result.checked_at ? result.checked_at : now_seconds());
  return run(st);
}

Expected<std::optional<CachedVerification>> SqliteStore::lookup_verification(
    std::string_view identity, int64_t max_age_s, int64_t now_s) const {
  Statement st;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "SELECT record, checked_at FROM verifications WHERE identity = ?1 "
      "AND checked_at >= ?2",
      st));
  st.bind(1, identity);
  st.bind_int(2, now_s - max_age_s);
  auto row = st.step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<CachedVerification>();
  auto verification = detail::decode_verification(st.blob(0));
  if (!verification) return fail(verification.error());
  CachedVerification out;
  out.verification = std::move(*verification);
  out.checked_at = st.integer(1);
  return std::optional<CachedVerification>(std::move(out));
}

Expected<std::vector<Sighting>> SqliteStore::sightings(int64_t scan_id) const {
  Statement st;
  SPRAWL_TRY(Statement::prepare(
      db_,
      "SELECT es.scan_id, e.identity, e.finding, i.secret, v.record "
      "FROM exposure_scans es "
      "JOIN exposures e ON e.id = es.exposure_id "
      "JOIN identities i ON i.hmac = e.identity "
      "LEFT JOIN verifications v ON v.identity = e.identity "
      "WHERE ?1 = 0 OR es.scan_id = ?1 ORDER BY es.scan_id, e.id",
      st));
  st.bind_int(1, scan_id);
  std::vector<Sighting> out;
  for (;;) {
    auto row = st.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto s = read_sighting(st.text(1), st.blob(2), st.text(3),
                           !st.is_null(3));
    if (!s) return fail(s.error());
    s->scan_id = st.integer(0);
    // The latest verification of the identity wins over the one recorded
    // with this exposure (which may predate it or be not_checked).
    if (!st.is_null(4)) {
      auto v = detail::decode_verification(st.blob(4));
      if (v) s->finding.verification = std::move(*v);
    }
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace sprawl::store
