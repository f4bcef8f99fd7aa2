// The table of live verifiers (issue 6). Each row is the provider's own
// documented, read-only identity call; see docs/verification.md. Hooks exist
// only for AWS SigV4, the Google service-account JWT and webhook URLs.
#include "verifier/live_providers.h"

#include <algorithm>
#include <ctime>

#include "verifier/gcp_jwt.h"
#include "verifier/live_digest.h"
#include "verifier/sigv4.h"

namespace sprawl::verifier::detail {
namespace {

constexpr std::string_view kStsBody =
    "Action=GetCallerIdentity&Version=2011-06-15";
constexpr std::string_view kGoogleTokenUrl =
    "https://oauth2.googleapis.com/token";
constexpr std::string_view kGoogleScope =
    "https://www.googleapis.com/auth/cloud-platform.read-only";

Error part_error(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

// A webhook URL is its own secret: keep its path, but only when the host is
// the provider's and the path has the documented shape, so that a finding
// can never steer a request elsewhere.
Expected<void> prepare_webhook(Parts& parts, std::string_view host,
                               std::string_view prefix) {
  const std::string& url = parts["secret"];
  if (url_host(url) != host || !url.starts_with("https://"))
    return fail(part_error("webhook URL is not on " + std::string(host)));
  std::string path = url_path(url);
  path = path.substr(0, path.find_first_of("?#"));
  bool safe = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
           c == '-' || c == '_';
  });
  if (!path.starts_with(prefix) || !safe || path.find("//") != path.npos)
    return fail(part_error("webhook URL has an unexpected path"));
  parts["path"] = path;
  return {};
}

Expected<void> prepare_slack_webhook(Parts& parts) {
  return prepare_webhook(parts, "hooks.slack.com", "/services/");
}

// The legacy, PTB and Canary hosts serve the same API as discord.com, which
// is where the request goes; the path may carry an API version.
Expected<void> prepare_discord_webhook(Parts& parts) {
  static constexpr std::string_view kHosts[] = {
      "discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"};
  std::string host = url_host(parts["secret"]);
  if (std::find(std::begin(kHosts), std::end(kHosts), host) == std::end(kHosts))
    return fail(part_error("webhook URL is not on discord.com"));
  SPRAWL_TRY(prepare_webhook(parts, host, "/api/"));
  const std::string& path = parts["path"];
  size_t hooks = path.find("/webhooks/");
  bool versioned =
      hooks == 4 || (path.size() > 5 && path[5] == 'v' && hooks <= 8);
  if (hooks == std::string::npos || !versioned)
    return fail(part_error("webhook URL has an unexpected path"));
  return {};
}

// Only account SIDs authenticate to the Accounts resource; API key SIDs
// (SK…) cannot read it, so they are not checked rather than misreported.
Expected<void> prepare_twilio(Parts& parts) {
  if (!parts["id"].starts_with("AC"))
    return fail(part_error("only account SIDs (AC...) can be checked"));
  return {};
}

Expected<void> prepare_gcp(Parts& parts) {
  auto key = parse_service_account(parts["secret"]);
  if (!key) return fail(key.error());
  if (!key->client_email.empty()) parts["email"] = key->client_email;
  // The service-account rule captures client_email as its id.
  if (parts["email"].empty() && parts["id"].find('@') != std::string::npos)
    parts["email"] = parts["id"];
  if (parts["email"].empty())
    return fail(part_error("no client_email for the service-account key"));
  if (!key->project_id.empty()) parts["project"] = key->project_id;
  if (!key->private_key_id.empty()) parts["key_id"] = key->private_key_id;
  return {};
}

Expected<HttpRequest> build_gcp(const ProviderSpec& spec, const Parts& parts,
                                const std::string& base) {
  auto key = parse_service_account(parts.at("secret"));
  if (!key) return fail(key.error());
  key->client_email = parts.at("email");
  // The audience is always Google's token endpoint, even when the request
  // goes to an override: the assertion is only valid there.
  auto jwt = sign_service_account_jwt(*key, kGoogleTokenUrl, kGoogleScope,
                                      static_cast<int64_t>(std::time(nullptr)));
  if (!jwt) return fail(jwt.error());
  HttpRequest request;
  request.method = "POST";
  request.url = base + std::string(spec.path);
  request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  request.body = "grant_type=" +
                 percent_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
                 "&assertion=" + *jwt;
  return request;
}

Expected<HttpRequest> build_aws(const ProviderSpec& spec, const Parts& parts,
                                const std::string& base) {
  HttpRequest request;
  request.method = "POST";
  request.url = base + std::string(spec.path);
  request.body = std::string(kStsBody);

  SigV4Request sig;
  sig.method = "POST";
  sig.path = url_path(request.url);
  std::string origin = url_origin(request.url);
  std::string host = origin.substr(origin.find("://") + 3);
  std::string content_type = "application/x-www-form-urlencoded; charset=utf-8";
  sig.headers = {{"content-type", content_type},
                 {"host", host},
                 {"x-amz-date", amz_date_now()}};
  auto token = parts.find("token");
  if (token != parts.end() && !token->second.empty())
    sig.headers.emplace_back("x-amz-security-token", token->second);
  sig.payload = request.body;
  sig.region = "us-east-1";
  sig.service = "sts";
  sig.amz_date = sig.headers[2].second;
  sig.key_id = parts.at("id");
  sig.secret_key = parts.at("secret");
  SigV4Signature signature = sign_sigv4(sig);

  request.headers.push_back("Content-Type: " + content_type);
  request.headers.push_back("X-Amz-Date: " + sig.amz_date);
  if (sig.headers.size() > 3)
    request.headers.push_back("X-Amz-Security-Token: " + token->second);
  request.headers.push_back("Authorization: " + signature.authorization);
  return request;
}

// One entry per verifier, in the order of docs/verification.md. Adding a
// provider is one entry here plus a case in tests/unit/verifier.
const ProviderSpec kSpecs[] = {
    {.id = "github",
     .provider = "github",
     .accepts = "ghp_|gho_|ghu_|ghs_|github_pat_|hex:40",
     .base = "https://api.github.com",
     .path = "/user",
     .headers = {"Authorization: Bearer {secret}",
                 "Accept: application/vnd.github+json",
                 "X-GitHub-Api-Version: 2022-11-28"},
     .identity = {{{"login", "json:login"},
                   {"id", "json:id"},
                   {"type", "json:type"}}},
     .scopes = "header:x-oauth-scopes",
     .expiry = "header:github-authentication-token-expiration",
     .doc = "https://docs.github.com/en/rest/users/"
            "users#get-the-authenticated-user"},
    {.id = "gitlab",
     .provider = "gitlab",
     .accepts = "glpat-",
     .base = "https://gitlab.com",
     .path = "/api/v4/personal_access_tokens/self",
     .headers = {"PRIVATE-TOKEN: {secret}"},
     .identity = {{{"token_name", "json:name"}, {"user_id", "json:user_id"}}},
     .scopes = "json:scopes",
     .expiry = "json:expires_at",
     .doc = "https://docs.gitlab.com/api/personal_access_tokens/#self-inform"},
    {.id = "slack",
     .provider = "slack",
     .accepts = "xoxb-|xoxp-|xoxa-|xoxo-|xoxs-|xoxe.xoxb-|xoxe.xoxp-",
     .method = "POST",
     .base = "https://slack.com",
     .path = "/api/auth.test",
     .headers = {"Authorization: Bearer {secret}"},
     .content_type = "application/x-www-form-urlencoded",
     .revoked_status = {},
     .ok_field = "ok",
     .error_field = "json:error",
     .revoked_errors = {"invalid_auth", "not_authed", "account_inactive",
                        "token_revoked", "token_expired"},
     .identity = {{{"team", "json:team"},
                   {"team_id", "json:team_id"},
                   {"user", "json:user"},
                   {"user_id", "json:user_id"},
                   {"bot_id", "json:bot_id"}}},
     .scopes = "header:x-oauth-scopes",
     .doc = "https://api.slack.com/methods/auth.test"},
    // An empty JSON object is rejected with 400 "no_text"/"invalid_payload"
    // by a hook that exists, and nothing is posted.
    {.id = "slack-webhook",
     .provider = "slack",
     .accepts = "https://hooks.slack.com/services/",
     .method = "POST",
     .base = "https://hooks.slack.com",
     .path = "{path}",
     .body = "{}",
     .content_type = "application/json",
     .body_kind = BodyKind::kText,
     .live_status = {400},
     .revoked_status = {403, 404, 410},
     .ok_field = "no_text|invalid_payload",
     .prepare = prepare_slack_webhook,
     .doc = "https://api.slack.com/messaging/webhooks#handling_errors"},
    {.id = "aws",
     .provider = "aws",
     .accepts = "len:40",
     .method = "POST",
     .base = "https://sts.amazonaws.com",
     .path = "/",
     .body_kind = BodyKind::kXml,
     .revoked_status = {},
     .ok_field = "<GetCallerIdentityResult>",
     .error_field = "xml:Code",
     .revoked_errors = {"InvalidClientTokenId", "SignatureDoesNotMatch",
                        "ExpiredToken", "UnrecognizedClientException"},
     .identity = {{{"arn", "xml:Arn"},
                   {"account", "xml:Account"},
                   {"user_id", "xml:UserId"}}},
     .extra_parts = "id",
     .optional_parts = "token",
     .build = build_aws,
     .doc = "https://docs.aws.amazon.com/STS/latest/APIReference/"
            "API_GetCallerIdentity.html"},
    {.id = "gcp",
     .provider = "gcp",
     .method = "POST",
     .base = "https://oauth2.googleapis.com",
     .path = "/token",
     .ok_field = "access_token",
     .error_field = "json:error",
     .revoked_errors = {"invalid_grant", "invalid_client",
                        "unauthorized_client"},
     .identity = {{{"client_email", "part:email"},
                   {"project_id", "part:project"},
                   {"private_key_id", "part:key_id"}}},
     .optional_parts = "email",
     .prepare = prepare_gcp,
     .build = build_gcp,
     .doc = "https://developers.google.com/identity/protocols/"
            "oauth2/service-account#httprest"},
    {.id = "gcp-api-key",
     .provider = "gcp",
     .accepts = "AIza",
     .base = "https://generativelanguage.googleapis.com",
     .path = "/v1beta/models",
     .headers = {"x-goog-api-key: {secret}"},
     .revoked_status = {},
     .restricted_status = {403},
     .error_field = "json:error.details.0.reason",
     .revoked_errors = {"API_KEY_INVALID"},
     .doc = "https://ai.google.dev/api/models#method:-models.list"},
    {.id = "stripe",
     .provider = "stripe",
     .accepts = "sk_live_|rk_live_|sk_test_|rk_test_",
     .base = "https://api.stripe.com",
     .path = "/v1/account",
     .headers = {"Authorization: Bearer {secret}"},
     .restricted_status = {403},
     .identity = {{{"account", "json:id"},
                   {"email", "json:email"},
                   {"name", "json:business_profile.name"}}},
     .doc = "https://docs.stripe.com/api/accounts/retrieve"},
    {.id = "twilio",
     .provider = "twilio",
     .accepts = "hex:32",
     .base = "https://api.twilio.com",
     .path = "/2010-04-01/Accounts/{id}.json",
     .basic_user = "{id}",
     .basic_password = "{secret}",
     .identity = {{{"account", "json:sid"},
                   {"name", "json:friendly_name"},
                   {"status", "json:status"},
                   {"type", "json:type"}}},
     .prepare = prepare_twilio,
     .doc = "https://www.twilio.com/docs/iam/api/"
            "account#fetch-an-account-resource"},
    {.id = "sendgrid",
     .provider = "sendgrid",
     .accepts = "SG.",
     .base = "https://api.sendgrid.com",
     .path = "/v3/scopes",
     .headers = {"Authorization: Bearer {secret}"},
     .revoked_status = {401, 403},
     .scopes = "json:scopes",
     .doc = "https://www.twilio.com/docs/sendgrid/api-reference/"
            "api-key-permissions/"
            "retrieve-a-list-of-scopes-for-which-this-user-has-access"},
    {.id = "mailgun",
     .provider = "mailgun",
     .base = "https://api.mailgun.net",
     .path = "/v3/domains",
     .basic_user = "api",
     .basic_password = "{secret}",
     .revoked_status = {401, 403},
     .identity = {{{"domain", "json:items.0.name"},
                   {"domains", "json:total_count"}}},
     .doc = "https://documentation.mailgun.com/docs/mailgun/"
            "api-reference/openapi-final/tag/Domains/"},
    {.id = "openai",
     .provider = "openai",
     .accepts = "sk-",
     .base = "https://api.openai.com",
     .path = "/v1/models",
     .headers = {"Authorization: Bearer {secret}"},
     .restricted_status = {403},
     .identity = {{{"organization", "header:openai-organization"},
                   {"project", "header:openai-project"}}},
     .doc = "https://platform.openai.com/docs/api-reference/models/list"},
    {.id = "anthropic",
     .provider = "anthropic",
     .accepts = "sk-ant-api",
     .base = "https://api.anthropic.com",
     .path = "/v1/models",
     .headers = {"x-api-key: {secret}", "anthropic-version: 2023-06-01"},
     .restricted_status = {403},
     .identity = {{{"organization", "header:anthropic-organization-id"}}},
     .doc = "https://docs.anthropic.com/en/api/models-list"},
    {.id = "huggingface",
     .provider = "huggingface",
     .accepts = "hf_|api_org_",
     .base = "https://huggingface.co",
     .path = "/api/whoami-v2",
     .headers = {"Authorization: Bearer {secret}"},
     .identity = {{{"name", "json:name"},
                   {"type", "json:type"},
                   {"token_name", "json:auth.accessToken.displayName"}}},
     .scopes = "json:auth.accessToken.role",
     .doc = "https://huggingface.co/docs/hub/api#get-apiwhoami-v2"},
    {.id = "npm",
     .provider = "npm",
     .accepts = "npm_",
     .base = "https://registry.npmjs.org",
     .path = "/-/whoami",
     .headers = {"Authorization: Bearer {secret}"},
     .revoked_status = {401, 403},
     .identity = {{{"username", "json:username"}}},
     .doc = "https://github.com/npm/registry/blob/main/docs/user/"
            "authentication.md"},
    // With an application key beside the API key, both are checked at once.
    {.id = "datadog-keys",
     .provider = "datadog",
     .base = "https://api.datadoghq.com",
     .path = "/api/v2/validate_keys",
     .headers = {"DD-API-KEY: {secret}", "DD-APPLICATION-KEY: {app}",
                 "Accept: application/json"},
     .revoked_status = {401, 403},
     .ok_field = "status",
     .doc = "https://docs.datadoghq.com/api/latest/key-management/"
            "#validate-api-and-application-keys"},
    {.id = "datadog",
     .provider = "datadog",
     .base = "https://api.datadoghq.com",
     .path = "/api/v1/validate",
     .headers = {"DD-API-KEY: {secret}", "Accept: application/json"},
     .revoked_status = {401, 403},
     .ok_field = "valid",
     .doc = "https://docs.datadoghq.com/api/latest/authentication/"
            "#validate-api-key"},
    {.id = "heroku",
     .provider = "heroku",
     .base = "https://api.heroku.com",
     .path = "/account",
     .headers = {"Authorization: Bearer {secret}",
                 "Accept: application/vnd.heroku+json; version=3"},
     .revoked_status = {401, 403},
     .identity = {{{"email", "json:email"}, {"id", "json:id"}}},
     .doc = "https://devcenter.heroku.com/articles/"
            "platform-api-reference#account-info"},
    {.id = "digitalocean",
     .provider = "digitalocean",
     .accepts = "dop_v1_|doo_v1_",
     .base = "https://api.digitalocean.com",
     .path = "/v2/account",
     .headers = {"Authorization: Bearer {secret}"},
     .identity = {{{"email", "json:account.email"},
                   {"uuid", "json:account.uuid"},
                   {"status", "json:account.status"}}},
     .doc = "https://docs.digitalocean.com/reference/api/"
            "digitalocean/#tag/Account"},
    {.id = "discord",
     .provider = "discord",
     .base = "https://discord.com",
     .path = "/api/v10/users/@me",
     .headers = {"Authorization: Bot {secret}"},
     .identity = {{{"id", "json:id"}, {"username", "json:username"}}},
     .doc = "https://discord.com/developers/docs/resources/"
            "user#get-current-user"},
    {.id = "discord-webhook",
     .provider = "discord",
     .accepts = "https://",
     .base = "https://discord.com",
     .path = "{path}",
     .revoked_status = {401, 404},
     .identity = {{{"name", "json:name"},
                   {"channel_id", "json:channel_id"},
                   {"guild_id", "json:guild_id"}}},
     .prepare = prepare_discord_webhook,
     .doc = "https://discord.com/developers/docs/resources/"
            "webhook#get-webhook-with-token"},
    {.id = "telegram",
     .provider = "telegram",
     .base = "https://api.telegram.org",
     .path = "/bot{secret}/getMe",
     .revoked_status = {401, 404},
     .ok_field = "ok",
     .identity = {{{"id", "json:result.id"},
                   {"username", "json:result.username"}}},
     .doc = "https://core.telegram.org/bots/api#getme"},
    {.id = "atlassian",
     .provider = "atlassian",
     .base = "https://{host}",
     .host_suffix = ".atlassian.net",
     .path = "/rest/api/3/myself",
     .headers = {"Accept: application/json"},
     .basic_user = "{email}",
     .basic_password = "{secret}",
     .identity = {{{"account_id", "json:accountId"},
                   {"email", "json:emailAddress"},
                   {"name", "json:displayName"}}},
     .doc = "https://developer.atlassian.com/cloud/jira/platform/rest/v3/"
            "api-group-myself/#api-rest-api-3-myself-get"},
    {.id = "shopify",
     .provider = "shopify",
     .accepts = "shpat_|shpca_|shppa_",
     .base = "https://{host}",
     .host_suffix = ".myshopify.com",
     .path = "/admin/api/2024-01/shop.json",
     .headers = {"X-Shopify-Access-Token: {secret}"},
     .restricted_status = {403},
     .identity = {{{"shop", "json:shop.myshopify_domain"},
                   {"name", "json:shop.name"},
                   {"email", "json:shop.email"}}},
     .doc = "https://shopify.dev/docs/api/admin-rest/2024-01/"
            "resources/shop#get-shop"},
    {.id = "cloudflare",
     .provider = "cloudflare",
     .accepts = "cfut_|len:40",
     .base = "https://api.cloudflare.com",
     .path = "/client/v4/user/tokens/verify",
     .headers = {"Authorization: Bearer {secret}"},
     .ok_field = "success",
     .identity = {{{"token_id", "json:result.id"},
                   {"status", "json:result.status"}}},
     .expiry = "json:result.expires_on",
     .doc = "https://developers.cloudflare.com/api/resources/"
            "user/subresources/tokens/methods/verify/"},
    {.id = "postman",
     .provider = "postman",
     .accepts = "PMAK-",
     .base = "https://api.getpostman.com",
     .path = "/me",
     .headers = {"X-API-Key: {secret}"},
     .identity = {{{"id", "json:user.id"},
                   {"username", "json:user.username"},
                   {"email", "json:user.email"}}},
     .doc = "https://learning.postman.com/docs/developer/"
            "postman-api/authentication/"},
};

}  // namespace

bool accepts_secret(const ProviderSpec& spec, std::string_view secret) {
  if (spec.accepts.empty()) return true;
  std::string_view list = spec.accepts;
  while (!list.empty()) {
    size_t bar = list.find('|');
    std::string_view shape = list.substr(0, bar);
    list = bar == list.npos ? "" : list.substr(bar + 1);
    bool hex = shape.starts_with("hex:");
    if (hex || shape.starts_with("len:")) {
      size_t n = std::stoul(std::string(shape.substr(4)));
      bool digits = std::all_of(secret.begin(), secret.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
      });
      if (secret.size() == n && (!hex || digits)) return true;
    } else if (secret.starts_with(shape)) {
      return true;
    }
  }
  return false;
}

const std::vector<ProviderSpec>& provider_specs() {
  static const std::vector<ProviderSpec> specs(std::begin(kSpecs),
                                               std::end(kSpecs));
  return specs;
}

const ProviderSpec* find_spec(std::string_view id) {
  for (const ProviderSpec& spec : provider_specs())
    if (spec.id == id) return &spec;
  return nullptr;
}

bool is_known_verifier(std::string_view text) {
  for (const ProviderSpec& spec : provider_specs())
    if (spec.id == text || spec.provider == text) return true;
  return false;
}

namespace {

void split_names(std::string_view list, std::vector<std::string>& out) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    list = comma == list.npos ? "" : list.substr(comma + 1);
  }
}

}  // namespace

std::vector<std::string> optional_parts(const ProviderSpec& spec) {
  std::vector<std::string> parts;
  split_names(spec.optional_parts, parts);
  return parts;
}

std::vector<std::string> required_parts(const ProviderSpec& spec) {
  std::vector<std::string> parts;
  auto scan = [&parts](std::string_view text) {
    size_t open = 0;
    while ((open = text.find('{', open)) != text.npos) {
      size_t close = text.find('}', open);
      if (close == text.npos) break;
      std::string name(text.substr(open + 1, close - open - 1));
      bool word =
          !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::islower(static_cast<unsigned char>(c)) || c == '_';
          });
      if (word && name != "secret" && name != "path") parts.push_back(name);
      open = close + 1;
    }
  };
  scan(spec.base);
  scan(spec.path);
  for (std::string_view header : spec.headers) scan(header);
  scan(spec.basic_user);
  scan(spec.basic_password);
  scan(spec.body);
  split_names(spec.extra_parts, parts);
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return parts;
}

}  // namespace sprawl::verifier::detail
