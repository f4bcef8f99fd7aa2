// Fake credentials and per-provider expectations for the live-verifier
// tests: every secret is generated here, shaped like the real format, and
// never valid anywhere. Shared by live_*_test.cpp.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sprawl/model/finding.h"
#include "unit/verifier/mock_server.h"

namespace sprawl::test {

inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kHexDigits = "0123456789abcdef";

/// prefix + n characters of alphabet from a fixed LCG: deterministic fakes.
inline std::string fake(std::string prefix, size_t n,
                        std::string_view alphabet = kAlnum, uint32_t seed = 7) {
  uint32_t state = seed * 2654435761u + static_cast<uint32_t>(prefix.size());
  for (size_t i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    prefix += alphabet[(state >> 8) % alphabet.size()];
  }
  return prefix;
}

inline model::Finding make_finding(std::string provider, std::string rule_id,
                                   std::string secret, uint64_t group,
                                   uint64_t offset = 0) {
  model::Finding finding;
  finding.provider = std::move(provider);
  finding.rule_id = std::move(rule_id);
  finding.secret = std::move(secret);
  finding.group_id = group;
  finding.offset = offset;
  finding.location.path = "config/group-" + std::to_string(group) + ".env";
  return finding;
}

/// A fresh 2048-bit RSA key as PKCS#8 PEM (for service-account fakes).
inline std::string make_rsa_pem() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

/// The JSON of a fake service-account key file, PEM `\n`-escaped as Google
/// writes it.
inline std::string make_service_account_json(const std::string& pem) {
  std::string escaped;
  for (char c : pem)
    escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  return "{\n  \"type\": \"service_account\",\n"
         "  \"project_id\": \"fake-project-123\",\n"
         "  \"private_key_id\": \"" +
         fake("", 40, kHexDigits) +
         "\",\n"
         "  \"private_key\": \"" +
         escaped +
         "\",\n"
         "  \"client_email\": "
         "\"scanner@fake-project-123.iam.gserviceaccount.com\",\n"
         "  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n";
}

/// One verifier's documented call and answers, for the scenario tests.
struct ProviderCase {
  std::string verifier;  ///< verifier id, also the override key
  std::vector<model::Finding> findings;
  size_t subject = 0;  ///< the finding whose result is checked
  std::string method;
  std::string path;
  std::string query;
  std::string auth_header;  ///< lowercase header name
  std::string auth_value;   ///< exact, or a prefix when auth_prefix
  bool auth_prefix = false;
  MockResponse live;
  std::pair<std::string, std::string> identity;  ///< expected when live
  std::vector<std::string> scopes;               ///< expected when live
  MockResponse revoked;
};

inline std::string basic(const std::string& user, const std::string& pass) {
  std::string in = user + ":" + pass;
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return "Basic " + out;
}

inline MockResponse json(
    int status, std::string body,
    std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return MockResponse{status, std::move(headers), std::move(body), 0};
}

inline const std::string& service_account_pem() {
  static const std::string pem = make_rsa_pem();
  return pem;
}

inline MockResponse unauthorized() {
  return json(401, "{\"message\":\"Bad credentials\"}");
}

// Each case: group ids are distinct so that cases never pair with each other.
inline void add_simple(std::vector<ProviderCase>& cases, std::string provider,
                       std::string verifier, std::string secret,
                       std::string path, std::string header, std::string value,
                       MockResponse live,
                       std::pair<std::string, std::string> identity,
                       MockResponse revoked = unauthorized()) {
  ProviderCase c;
  c.verifier = std::move(verifier);
  uint64_t group = 1000 + cases.size();
  c.findings.push_back(
      make_finding(provider, provider + "-token", std::move(secret), group));
  c.method = "GET";
  c.path = std::move(path);
  c.auth_header = std::move(header);
  c.auth_value = std::move(value);
  c.live = std::move(live);
  c.identity = std::move(identity);
  c.revoked = std::move(revoked);
  cases.push_back(std::move(c));
}

inline std::vector<ProviderCase> simple_cases() {
  std::vector<ProviderCase> cases;
  std::string github = fake("ghp_", 36);
  add_simple(cases, "github", "github", github, "/user", "authorization",
             "Bearer " + github,
             json(200, R"({"login":"octo-bot","id":583231,"type":"User"})",
                  {{"X-OAuth-Scopes", "repo, read:org"}}),
             {"login", "octo-bot"});
  cases.back().scopes = {"repo", "read:org"};
  std::string gitlab = fake("glpat-", 20);
  add_simple(cases, "gitlab", "gitlab", gitlab,
             "/api/v4/personal_access_tokens/self", "private-token", gitlab,
             json(200, R"({"id":4,"name":"ci","scopes":["api","read_user"],)"
                       R"("user_id":17,"expires_at":"2027-01-01"})"),
             {"token_name", "ci"});
  cases.back().scopes = {"api", "read_user"};
  std::string gcp_key = fake("AIza", 35);
  add_simple(cases, "gcp", "gcp-api-key", gcp_key, "/v1beta/models",
             "x-goog-api-key", gcp_key, json(200, R"({"models":[]})"), {},
             json(400, R"({"error":{"code":400,"status":"INVALID_ARGUMENT",)"
                       R"("details":[{"reason":"API_KEY_INVALID"}]}})"));
  std::string stripe = fake("sk_live_", 24);
  add_simple(cases, "stripe", "stripe", stripe, "/v1/account", "authorization",
             "Bearer " + stripe,
             json(200, R"({"id":"acct_1Fake","email":"ops@example.com"})"),
             {"account", "acct_1Fake"});
  std::string sendgrid = fake("SG.", 22) + "." + fake("", 43, kAlnum, 3);
  add_simple(cases, "sendgrid", "sendgrid", sendgrid, "/v3/scopes",
             "authorization", "Bearer " + sendgrid,
             json(200, R"({"scopes":["mail.send","alerts.read"]})"), {});
  cases.back().scopes = {"mail.send", "alerts.read"};
  std::string mailgun = fake("key-", 32, kHexDigits);
  add_simple(
      cases, "mailgun", "mailgun", mailgun, "/v3/domains", "authorization",
      basic("api", mailgun),
      json(200, R"({"total_count":1,"items":[{"name":"mg.example.com"}]})"),
      {"domain", "mg.example.com"});
  std::string openai = fake("sk-proj-", 40) + "T3BlbkFJ" + fake("", 20);
  add_simple(cases, "openai", "openai", openai, "/v1/models", "authorization",
             "Bearer " + openai,
             json(200, R"({"object":"list","data":[]})",
                  {{"openai-organization", "org-fake"}}),
             {"organization", "org-fake"});
  std::string anthropic = fake("sk-ant-api03-", 93) + "AA";
  add_simple(cases, "anthropic", "anthropic", anthropic, "/v1/models",
             "x-api-key", anthropic, json(200, R"({"data":[]})"), {});
  std::string hf = fake("hf_", 34);
  add_simple(cases, "huggingface", "huggingface", hf, "/api/whoami-v2",
             "authorization", "Bearer " + hf,
             json(200, R"({"name":"ml-bot","type":"user","auth":{)"
                       R"("accessToken":{"displayName":"ci","role":"read"}}})"),
             {"name", "ml-bot"});
  cases.back().scopes = {"read"};
  std::string npm = fake("npm_", 36);
  add_simple(cases, "npm", "npm", npm, "/-/whoami", "authorization",
             "Bearer " + npm, json(200, R"({"username":"publisher"})"),
             {"username", "publisher"});
  std::string datadog = fake("", 32, kHexDigits, 11);
  add_simple(cases, "datadog", "datadog", datadog, "/api/v1/validate",
             "dd-api-key", datadog, json(200, R"({"valid":true})"), {},
             json(403, R"({"errors":["Forbidden"]})"));
  std::string heroku = "HRKU-" + fake("", 36, kHexDigits, 5);
  add_simple(cases, "heroku", "heroku", heroku, "/account", "authorization",
             "Bearer " + heroku,
             json(200, R"({"email":"ops@example.com","id":"01234567-fake"})"),
             {"email", "ops@example.com"});
  std::string digitalocean = fake("dop_v1_", 64, kHexDigits);
  add_simple(cases, "digitalocean", "digitalocean", digitalocean, "/v2/account",
             "authorization", "Bearer " + digitalocean,
             json(200, R"({"account":{"email":"do@example.com",)"
                       R"("uuid":"u-1","status":"active"}})"),
             {"email", "do@example.com"});
  std::string discord =
      fake("MTA", 23) + "." + fake("", 6, kAlnum, 2) + "." + fake("", 27);
  add_simple(cases, "discord", "discord", discord, "/api/v10/users/@me",
             "authorization", "Bot " + discord,
             json(200, R"({"id":"80351110224678912","username":"deploy"})"),
             {"username", "deploy"});
  std::string telegram = "123456789:" + fake("AA", 33);
  add_simple(cases, "telegram", "telegram", telegram,
             "/bot" + telegram + "/getMe", "", "",
             json(200, R"({"ok":true,"result":{"id":123456789,)"
                       R"("is_bot":true,"username":"alerts_bot"}})"),
             {"username", "alerts_bot"},
             json(401, R"({"ok":false,"error_code":401,)"
                       R"("description":"Unauthorized"})"));
  std::string cloudflare = fake("", 40, kAlnum, 9);
  add_simple(cases, "cloudflare", "cloudflare", cloudflare,
             "/client/v4/user/tokens/verify", "authorization",
             "Bearer " + cloudflare,
             json(200, R"({"success":true,"result":{"id":"tok-1",)"
                       R"("status":"active"}})"),
             {"token_id", "tok-1"});
  std::string postman =
      "PMAK-" + fake("", 24, kHexDigits) + "-" + fake("", 34, kHexDigits, 4);
  add_simple(cases, "postman", "postman", postman, "/me", "x-api-key", postman,
             json(200, R"({"user":{"id":12,"username":"qa"}})"),
             {"username", "qa"});
  return cases;
}

inline void add_multi_part_cases(std::vector<ProviderCase>& cases) {
  ProviderCase aws;
  aws.verifier = "aws";
  aws.findings = {
      make_finding("aws", "aws-access-key-id", "AKIAIOSFODNN7EXAMPLE", 2001,
                   10),
      make_finding("aws", "aws-secret-access-key",
                   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 2001, 60)};
  aws.subject = 1;
  aws.method = "POST";
  aws.path = "/";
  aws.auth_header = "authorization";
  aws.auth_value = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/";
  aws.auth_prefix = true;
  aws.live = MockResponse{
      200,
      {{"Content-Type", "text/xml"}},
      "<GetCallerIdentityResponse><GetCallerIdentityResult>"
      "<Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAFAKE</UserId>"
      "<Account>123456789012</Account></GetCallerIdentityResult>"
      "</GetCallerIdentityResponse>",
      0};
  aws.identity = {"arn", "arn:aws:iam::123456789012:user/ci"};
  aws.revoked = MockResponse{
      403,
      {{"Content-Type", "text/xml"}},
      "<ErrorResponse><Error><Type>Sender</Type>"
      "<Code>InvalidClientTokenId</Code><Message>The security token included "
      "in the request is invalid.</Message></Error></ErrorResponse>",
      0};
  cases.push_back(aws);

  ProviderCase twilio;
  twilio.verifier = "twilio";
  std::string sid = fake("AC", 32, kHexDigits, 21);
  std::string token = fake("", 32, kHexDigits, 22);
  twilio.findings = {
      make_finding("twilio", "twilio-account-sid", sid, 2002, 5),
      make_finding("twilio", "twilio-auth-token", token, 2002, 50)};
  twilio.subject = 1;
  twilio.method = "GET";
  twilio.path = "/2010-04-01/Accounts/" + sid + ".json";
  twilio.auth_header = "authorization";
  twilio.auth_value = basic(sid, token);
  twilio.live = json(200, R"({"sid":")" + sid +
                              R"(","friendly_name":"Prod","status":"active"})");
  twilio.identity = {"name", "Prod"};
  twilio.revoked = unauthorized();
  cases.push_back(twilio);

  ProviderCase atlassian;
  atlassian.verifier = "atlassian";
  std::string api_token = fake("ATATT3", 180, kAlnum, 23);
  atlassian.findings = {
      make_finding("atlassian", "atlassian-site", "https://acme.atlassian.net",
                   2003, 0),
      make_finding("atlassian", "atlassian-email", "ci-bot@example.com", 2003,
                   40),
      make_finding("atlassian", "atlassian-api-token", api_token, 2003, 80)};
  atlassian.subject = 2;
  atlassian.method = "GET";
  atlassian.path = "/rest/api/3/myself";
  atlassian.auth_header = "authorization";
  atlassian.auth_value = basic("ci-bot@example.com", api_token);
  atlassian.live = json(200, R"({"accountId":"5b10fake","displayName":"CI"})");
  atlassian.identity = {"account_id", "5b10fake"};
  atlassian.revoked = unauthorized();
  cases.push_back(atlassian);

  ProviderCase datadog;
  datadog.verifier = "datadog-keys";
  std::string api_key = fake("", 32, kHexDigits, 24);
  std::string app_key = fake("", 40, kHexDigits, 25);
  datadog.findings = {
      make_finding("datadog", "datadog-api-key", api_key, 2004, 0),
      make_finding("datadog", "datadog-app-key", app_key, 2004, 40)};
  datadog.method = "GET";
  datadog.path = "/api/v2/validate_keys";
  datadog.auth_header = "dd-application-key";
  datadog.auth_value = app_key;
  datadog.live = json(200, R"({"status":"ok"})");
  datadog.revoked = json(403, R"({"errors":["Forbidden"]})");
  cases.push_back(datadog);

  ProviderCase shopify;
  shopify.verifier = "shopify";
  std::string shop_token = fake("shpat_", 32, kHexDigits, 26);
  shopify.findings = {
      make_finding("shopify", "shopify-access-token", shop_token, 2005, 0),
      make_finding("shopify", "shopify-shop-domain", "acme-store.myshopify.com",
                   2005, 30)};
  shopify.method = "GET";
  shopify.path = "/admin/api/2024-01/shop.json";
  shopify.auth_header = "x-shopify-access-token";
  shopify.auth_value = shop_token;
  shopify.live =
      json(200, R"({"shop":{"name":"Acme",)"
                R"("myshopify_domain":"acme-store.myshopify.com"}})");
  shopify.identity = {"name", "Acme"};
  shopify.revoked = unauthorized();
  cases.push_back(shopify);
}

inline void add_code_cases(std::vector<ProviderCase>& cases) {
  ProviderCase slack;
  slack.verifier = "slack";
  std::string bot = "xoxb-" + fake("", 12, "0123456789", 31) + "-" +
                    fake("", 13, "0123456789", 32) + "-" + fake("", 24);
  slack.findings = {make_finding("slack", "slack-bot-token", bot, 2101)};
  slack.method = "POST";
  slack.path = "/api/auth.test";
  slack.auth_header = "authorization";
  slack.auth_value = "Bearer " + bot;
  slack.live = json(200,
                    R"({"ok":true,"team":"Acme","team_id":"T0FAKE",)"
                    R"("user":"deploybot","user_id":"U0FAKE"})",
                    {{"x-oauth-scopes", "chat:write,channels:read"}});
  slack.identity = {"team", "Acme"};
  slack.scopes = {"chat:write", "channels:read"};
  slack.revoked = json(200, R"({"ok":false,"error":"invalid_auth"})");
  cases.push_back(slack);

  ProviderCase hook;
  hook.verifier = "slack-webhook";
  std::string hook_path =
      "/services/T0FAKE000/B0FAKE000/" + fake("", 24, kAlnum, 33);
  hook.findings = {make_finding("slack", "slack-webhook-url",
                                "https://hooks.slack.com" + hook_path, 2102)};
  hook.method = "POST";
  hook.path = hook_path;
  hook.live = MockResponse{400, {}, "no_text", 0};
  hook.revoked = MockResponse{404, {}, "no_service", 0};
  cases.push_back(hook);

  ProviderCase discord_hook;
  discord_hook.verifier = "discord-webhook";
  std::string discord_path =
      "/api/webhooks/123456789012345678/" + fake("", 68, kAlnum, 34);
  discord_hook.findings = {make_finding("discord", "discord-webhook-url",
                                        "https://discord.com" + discord_path,
                                        2103)};
  discord_hook.method = "GET";
  discord_hook.path = discord_path;
  discord_hook.live =
      json(200, R"({"name":"alerts","channel_id":"1","guild_id":"2"})");
  discord_hook.identity = {"name", "alerts"};
  discord_hook.revoked = json(401, R"({"message":"Invalid Webhook Token"})");
  cases.push_back(discord_hook);

  ProviderCase gcp;
  gcp.verifier = "gcp";
  gcp.findings = {make_finding("gcp", "gcp-service-account-key",
                               make_service_account_json(service_account_pem()),
                               2104)};
  gcp.method = "POST";
  gcp.path = "/token";
  gcp.auth_header = "content-type";
  gcp.auth_value = "application/x-www-form-urlencoded";
  gcp.live = json(200, R"({"access_token":"ya29.fake","expires_in":3599,)"
                       R"("token_type":"Bearer"})");
  gcp.identity = {"client_email",
                  "scanner@fake-project-123.iam.gserviceaccount.com"};
  gcp.revoked = json(400, R"({"error":"invalid_grant",)"
                          R"("error_description":"Invalid JWT Signature."})");
  cases.push_back(gcp);
}

/// Every verifier's case, built once.
inline const std::vector<ProviderCase>& provider_cases() {
  static const std::vector<ProviderCase> cases = [] {
    std::vector<ProviderCase> all = simple_cases();
    add_multi_part_cases(all);
    add_code_cases(all);
    return all;
  }();
  return cases;
}

}  // namespace sprawl::test
