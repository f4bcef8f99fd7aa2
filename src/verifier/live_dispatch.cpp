// Which live verifier checks a finding: by finding.provider, else the rule
// id prefix, else the secret's shape; and which role (secret, key id, host,
// email, app key) the finding plays in a multi-part credential.
#include <algorithm>
#include <cctype>

#include "verifier/http_client.h"
#include "verifier/live_providers.h"

namespace sprawl::verifier::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

bool all_of_set(std::string_view text, std::string_view set) {
  return std::all_of(text.begin(), text.end(),
                     [set](char c) { return set.find(c) != set.npos; });
}

constexpr std::string_view kHex = "0123456789abcdefABCDEF";
constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string normalize_provider(std::string slug) {
  static const std::pair<std::string_view, std::string_view> kAliases[] = {
      {"google", "gcp"},
      {"gcloud", "gcp"},
      {"googlecloud", "gcp"},
      {"google-cloud", "gcp"},
      {"hf", "huggingface"},
      {"hugging-face", "huggingface"},
      {"hugging_face", "huggingface"},
      {"digital-ocean", "digitalocean"},
      {"digital_ocean", "digitalocean"},
      {"do", "digitalocean"},
      {"jira", "atlassian"},
      {"confluence", "atlassian"},
      {"amazon", "aws"},
      {"npmjs", "npm"},
      {"ghe", "github"},
      {"github-enterprise", "github"},
      {"dd", "datadog"},
      {"cf", "cloudflare"},
      {"telegram-bot", "telegram"},
  };
  for (const auto& [alias, name] : kAliases)
    if (slug == alias) return std::string(name);
  return slug;
}

// Known prefixes, for findings whose rule names no provider we know.
std::string provider_from_shape(std::string_view secret) {
  static const std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"ghp_", "github"},
      {"gho_", "github"},
      {"ghu_", "github"},
      {"ghs_", "github"},
      {"github_pat_", "github"},
      {"glpat-", "gitlab"},
      {"xoxb-", "slack"},
      {"xoxp-", "slack"},
      {"xoxe.xox", "slack"},
      {"https://hooks.slack.com/", "slack"},
      {"AKIA", "aws"},
      {"ASIA", "aws"},
      {"AIza", "gcp"},
      {"sk_live_", "stripe"},
      {"rk_live_", "stripe"},
      {"sk_test_", "stripe"},
      {"rk_test_", "stripe"},
      {"SG.", "sendgrid"},
      {"sk-ant-", "anthropic"},
      {"hf_", "huggingface"},
      {"npm_", "npm"},
      {"shpat_", "shopify"},
      {"shpca_", "shopify"},
      {"shppa_", "shopify"},
      {"ATATT3", "atlassian"},
      {"dop_v1_", "digitalocean"},
      {"doo_v1_", "digitalocean"},
      {"sk-proj-", "openai"},
      {"sk-svcacct-", "openai"},
      {"https://discord.com/api/webhooks/", "discord"},
      {"https://discordapp.com/api/webhooks/", "discord"},
      {"PMAK-", "postman"},
      {"HRKU-", "heroku"},
  };
  for (const auto& [prefix, name] : kPrefixes)
    if (secret.starts_with(prefix)) return std::string(name);
  if (secret.find("\"service_account\"") != secret.npos) return "gcp";
  return {};
}

std::string provider_of(const model::Finding& finding) {
  std::string slug = normalize_provider(lower(finding.provider));
  if (is_known_verifier(slug)) return slug;
  std::string rule = lower(finding.rule_id);
  size_t end = rule.find_first_of("-_.:/ ");
  std::string prefix = normalize_provider(rule.substr(0, end));
  if (is_known_verifier(prefix)) return prefix;
  return provider_from_shape(finding.secret);
}

bool is_aws_key_id(std::string_view text) {
  static constexpr std::string_view kPrefixes[] = {"AKIA", "ASIA", "ABIA",
                                                   "ACCA"};
  if (text.size() != 20) return false;
  bool prefixed = std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                              [text](auto p) { return text.starts_with(p); });
  return prefixed && all_of_set(text.substr(4), kBase32);
}

bool is_twilio_sid(std::string_view text) {
  return text.size() == 34 &&
         (text.starts_with("AC") || text.starts_with("SK")) &&
         all_of_set(text.substr(2), kHex);
}

bool rule_says(const model::Finding& finding, std::string_view word) {
  return lower(finding.rule_id).find(word) != std::string::npos;
}

bool is_aws_secret_key(std::string_view text) {
  return text.size() == 40 &&
         all_of_set(text,
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789+/");
}

// The role a finding's secret plays within its provider's credential; empty
// when the finding is of a kind no verifier takes (a Bedrock key, an
// Atlassian admin key, an API key SID).
std::string role_of(const std::string& provider,
                    const model::Finding& finding) {
  const std::string& secret = finding.secret;
  if (provider == "aws") {
    if (is_aws_key_id(secret)) return "id";
    if (rule_says(finding, "session")) return "token";
    return is_aws_secret_key(secret) ? "secret" : "";
  }
  if (provider == "twilio") {
    if (is_twilio_sid(secret)) return secret.starts_with("AC") ? "id" : "";
    return "secret";
  }
  if (provider == "atlassian") {
    if (rule_says(finding, "admin") || rule_says(finding, "datacenter"))
      return "";
    if (secret.find(".atlassian.net") != secret.npos) return "host";
    bool email =
        secret.find('@') != secret.npos && secret.find(' ') == secret.npos;
    return email ? "email" : "secret";
  }
  if (provider == "shopify")
    return secret.find(".myshopify.com") != secret.npos ? "host" : "secret";
  if (provider == "datadog") {
    bool app = rule_says(finding, "app") ||
               (secret.size() == 40 && all_of_set(secret, kHex));
    return app ? "app" : "secret";
  }
  if (provider == "gcp" && secret.ends_with(".iam.gserviceaccount.com") &&
      secret.find("PRIVATE KEY") == secret.npos)
    return "email";
  if (provider == "npm") {
    // A token for another registry must never reach registry.npmjs.org.
    std::string host = lower(finding.capture("host"));
    if (!host.empty() && host.find("registry.npmjs.org") == host.npos)
      return "";
  }
  return "secret";
}

std::vector<std::string_view> verifiers_for(const std::string& provider,
                                            const std::string& secret) {
  if (provider == "slack") {
    // A URL is a webhook (its prepare hook checks the host); only xox*
    // tokens go to auth.test (xapp- app-level tokens cannot call it).
    if (secret.find("://") != secret.npos) return {"slack-webhook"};
    if (secret.starts_with("xox")) return {"slack"};
    return {};
  }
  if (provider == "gcp") {
    if (secret.starts_with("AIza")) return {"gcp-api-key"};
    if (secret.find("PRIVATE KEY") != secret.npos) return {"gcp"};
    return {};
  }
  if (provider == "discord") {
    if (secret.find("://") != secret.npos) return {"discord-webhook"};
    return {"discord"};
  }
  if (provider == "datadog") return {"datadog-keys", "datadog"};
  if (find_spec(provider)) return {find_spec(provider)->id};
  return {};
}

}  // namespace

std::optional<Classification> classify(const model::Finding& finding) {
  // Client secrets, passwords, database credentials, private keys and JWTs
  // have no identity call that a token-style check could make; sending one
  // as a bearer token would report a false "revoked".
  switch (finding.kind) {
    case model::Kind::kOauthClientSecret:
    case model::Kind::kPassword:
    case model::Kind::kDatabaseCredential:
    case model::Kind::kPrivateKey:
    case model::Kind::kJwt:
      return std::nullopt;
    default:
      break;
  }
  std::string provider = provider_of(finding);
  if (provider.empty()) return std::nullopt;
  Classification out;
  out.role = role_of(provider, finding);
  if (out.role.empty()) return std::nullopt;
  out.verifiers = verifiers_for(provider, finding.secret);
  out.provider = std::move(provider);
  if (out.verifiers.empty() && out.role == "secret") return std::nullopt;
  return out;
}

Parts parts_from_captures(const model::Finding& finding) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"id", "id"},
      {"key_id", "id"},
      {"access_key_id", "id"},
      {"sid", "id"},
      {"account_sid", "id"},
      {"host", "host"},
      {"shop", "host"},
      {"site", "host"},
      {"domain", "host"},
      {"url", "host"},
      {"email", "email"},
      {"user", "email"},
      {"username", "email"},
      {"client_email", "email"},
      {"app", "app"},
      {"app_key", "app"},
      {"application_key", "app"},
      {"session_token", "token"},
  };
  Parts parts;
  for (const auto& [name, value] : finding.captures) {
    if (value.empty() || name == "secret") continue;
    for (const auto& [alias, role] : kNames) {
      if (name != alias || parts.count(std::string(role))) continue;
      std::string text = value;
      if (role == "host" && text.find("://") != text.npos)
        text = url_host(text);
      parts[std::string(role)] = text;
    }
  }
  return parts;
}

}  // namespace sprawl::verifier::detail
