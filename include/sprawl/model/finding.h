// Finding: a confirmed match of a rule, with its secret, location and the
// results of the later stages (validation, verification).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sprawl/model/location.h"
#include "sprawl/model/rule.h"

namespace sprawl::model {

/// Offline validation outcome (checksums, structural decoding).
enum class ValidationStatus { kUnchecked, kValid, kInvalid };
std::string_view validation_status_name(ValidationStatus status);

struct Validation {
  ValidationStatus status = ValidationStatus::kUnchecked;
  std::string detail;  ///< why, in a few words: "crc32 mismatch"
  /// What was decoded: ("aws_account", "609629065308"), ("jwt.exp", "...").
  std::vector<std::pair<std::string, std::string>> decoded;
};

/// Live verification outcome (issue 6).
enum class VerificationStatus { kNotChecked, kLive, kRevoked, kUnknown };
std::string_view verification_status_name(VerificationStatus status);

struct Verification {
  VerificationStatus status = VerificationStatus::kNotChecked;
  std::string reason;  ///< for kUnknown: "timeout", "http 500", ...
  /// Identity fields the provider returned: ("login", "octocat").
  std::vector<std::pair<std::string, std::string>> identity;
  std::vector<std::string> scopes;
  std::string expiry;  ///< ISO 8601 when known
};

struct Finding {
  std::string rule_id;
  std::string rule_name;
  std::string provider;
  Kind kind = Kind::kGenericSecret;
  Severity severity = Severity::kMedium;
  Confidence confidence = Confidence::kMedium;

  /// The plain secret. Reporters redact it unless asked not to.
  std::string secret;
  /// Other named captures of the rule: ("id", "AKIA..."), ("host", ...).
  std::vector<std::pair<std::string, std::string>> captures;
  double entropy = 0.0;
  /// A caveat the matcher attaches, for people: "reads like a default or
  /// placeholder password". Empty for most findings.
  std::string note;
  /// Stable id of (rule, secret): hex, see fingerprint.h.
  std::string fingerprint;

  Location location;
  /// Byte offset of the match in its input (for ordering and dedup).
  uint64_t offset = 0;
  uint64_t group_id = 0;

  Validation validation;
  Verification verification;

  /// Set only on a finding re-reported from the store by an incremental
  /// sweep (its blob was not read again): the store's identity key. Such a
  /// finding's `secret` is already redacted; it is not validated again.
  std::string stored_identity;

  /// The value of a capture, or empty.
  const std::string& capture(std::string_view name) const;
};

/// True for a capture value shaped like a token (20+ characters of a token
/// alphabet, letters and digits, no '@' or '.'): a "user" that is really a
/// credential, as in a .netrc login holding a token. Reporters redact it and
/// the inventory does not take it as an owner.
bool looks_like_token(std::string_view value);

}  // namespace sprawl::model
