// Grouping sightings into identities: one per HMAC key, with its exposures
// merged by place, its owner, status, classification, risk and remediation.
#include "sprawl/inventory/inventory.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

namespace sprawl::inventory {
namespace {

using model::VerificationStatus;

// Sightings without a store key are keyed in memory with a key made per
// process, so that no plain hash of a secret is ever shown.
std::string process_key(std::string_view provider, std::string_view secret) {
  static const std::string key = [] {
    std::string k(32, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(k.data()), 32);
    return k;
  }();
  std::string message(provider);
  message += "|";
  message += secret;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

// Verification outcomes ranked for picking one among sightings of the
// same scan: a definite answer beats an unknown one.
int status_rank(VerificationStatus s) {
  switch (s) {
    case VerificationStatus::kLive: return 3;
    case VerificationStatus::kRevoked: return 2;
    case VerificationStatus::kUnknown: return 1;
    case VerificationStatus::kNotChecked: break;
  }
  return 0;
}

struct Group {
  std::vector<const store::Sighting*> sightings;
};

const std::string& rule_hint(const InventoryOptions& options,
                             std::string_view rule_id) {
  static const std::string kEmpty;
  if (!options.rules) return kEmpty;
  for (const model::Rule& rule : *options.rules)
    if (rule.id == rule_id) return rule.remediation;
  return kEmpty;
}

// The finding that stands for the identity: the latest scan's, most
// confident; its decoded and verified fields are merged from all.
model::Finding representative(const Group& g) {
  const store::Sighting* best = g.sightings.front();
  for (const store::Sighting* s : g.sightings)
    if (std::tie(s->scan_id, s->finding.confidence) >
        std::tie(best->scan_id, best->finding.confidence))
      best = s;
  model::Finding out = best->finding;
  for (const store::Sighting* s : g.sightings) {
    for (const auto& kv : s->finding.validation.decoded)
      if (std::find(out.validation.decoded.begin(),
                    out.validation.decoded.end(),
                    kv) == out.validation.decoded.end())
        out.validation.decoded.push_back(kv);
  }
  return out;
}

void fill_status(const Group& g, Identity& id) {
  const store::Sighting* best = nullptr;
  for (const store::Sighting* s : g.sightings) {
    const model::Verification& v = s->finding.verification;
    if (v.status == VerificationStatus::kNotChecked) continue;
    if (!best || std::pair(s->scan_id, status_rank(v.status)) >
                     std::pair(best->scan_id,
                               status_rank(best->finding.verification
                                               .status)))
      best = s;
  }
  if (best) {
    const model::Verification& v = best->finding.verification;
    id.status = v.status;
    id.status_reason = v.reason;
    id.scopes = v.scopes;
    id.expiry = v.expiry;
  }
  for (const store::Sighting* s : g.sightings) {
    const model::Validation& v = s->finding.validation;
    if (v.status == model::ValidationStatus::kUnchecked) continue;
    if (id.validation != model::ValidationStatus::kValid) {
      id.validation = v.status;
      id.validation_detail = v.detail;
    }
  }
}

void fill_exposures(const Group& g, Identity& id) {
  std::map<std::string, Exposure> by_key;
  std::set<std::string> sources;
  for (const store::Sighting* s : g.sightings) {
    std::string key = store::exposure_key(id.key, s->finding.location);
    auto [it, fresh] = by_key.try_emplace(key);
    Exposure& e = it->second;
    if (fresh || s->scan_id >= e.last_scan) {
      e.place = store::exposure_place(s->finding);
      e.rule_id = s->finding.rule_id;
    }
    e.first_scan = fresh ? s->scan_id : std::min(e.first_scan, s->scan_id);
    e.last_scan = std::max(e.last_scan, s->scan_id);
    sources.insert(e.place.source);
  }
  for (auto& [key, e] : by_key) id.exposures.push_back(std::move(e));
  std::sort(id.exposures.begin(), id.exposures.end(),
            [](const Exposure& a, const Exposure& b) {
              auto when = [](const Exposure& e) {
                return e.place.exposed_at ? e.place.exposed_at : INT64_MAX;
              };
              int64_t wa = when(a);
              int64_t wb = when(b);
              return std::tie(wa, a.place.source, a.place.path, a.place.line,
                              a.place.channel, a.place.issue) <
                     std::tie(wb, b.place.source, b.place.path, b.place.line,
                              b.place.channel, b.place.issue);
            });
  id.source_kinds = sources.size();
  for (const Exposure& e : id.exposures) {
    if (e.place.exposed_at > 0) {
      if (id.first_seen == 0 || e.place.exposed_at < id.first_seen)
        id.first_seen = e.place.exposed_at;
      id.last_seen = std::max(id.last_seen, e.place.exposed_at);
    }
    if (e.place.still_at_head)
      id.at_head = id.at_head.value_or(false) || *e.place.still_at_head;
  }
}

std::string display_secret(const Group& g, bool show) {
  for (const store::Sighting* s : g.sightings) {
    const std::string& secret = s->finding.secret;
    if (store::is_redacted(secret)) continue;
    return show ? secret : store::redact_secret(secret);
  }
  return g.sightings.front()->finding.secret;
}

Identity make_identity(const std::string& key, const Group& g,
                       const InventoryOptions& options, int64_t now_s) {
  Identity id;
  id.key = key;
  id.id = key.substr(0, 12);
  model::Finding rep = representative(g);
  id.provider = rep.provider;
  id.kind = rep.kind;
  std::set<std::string> rules;
  id.first_scan = g.sightings.front()->scan_id;
  for (const store::Sighting* s : g.sightings) {
    rules.insert(s->finding.rule_id);
    id.first_scan = std::min(id.first_scan, s->scan_id);
    id.last_scan = std::max(id.last_scan, s->scan_id);
    for (const auto& kv : owner_fields(s->finding))
      if (std::find(id.owner_fields.begin(), id.owner_fields.end(), kv) ==
          id.owner_fields.end())
        id.owner_fields.push_back(kv);
  }
  id.rule_ids.assign(rules.begin(), rules.end());
  id.secret = display_secret(g, options.show_secrets);
  id.owner = owner_summary(id.owner_fields);
  fill_status(g, id);
  rep.verification.expiry = id.expiry;
  id.classification = classify(rep, now_s);
  fill_exposures(g, id);
  id.factors = risk_factors(id, now_s);
  id.risk = risk_score(id.factors);
  id.remediation = remediation_for(id.provider, id.kind,
                                   rule_hint(options, rep.rule_id));
  return id;
}

}  // namespace

Inventory build_inventory(const std::vector<store::Sighting>& sightings,
                          const InventoryOptions& options) {
  int64_t now_s = options.now_s ? options.now_s
                                : static_cast<int64_t>(std::time(nullptr));
  std::map<std::string, Group> groups;
  std::vector<std::string> keys(sightings.size());
  for (std::size_t i = 0; i < sightings.size(); ++i) {
    const store::Sighting& s = sightings[i];
    keys[i] = s.identity.empty()
                  ? process_key(s.finding.provider, s.finding.secret)
                  : s.identity;
    groups[keys[i]].sightings.push_back(&s);
  }
  Inventory inv;
  inv.generated_at = now_s;
  for (const auto& [key, group] : groups)
    inv.identities.push_back(make_identity(key, group, options, now_s));
  std::stable_sort(inv.identities.begin(), inv.identities.end(),
                   [](const Identity& a, const Identity& b) {
                     return a.risk > b.risk;
                   });
  return inv;
}

}  // namespace sprawl::inventory
