// Inventory: findings from every source grouped into non-human identities
// (one per distinct credential, keyed by the store's HMAC of the secret),
// each classified, scored for risk and given a remediation hint. The stage
// after the verifier; the store feeds it, the reports below read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/model/rule.h"
#include "sprawl/store/exposure.h"
#include "sprawl/store/store.h"

namespace sprawl::inventory {

/// Whether a credential acts for a person or for a machine.
enum class TiedTo { kUnknown, kPerson, kMachine };
/// Standing (long-lived until revoked) or short-lived (expires by itself).
enum class Lifetime { kUnknown, kStanding, kShortLived };

/// "person", "machine" or "unknown".
std::string_view tied_to_name(TiedTo tied_to);
/// "standing", "short-lived" or "unknown".
std::string_view lifetime_name(Lifetime lifetime);

/// One place a credential was exposed, and the scans that saw it there.
struct Exposure {
  store::ExposurePlace place;
  std::string rule_id;
  int64_t first_scan = 0;
  int64_t last_scan = 0;
};

/// The inputs of the risk score, each in [0, 1] (docs/inventory.md).
struct RiskFactors {
  double live = 0;       ///< L: verification / validation outcome
  double privilege = 0;  ///< P: what the kind (and scopes, role) can do
  double standing = 0;   ///< T: standing vs short-lived, expired
  double breadth = 0;    ///< B: number of exposures and of source kinds
  double age = 0;        ///< A: time since first exposed
  double place = 0;      ///< V: most visible place it was exposed in
};

/// The result of classifying one credential.
struct Classification {
  TiedTo tied_to = TiedTo::kUnknown;
  std::string tied_to_reason;
  Lifetime lifetime = Lifetime::kUnknown;
  std::string lifetime_reason;
};

struct Identity {
  std::string key;  ///< HMAC-SHA256 hex: the identity's stable id
  std::string id;   ///< first 12 hex digits of key, for people
  std::string provider;
  model::Kind kind = model::Kind::kGenericSecret;
  std::vector<std::string> rule_ids;
  /// Redacted, unless the secret is known and show_secrets was asked for.
  std::string secret;
  /// One-line owner ("arn: arn:aws:iam::…:user/ci"); empty when unknown.
  std::string owner;
  /// Every owner-related field decoded or verified: ("aws.account_id", …).
  std::vector<std::pair<std::string, std::string>> owner_fields;
  Classification classification;
  model::VerificationStatus status = model::VerificationStatus::kNotChecked;
  std::string status_reason;
  model::ValidationStatus validation = model::ValidationStatus::kUnchecked;
  std::string validation_detail;
  std::vector<std::string> scopes;
  std::string expiry;
  int64_t first_seen = 0;  ///< earliest exposed_at; 0 when unknown
  int64_t last_seen = 0;   ///< latest exposed_at; 0 when unknown
  int64_t first_scan = 0;
  int64_t last_scan = 0;
  std::vector<Exposure> exposures;  ///< oldest first
  std::size_t source_kinds = 0;     ///< distinct sources ("git", "slack"…)
  /// Whether any exposure is still at a repository's HEAD.
  std::optional<bool> at_head;
  RiskFactors factors;
  int risk = 0;  ///< 0–100, see risk_score()
  std::string remediation;
};

struct Inventory {
  std::vector<Identity> identities;  ///< highest risk first
  int64_t generated_at = 0;
  std::vector<store::ScanRecord> scans;
};

struct InventoryOptions {
  /// "Now" for ages and expiry, seconds since the epoch (0 = the clock).
  int64_t now_s = 0;
  /// Rules, for their remediation text (optional; may be null).
  const std::vector<model::Rule>* rules = nullptr;
  /// Show plain secrets when the sightings carry them.
  bool show_secrets = false;
};

/// Groups sightings into identities by their `identity` (sightings without
/// one are grouped by provider|secret in plain text — only for in-memory
/// use). Exposures at the same place (store::exposure_key) are merged.
/// Deterministic: the same sightings in any order give the same inventory.
/// Cost: O(n log n) in the number of sightings.
Inventory build_inventory(const std::vector<store::Sighting>& sightings,
                          const InventoryOptions& options = {});

/// Person vs machine and standing vs short-lived, from the secret's prefix
/// (plain or redacted), the rule id, the kind, the provider and what was
/// decoded or verified. The table is in docs/inventory.md.
Classification classify(const model::Finding& finding, int64_t now_s);

/// Owner-related fields of a finding (decoded, verified, captured), in a
/// stable order, and the one-line summary of the most telling of them.
std::vector<std::pair<std::string, std::string>> owner_fields(
    const model::Finding& finding);
std::string owner_summary(
    const std::vector<std::pair<std::string, std::string>>& fields);

/// The risk factors of an identity whose other fields are filled.
RiskFactors risk_factors(const Identity& identity, int64_t now_s);

/// risk = round(100 × L × (0.30·P + 0.20·T + 0.20·B + 0.15·A + 0.15·V)).
int risk_score(const RiskFactors& factors);

/// Where this provider's credentials are rotated or revoked; rule_hint (a
/// rule's `remediation`) wins when not empty.
std::string remediation_for(std::string_view provider, model::Kind kind,
                            std::string_view rule_hint = {});

}  // namespace sprawl::inventory
