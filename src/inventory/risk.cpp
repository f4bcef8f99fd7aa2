// Owner fields, the documented risk formula and the remediation table of the
// inventory (docs/inventory.md holds the same numbers; change both).
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

#include "sprawl/inventory/inventory.h"

namespace sprawl::inventory {
namespace {

using model::Kind;

// Owner keys by how well they name the owner, best first. A decoded key
// "family.field" is ranked by its field.
constexpr std::array<std::string_view, 18> kOwnerKeys = {
    "arn",      "client_email", "login",    "app_slug",   "app",
    "bot_id",   "user",         "email",    "account_id", "account",
    "username", "sub",          "team",     "team_id",    "project_id",
    "organization", "shop",     "user_id",
};

std::string_view field_of(std::string_view key) {
  std::size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

int owner_rank(std::string_view key) {
  std::string_view field = field_of(key);
  for (std::size_t i = 0; i < kOwnerKeys.size(); ++i)
    if (kOwnerKeys[i] == field) return static_cast<int>(i);
  return -1;
}

struct KindPrivilege {
  Kind kind;
  double privilege;
};

constexpr std::array<KindPrivilege, 12> kPrivilege = {{
    {Kind::kCloudAccessKey, 1.0},    {Kind::kServiceAccountKey, 1.0},
    {Kind::kPrivateKey, 0.9},        {Kind::kDatabaseCredential, 0.9},
    {Kind::kAccessToken, 0.8},       {Kind::kOauthClientSecret, 0.7},
    {Kind::kApiKey, 0.7},            {Kind::kPassword, 0.7},
    {Kind::kBotToken, 0.6},          {Kind::kJwt, 0.6},
    {Kind::kGenericSecret, 0.5},     {Kind::kWebhookUrl, 0.3},
}};

struct ProviderHint {
  std::string_view provider;
  std::string_view hint;
};

// clang-format off
// Where each provider's credentials are rotated or revoked.
constexpr std::array<ProviderHint, 24> kHints = {{
  {"aws", "AWS IAM console > Users > Security credentials: create a new access key, deploy it, then deactivate and delete the old one (aws iam delete-access-key); for session credentials revoke the role's sessions"},
  {"github", "GitHub > Settings > Developer settings > Personal access tokens (or the app's settings / the repository's Deploy keys): regenerate or delete the token; org owners can revoke via the credential API"},
  {"gitlab", "GitLab > User settings > Access tokens (or Project > Settings > Repository > Deploy tokens, CI/CD > Runners): revoke and recreate"},
  {"slack", "api.slack.com/apps > your app > OAuth & Permissions: revoke tokens (auth.revoke) and reinstall; regenerate webhooks under Incoming Webhooks"},
  {"google", "Google Cloud console > IAM & Admin > Service accounts > Keys (or APIs & Services > Credentials): delete the key and create a new one"},
  {"gcp", "Google Cloud console > IAM & Admin > Service accounts > Keys: delete the key and create a new one"},
  {"azure", "Azure portal > Microsoft Entra ID > App registrations > Certificates & secrets (or the storage account's Access keys): rotate the secret or key"},
  {"stripe", "Stripe Dashboard > Developers > API keys: roll the key"},
  {"twilio", "Twilio Console > Account > API keys & tokens: rotate the auth token or delete the API key"},
  {"sendgrid", "SendGrid > Settings > API Keys: delete the key and create a new one"},
  {"mailgun", "Mailgun > Account settings > API security: reset or delete the key"},
  {"openai", "platform.openai.com > API keys: revoke the key and create a new one"},
  {"anthropic", "console.anthropic.com > API keys: disable and delete the key"},
  {"huggingface", "huggingface.co > Settings > Access Tokens: invalidate and refresh the token"},
  {"npm", "npmjs.com > Access Tokens (or npm token revoke): delete the token"},
  {"pypi", "pypi.org > Account settings > API tokens: remove the token"},
  {"datadog", "Datadog > Organization settings > API keys / Application keys: revoke and create"},
  {"heroku", "Heroku dashboard > Account settings > API key (heroku authorizations:revoke): regenerate"},
  {"digitalocean", "DigitalOcean control panel > API > Tokens: delete and regenerate"},
  {"discord", "Discord Developer Portal > your application > Bot: reset token"},
  {"telegram", "Telegram @BotFather: /revoke the bot token"},
  {"atlassian", "id.atlassian.com > Security > API tokens: revoke the token"},
  {"shopify", "Shopify admin > Apps > Develop apps > API credentials: rotate the token or uninstall the app"},
  {"cloudflare", "Cloudflare dashboard > My Profile > API Tokens: roll or delete the token"},
}};
// clang-format on

constexpr std::string_view kPrivateKeyHint =
    "Replace the key pair and remove the public key from every place that "
    "trusts it (authorized_keys, deploy keys, certificates)";
constexpr std::string_view kGenericHint =
    "Rotate the secret where it is issued, update its consumers, then "
    "revoke the old value";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(
                        static_cast<unsigned char>(c)));
  return out;
}

double live_factor(const Identity& id) {
  using model::ValidationStatus;
  using model::VerificationStatus;
  switch (id.status) {
    case VerificationStatus::kLive: return 1.0;
    case VerificationStatus::kRevoked: return 0.1;
    case VerificationStatus::kUnknown: return 0.7;
    case VerificationStatus::kNotChecked: break;
  }
  if (id.validation == ValidationStatus::kValid) return 0.7;
  if (id.validation == ValidationStatus::kInvalid) return 0.3;
  return 0.6;
}

double privilege_factor(const Identity& id) {
  double p = 0.5;
  for (const KindPrivilege& row : kPrivilege)
    if (row.kind == id.kind) p = row.privilege;
  for (const std::string& scope : id.scopes) {
    std::string s = lower(scope);
    if (s.find("admin") != std::string::npos || s == "repo" || s == "*" ||
        s.find("write") != std::string::npos)
      p = std::max(p, 0.9);
  }
  for (const auto& [k, v] : id.owner_fields) {
    if (field_of(k) == "role" && v == "service_role") p = 1.0;
    if (field_of(k) == "arn" && v.size() > 5 &&
        v.compare(v.size() - 5, 5, ":root") == 0)
      p = 1.0;
  }
  return p;
}

double standing_factor(const Identity& id, int64_t now_s) {
  int64_t expiry = store::parse_time(id.expiry);
  bool expired = (expiry > 0 && expiry <= now_s) ||
                 id.classification.lifetime_reason == "JWT expired";
  if (expired) return 0.0;
  switch (id.classification.lifetime) {
    case Lifetime::kStanding: return 1.0;
    case Lifetime::kShortLived: return 0.3;
    case Lifetime::kUnknown: break;
  }
  return 0.7;
}

double place_factor(const Identity& id) {
  double v = 0.0;
  for (const Exposure& e : id.exposures) {
    double here = 0.5;
    switch (e.place.visibility) {
      case store::Visibility::kPublic: here = 1.0; break;
      case store::Visibility::kInternal: here = 0.6; break;
      case store::Visibility::kPrivate: here = 0.3; break;
      case store::Visibility::kUnknown: here = 0.5; break;
    }
    if (e.place.still_at_head.value_or(false)) here += 0.2;
    v = std::max(v, std::min(here, 1.0));
  }
  return id.exposures.empty() ? 0.5 : v;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> owner_fields(
    const model::Finding& finding) {
  std::vector<std::pair<std::string, std::string>> out;
  auto take = [&out](const std::pair<std::string, std::string>& kv) {
    if (kv.second.empty()) return;
    std::string_view field = field_of(kv.first);
    if (owner_rank(kv.first) < 0 && field != "role" && field != "iss")
      return;
    if (std::find(out.begin(), out.end(), kv) == out.end())
      out.push_back(kv);
  };
  for (const auto& kv : finding.verification.identity) take(kv);
  for (const auto& kv : finding.validation.decoded) take(kv);
  for (const auto& kv : finding.captures)
    if ((kv.first == "email" || kv.first == "user" ||
         kv.first == "username") &&
        !model::looks_like_token(kv.second))
      take(kv);
  return out;
}

std::string owner_summary(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  const std::pair<std::string, std::string>* best = nullptr;
  int best_rank = 1 << 20;
  for (const auto& kv : fields) {
    int rank = owner_rank(kv.first);
    if (rank >= 0 && rank < best_rank) {
      best = &kv;
      best_rank = rank;
    }
  }
  if (!best) return {};
  std::string out = std::string(field_of(best->first)) + ": " + best->second;
  for (const auto& kv : fields)
    if (field_of(kv.first) == "team" && &kv != best)
      return out + " (team " + kv.second + ")";
  return out;
}

RiskFactors risk_factors(const Identity& id, int64_t now_s) {
  RiskFactors f;
  f.live = live_factor(id);
  f.privilege = privilege_factor(id);
  f.standing = standing_factor(id, now_s);
  double weighted = static_cast<double>(id.exposures.size()) +
                    2.0 * (std::max<std::size_t>(id.source_kinds, 1) - 1);
  f.breadth = std::min(1.0, weighted / 10.0);
  f.age = id.first_seen > 0
              ? std::clamp(static_cast<double>(now_s - id.first_seen) /
                               (365.0 * 86400.0),
                           0.0, 1.0)
              : 0.5;
  f.place = place_factor(id);
  return f;
}

int risk_score(const RiskFactors& f) {
  double inner = 0.30 * f.privilege + 0.20 * f.standing + 0.20 * f.breadth +
                 0.15 * f.age + 0.15 * f.place;
  return static_cast<int>(std::lround(100.0 * f.live * inner));
}

std::string remediation_for(std::string_view provider, model::Kind kind,
                            std::string_view rule_hint) {
  if (!rule_hint.empty()) return std::string(rule_hint);
  std::string p = lower(provider);
  for (const ProviderHint& row : kHints)
    if (!p.empty() && (p == row.provider ||
                       p.find(row.provider) != std::string::npos))
      return std::string(row.hint);
  if (kind == Kind::kPrivateKey) return std::string(kPrivateKeyHint);
  return std::string(kGenericHint);
}

}  // namespace sprawl::inventory
