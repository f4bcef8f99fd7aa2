// Names of the model's enumerations, as they appear in rule files and output.
#include <array>
#include <cctype>
#include <utility>

#include "sprawl/model/finding.h"
#include "sprawl/model/location.h"
#include "sprawl/model/rule.h"

namespace sprawl::model {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 12> kKinds = {{
    {Kind::kApiKey, "api-key"},
    {Kind::kAccessToken, "access-token"},
    {Kind::kOauthClientSecret, "oauth-client-secret"},
    {Kind::kBotToken, "bot-token"},
    {Kind::kWebhookUrl, "webhook-url"},
    {Kind::kCloudAccessKey, "cloud-access-key"},
    {Kind::kServiceAccountKey, "service-account-key"},
    {Kind::kPrivateKey, "private-key"},
    {Kind::kDatabaseCredential, "database-credential"},
    {Kind::kPassword, "password"},
    {Kind::kJwt, "jwt"},
    {Kind::kGenericSecret, "generic-secret"},
}};

constexpr std::array<std::string_view, 4> kSeverities = {"low", "medium",
                                                         "high", "critical"};
constexpr std::array<std::string_view, 3> kConfidences = {"low", "medium",
                                                          "high"};

const std::string kEmpty;

}  // namespace

std::string_view kind_name(Kind kind) {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "generic-secret";
}

std::optional<Kind> parse_kind(std::string_view name) {
  for (const auto& [k, n] : kKinds)
    if (n == name) return k;
  return std::nullopt;
}

std::string_view severity_name(Severity severity) {
  return kSeverities[static_cast<int>(severity)];
}

std::optional<Severity> parse_severity(std::string_view name) {
  for (std::size_t i = 0; i < kSeverities.size(); ++i)
    if (kSeverities[i] == name) return static_cast<Severity>(i);
  return std::nullopt;
}

std::string_view confidence_name(Confidence confidence) {
  return kConfidences[static_cast<int>(confidence)];
}

std::optional<Confidence> parse_confidence(std::string_view name) {
  for (std::size_t i = 0; i < kConfidences.size(); ++i)
    if (kConfidences[i] == name) return static_cast<Confidence>(i);
  return std::nullopt;
}

Confidence lower(Confidence confidence) {
  return confidence == Confidence::kHigh ? Confidence::kMedium
                                         : Confidence::kLow;
}

std::string_view source_kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFile: return "file";
    case SourceKind::kStdin: return "stdin";
    case SourceKind::kGit: return "git";
    case SourceKind::kSlack: return "slack";
    case SourceKind::kJira: return "jira";
    case SourceKind::kJsonl: return "jsonl";
  }
  return "file";
}

std::string_view validation_status_name(ValidationStatus status) {
  switch (status) {
    case ValidationStatus::kUnchecked: return "unchecked";
    case ValidationStatus::kValid: return "valid";
    case ValidationStatus::kInvalid: return "invalid";
  }
  return "unchecked";
}

std::string_view verification_status_name(VerificationStatus status) {
  switch (status) {
    case VerificationStatus::kNotChecked: return "not_checked";
    case VerificationStatus::kLive: return "live";
    case VerificationStatus::kRevoked: return "revoked";
    case VerificationStatus::kUnknown: return "unknown";
  }
  return "not_checked";
}

const std::string& Location::attribute(std::string_view key) const {
  for (const auto& [k, v] : attributes)
    if (k == key) return v;
  return kEmpty;
}

void Location::set_attribute(std::string key, std::string value) {
  for (auto& [k, v] : attributes) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  attributes.emplace_back(std::move(key), std::move(value));
}

// A "user" that is really a token (a .netrc login holding a GitHub token,
// with the constant x-oauth-basic as the password): 20 or more characters
// of a token alphabet with letters and digits, and no '@' or '.' that a
// name, address or host would have.
bool looks_like_token(std::string_view value) {
  if (value.size() < 20) return false;
  bool letter = false, digit = false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) letter = true;
    else if (std::isdigit(u)) digit = true;
    else if (c != '_' && c != '-' && c != '+' && c != '/' && c != '=')
      return false;
  }
  return letter && digit;
}

const std::string& Finding::capture(std::string_view name) const {
  for (const auto& [k, v] : captures)
    if (k == name) return v;
  return kEmpty;
}

}  // namespace sprawl::model
