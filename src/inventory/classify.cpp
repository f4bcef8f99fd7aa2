// Classification of a credential: tied to a person or a machine, standing
// or short-lived. A table keyed by token prefix first (the most reliable
// signal), then rule-id words, then the kind; decoded and verified fields
// refine it (AWS key type and ARN, JWT expiry and role, provider expiry).
#include <algorithm>
#include <array>
#include <cctype>

#include "sprawl/inventory/inventory.h"

namespace sprawl::inventory {
namespace {

using model::Kind;

struct PrefixRow {
  std::string_view prefix;
  TiedTo tied_to;
  Lifetime lifetime;
  std::string_view reason;
};

constexpr TiedTo kPerson = TiedTo::kPerson;
constexpr TiedTo kMachine = TiedTo::kMachine;
constexpr TiedTo kAnyone = TiedTo::kUnknown;
constexpr Lifetime kStanding = Lifetime::kStanding;
constexpr Lifetime kShort = Lifetime::kShortLived;

// Longest prefixes first where one extends another (xoxe.xoxp- before
// xoxe-). The redacted form keeps up to 10 bytes, enough for each prefix.
// clang-format off
constexpr std::array<PrefixRow, 44> kPrefixes = {{
  {"ghp_", kPerson, kStanding, "GitHub personal access token"},
  {"github_pat", kPerson, kStanding, "GitHub fine-grained personal token"},
  {"gho_", kPerson, kStanding, "GitHub OAuth token, acts for a user"},
  {"ghu_", kPerson, kShort, "GitHub user-to-server token, expires in 8 h"},
  {"ghr_", kPerson, kStanding, "GitHub refresh token, valid for months"},
  {"ghs_", kMachine, kShort, "GitHub App installation token, expires in 1 h"},
  {"glpat-", kPerson, kStanding, "GitLab personal access token"},
  {"gldt-", kMachine, kStanding, "GitLab deploy token"},
  {"glrt-", kMachine, kStanding, "GitLab runner authentication token"},
  {"GR1348941", kMachine, kStanding, "GitLab runner registration token"},
  {"glcbt-", kMachine, kShort, "GitLab CI job token, valid while the job runs"},
  {"glptt-", kMachine, kStanding, "GitLab pipeline trigger token"},
  {"glft-", kPerson, kStanding, "GitLab feed token of a user"},
  {"glimt-", kMachine, kStanding, "GitLab incoming-mail token"},
  {"glagent-", kMachine, kStanding, "GitLab agent token"},
  {"gloas-", kMachine, kStanding, "GitLab OAuth application secret"},
  {"xoxe.xoxp-", kPerson, kShort, "rotating Slack user token, 12 h"},
  {"xoxe.xoxb-", kMachine, kShort, "rotating Slack bot token, 12 h"},
  {"xoxe-", kMachine, kStanding, "Slack refresh token of a rotating app"},
  {"xoxp-", kPerson, kStanding, "Slack user token"},
  {"xoxb-", kMachine, kStanding, "Slack bot token"},
  {"xapp-", kMachine, kStanding, "Slack app-level token"},
  {"xoxa-", kMachine, kStanding, "legacy Slack workspace app token"},
  {"xoxr-", kMachine, kStanding, "Slack refresh token"},
  {"xoxs-", kPerson, kStanding, "Slack session token of a user"},
  {"xoxc-", kPerson, kStanding, "Slack browser session token of a user"},
  {"xoxd-", kPerson, kStanding, "Slack browser session cookie of a user"},
  {"ASIA", kAnyone, kShort, "AWS temporary (STS session) credentials"},
  {"AKIA", kMachine, kStanding, "AWS IAM access key, programmatic"},
  {"ABIA", kMachine, kShort, "AWS service bearer token"},
  {"npm_", kPerson, kStanding, "npm token of a user account"},
  {"pypi-", kPerson, kStanding, "PyPI API token of a user account"},
  {"hf_", kPerson, kStanding, "Hugging Face user access token"},
  {"dop_v1_", kPerson, kStanding, "DigitalOcean personal access token"},
  {"doo_v1_", kPerson, kStanding, "DigitalOcean OAuth token of a user"},
  {"ATATT3", kPerson, kStanding, "Atlassian API token of a user account"},
  {"sk_live_", kMachine, kStanding, "Stripe secret key of an account"},
  {"rk_live_", kMachine, kStanding, "Stripe restricted key"},
  {"whsec_", kMachine, kStanding, "Stripe webhook signing secret"},
  {"SG.", kMachine, kStanding, "SendGrid API key"},
  {"AIza", kMachine, kStanding, "Google API key of a project"},
  {"GOCSPX-", kMachine, kStanding, "Google OAuth client secret"},
  {"shpat_", kMachine, kStanding, "Shopify app access token"},
  {"sk-ant-", kMachine, kStanding, "Anthropic API key of a workspace"},
}};
// clang-format on

struct WordRow {
  std::string_view word;
  TiedTo tied_to;
  std::string_view reason;
};

// Words in rule ids, for rules whose secrets have no telling prefix.
constexpr std::array<WordRow, 12> kRuleWords = {{
    {"personal", kPerson, "rule names a personal token"},
    {"pat", kPerson, "rule names a personal access token"},
    {"user", kPerson, "rule names a user token"},
    {"deploy", kMachine, "rule names a deploy key or token"},
    {"runner", kMachine, "rule names a CI runner token"},
    {"ci", kMachine, "rule names a CI token"},
    {"bot", kMachine, "rule names a bot token"},
    {"service", kMachine, "rule names a service account"},
    {"webhook", kMachine, "rule names a webhook"},
    {"installation", kMachine, "rule names an app installation"},
    {"app", kMachine, "rule names an app credential"},
    {"session", kAnyone, "rule names a session credential"},
}};

struct KindRow {
  Kind kind;
  TiedTo tied_to;
  Lifetime lifetime;
  std::string_view reason;
};

constexpr std::array<KindRow, 12> kKinds = {{
    {Kind::kBotToken, kMachine, kStanding, "bot tokens act for an app"},
    {Kind::kServiceAccountKey, kMachine, kStanding,
     "service-account keys belong to a workload"},
    {Kind::kWebhookUrl, kMachine, kStanding, "webhooks post for an app"},
    {Kind::kCloudAccessKey, kMachine, kStanding,
     "cloud access keys are programmatic"},
    {Kind::kPrivateKey, kMachine, kStanding,
     "private keys serve hosts, deploys and services"},
    {Kind::kDatabaseCredential, kMachine, kStanding,
     "database credentials are used by applications"},
    {Kind::kOauthClientSecret, kMachine, kStanding,
     "client secrets identify an application"},
    {Kind::kApiKey, kMachine, kStanding, "API keys are used by services"},
    {Kind::kPassword, kAnyone, kStanding, "passwords last until changed"},
    {Kind::kAccessToken, kAnyone, Lifetime::kUnknown, "access token"},
    {Kind::kJwt, kAnyone, Lifetime::kUnknown, "JWT"},
    {Kind::kGenericSecret, kAnyone, Lifetime::kUnknown, "generic secret"},
}};

constexpr int64_t kDay = 86400;
constexpr int64_t kNearExpiry = 30 * kDay;

const std::string& decoded(const model::Finding& f, std::string_view key) {
  static const std::string kEmpty;
  for (const auto& [k, v] : f.validation.decoded)
    if (k == key) return v;
  for (const auto& [k, v] : f.verification.identity)
    if (k == key) return v;
  return kEmpty;
}

// Rule ids are split on '-', '_' and '.' so that "ci" does not match
// "circleci-api-key" by accident but "gitlab-ci-token" does.
bool rule_has_word(std::string_view rule_id, std::string_view word) {
  std::size_t start = 0;
  while (start <= rule_id.size()) {
    std::size_t end = rule_id.find_first_of("-_.", start);
    if (end == std::string_view::npos) end = rule_id.size();
    if (rule_id.substr(start, end - start) == word) return true;
    start = end + 1;
  }
  return false;
}

const PrefixRow* prefix_row(const model::Finding& f) {
  for (const PrefixRow& row : kPrefixes) {
    if (f.secret.rfind(row.prefix, 0) == 0) return &row;
    if (f.capture("id").rfind(row.prefix, 0) == 0) return &row;
  }
  return nullptr;
}

void from_tables(const model::Finding& f, Classification& c) {
  for (const KindRow& row : kKinds) {
    if (row.kind != f.kind) continue;
    c = {row.tied_to, std::string(row.reason), row.lifetime,
         std::string(row.reason)};
  }
  for (const WordRow& row : kRuleWords) {
    if (!rule_has_word(f.rule_id, row.word)) continue;
    if (row.tied_to != kAnyone) {
      c.tied_to = row.tied_to;
      c.tied_to_reason = row.reason;
    }
    if (row.word == "session") {
      c.lifetime = kShort;
      c.lifetime_reason = row.reason;
    }
    break;
  }
  if (const PrefixRow* row = prefix_row(f)) {
    c.tied_to = row->tied_to;
    c.tied_to_reason = row->reason;
    c.lifetime = row->lifetime;
    c.lifetime_reason = row->reason;
  }
}

void refine_aws(const model::Finding& f, Classification& c) {
  const std::string& type = decoded(f, "aws.key_type");
  if (type == "temporary") {
    c.lifetime = kShort;
    c.lifetime_reason = "AWS temporary (STS session) credentials";
  } else if (type == "long-term") {
    c.lifetime = kStanding;
    c.lifetime_reason = "AWS long-term access key";
  }
  const std::string& arn = decoded(f, "arn");
  if (arn.empty()) return;
  if (arn.size() > 5 && arn.compare(arn.size() - 5, 5, ":root") == 0) {
    c.tied_to = kPerson;
    c.tied_to_reason = "AWS account root user";
  } else if (arn.find(":assumed-role/") != std::string::npos) {
    c.tied_to = kMachine;
    c.tied_to_reason = "AWS assumed role";
    c.lifetime = kShort;
    c.lifetime_reason = "AWS role session";
  }
}

void refine_jwt(const model::Finding& f, int64_t now_s, Classification& c) {
  const std::string& role = decoded(f, "jwt.role");
  const std::string& sub = decoded(f, "jwt.sub");
  if (role == "service_role" || role == "anon") {
    c.tied_to = kMachine;
    c.tied_to_reason = "JWT role " + role;
  } else if (sub.find('@') != std::string::npos) {
    c.tied_to = kPerson;
    c.tied_to_reason = "JWT subject is a person's address";
  }
  if (f.kind != Kind::kJwt && decoded(f, "jwt.exp").empty()) return;
  int64_t exp = store::parse_time(decoded(f, "jwt.exp"));
  if (exp == 0) {
    c.lifetime = kStanding;
    c.lifetime_reason = "JWT without expiry";
  } else if (decoded(f, "jwt.expired") == "true" || exp <= now_s) {
    c.lifetime = kShort;
    c.lifetime_reason = "JWT expired";
  } else if (exp - now_s <= kNearExpiry) {
    c.lifetime = kShort;
    c.lifetime_reason = "JWT expires within 30 days";
  } else {
    c.lifetime = kStanding;
    c.lifetime_reason = "JWT valid for more than 30 days";
  }
}

void refine_verified(const model::Finding& f, int64_t now_s,
                     Classification& c) {
  if (!decoded(f, "bot_id").empty()) {
    c.tied_to = kMachine;
    c.tied_to_reason = "provider reports a bot";
  }
  const std::string& token_type = decoded(f, "github.token_type");
  if (token_type == "fine-grained-personal") {
    c.tied_to = kPerson;
    c.tied_to_reason = "GitHub fine-grained personal token";
  }
  int64_t expiry = store::parse_time(f.verification.expiry);
  if (expiry > 0 && expiry - now_s <= kNearExpiry) {
    c.lifetime = kShort;
    c.lifetime_reason = "provider reports expiry within 30 days";
  }
}

}  // namespace

std::string_view tied_to_name(TiedTo tied_to) {
  switch (tied_to) {
    case TiedTo::kPerson: return "person";
    case TiedTo::kMachine: return "machine";
    case TiedTo::kUnknown: break;
  }
  return "unknown";
}

std::string_view lifetime_name(Lifetime lifetime) {
  switch (lifetime) {
    case Lifetime::kStanding: return "standing";
    case Lifetime::kShortLived: return "short-lived";
    case Lifetime::kUnknown: break;
  }
  return "unknown";
}

Classification classify(const model::Finding& finding, int64_t now_s) {
  Classification c;
  from_tables(finding, c);
  refine_aws(finding, c);
  refine_jwt(finding, now_s, c);
  refine_verified(finding, now_s, c);
  if (c.tied_to == TiedTo::kUnknown && c.tied_to_reason.empty())
    c.tied_to_reason = "nothing tells";
  if (c.lifetime == Lifetime::kUnknown && c.lifetime_reason.empty())
    c.lifetime_reason = "nothing tells";
  return c;
}

}  // namespace sprawl::inventory
