// Dispatch on findings shaped like the built-in rules (rules/*.toml): what
// no verifier can check is never sent, and overlapping rule matches of one
// credential cost a single request.
#include <algorithm>
#include <catch2/catch.hpp>
#include <ctime>

#include "sprawl/verifier/live.h"
#include "unit/verifier/live_fixtures.h"
#include "verifier/http_client.h"

namespace {

using sprawl::Diagnostics;
using sprawl::model::Finding;
using sprawl::model::Kind;
using sprawl::model::VerificationStatus;
using sprawl::test::fake;
using sprawl::test::json;
using sprawl::test::kAlnum;
using sprawl::test::kHexDigits;
using sprawl::test::make_finding;
using sprawl::test::MockRequest;
using sprawl::test::MockResponse;
using sprawl::test::MockServer;
using sprawl::verifier::LiveOptions;
using sprawl::verifier::LiveVerifier;

// Every provider pointed at one server, so that nothing can leave the host.
LiveOptions trap_options(const MockServer& server) {
  LiveOptions options;
  for (const std::string& id : sprawl::verifier::live_verifier_ids())
    options.endpoint_overrides.emplace_back(id, server.base_url());
  options.ca_file = server.ca_file();
  options.timeout_ms = 2000;
  options.per_host_rps = 1000;
  return options;
}

Finding with_kind(Finding finding, Kind kind) {
  finding.kind = kind;
  return finding;
}

Finding with_capture(Finding finding, std::string name, std::string value) {
  finding.captures.emplace_back(std::move(name), std::move(value));
  return finding;
}

}  // namespace

TEST_CASE("Secrets that no identity call can check are never sent", "[live]") {
  MockServer trap([](const MockRequest&) { return json(200, "{}"); });
  std::vector<Finding> findings = {
      with_kind(make_finding("github", "github-oauth-client-secret",
                             fake("", 40, kHexDigits), 1),
                Kind::kOauthClientSecret),
      make_finding("stripe", "stripe-webhook-secret", fake("whsec_", 32), 2),
      make_finding("anthropic", "anthropic-admin-key",
                   fake("sk-ant-admin01-", 93), 3),
      make_finding("slack", "slack-app-level-token", fake("xapp-1-", 60), 4),
      make_finding("slack", "slack-refresh-token", fake("xoxe-1-", 60), 5),
      make_finding("gitlab", "gitlab-deploy-token", fake("gldt-", 20), 6),
      make_finding("aws", "aws-bedrock-api-key", fake("ABSK", 100), 7),
      with_capture(
          make_finding("npm", "npm-npmrc-auth-token", fake("npm_", 36), 8),
          "host", "//nexus.corp.example/repository/npm/"),
      with_capture(
          make_finding("twilio", "twilio-api-key", fake("", 32, kHexDigits), 9),
          "id", fake("SK", 32, kHexDigits)),
      make_finding("slack", "slack-workflow-webhook-url",
                   "https://hooks.slack.com/workflows/T0FAKE0001/A0FAKE0001/" +
                       fake("", 24),
                   10),
      make_finding("atlassian", "atlassian-admin-api-key", fake("ATCTT3", 180),
                   11),
      make_finding("google", "google-oauth-client-secret", fake("GOCSPX-", 28),
                   12),
      with_kind(make_finding("private-key", "rsa-private-key",
                             "-----BEGIN RSA PRIVATE KEY-----", 13),
                Kind::kPrivateKey)};
  LiveVerifier verifier(trap_options(trap));
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  CHECK(trap.connection_count() == 0);
  CHECK(verifier.stats().requests == 0);
  for (const Finding& f : findings) {
    INFO(f.rule_id);
    CHECK(f.verification.status == VerificationStatus::kNotChecked);
    CHECK_FALSE(f.verification.reason.empty());
  }
}

TEST_CASE("Overlapping rule matches of one AWS key pair cost one request",
          "[live]") {
  MockServer server([](const MockRequest&) {
    return MockResponse{
        200,
        {},
        "<GetCallerIdentityResponse><GetCallerIdentityResult>"
        "<Account>123456789012</Account>"
        "</GetCallerIdentityResult></GetCallerIdentityResponse>",
        0};
  });
  const std::string id = "AKIAIOSFODNN7EXAMPLE";
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  // What aws-access-key-id, aws-secret-access-key and aws-access-key-pair
  // report for one credentials file.
  std::vector<Finding> findings = {
      with_capture(make_finding("aws", "aws-access-key-id", id, 77, 20), "id",
                   id),
      make_finding("aws", "aws-secret-access-key", secret, 77, 70),
      with_capture(make_finding("aws", "aws-access-key-pair", secret, 77, 70),
                   "id", id)};
  LiveVerifier verifier(trap_options(server));
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  CHECK(server.request_count() == 1);
  for (const Finding& f : findings)
    CHECK(f.verification.status == VerificationStatus::kLive);
}

TEST_CASE(
    "A service-account key matched as its escaped PEM takes the email "
    "from the rule's id capture",
    "[live][jwt]") {
  std::string escaped;
  for (char c : sprawl::test::service_account_pem())
    escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  std::string email = "deploy@fake-proj-1.iam.gserviceaccount.com";
  MockServer server([](const MockRequest&) {
    return json(200, R"({"access_token":"ya29.fake"})");
  });
  std::vector<Finding> findings = {with_capture(
      make_finding("google", "google-service-account-key", escaped, 5), "id",
      email)};
  LiveVerifier verifier(trap_options(server));
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  REQUIRE(server.request_count() == 1);
  CHECK(server.requests()[0].path() == "/token");
  CHECK(findings[0].verification.status == VerificationStatus::kLive);
  auto& identity = findings[0].verification.identity;
  CHECK(std::find(identity.begin(), identity.end(),
                  std::make_pair(std::string("client_email"), email)) !=
        identity.end());
}

TEST_CASE("Discord webhooks on other Discord hosts keep their path", "[live]") {
  MockServer server(
      [](const MockRequest&) { return json(200, R"({"name":"alerts"})"); });
  std::string path = "/api/v10/webhooks/123456789012345678/" + fake("", 68);
  std::vector<Finding> findings = {
      make_finding("discord", "discord-webhook-url",
                   "https://ptb.discord.com" + path, 3),
      make_finding("discord", "discord-webhook-url",
                   "https://discord.com.attacker.example" + path, 4)};
  LiveVerifier verifier(trap_options(server));
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  REQUIRE(server.request_count() == 1);
  CHECK(server.requests()[0].path() == path);
  CHECK(server.requests()[0].method == "GET");
  CHECK(findings[0].verification.status == VerificationStatus::kLive);
  CHECK(findings[1].verification.status == VerificationStatus::kNotChecked);
}

TEST_CASE("A finding that failed offline validation is not sent", "[live]") {
  MockServer trap([](const MockRequest&) { return json(200, "{}"); });
  std::vector<Finding> findings = {
      make_finding("github", "github-pat-classic", fake("ghp_", 36), 1)};
  findings[0].validation.status = sprawl::model::ValidationStatus::kInvalid;
  findings[0].validation.detail = "crc32 mismatch";
  LiveVerifier verifier(trap_options(trap));
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  CHECK(trap.connection_count() == 0);
  CHECK(findings[0].verification.status == VerificationStatus::kNotChecked);
  CHECK(findings[0].verification.reason == "offline validation failed");
}

TEST_CASE(
    "A token found in a Jira issue takes the Atlassian site from the "
    "issue link",
    "[live]") {
  MockServer server([](const MockRequest&) {
    return json(200, R"({"accountId":"5b10fake"})");
  });
  std::string token = fake("ATATT3", 180);
  std::vector<Finding> findings = {
      make_finding("atlassian", "atlassian-api-token", token, 8, 100),
      make_finding("atlassian", "atlassian-email", "ci-bot@example.com", 8,
                   20)};
  for (Finding& f : findings)
    f.location.url = "https://acme.atlassian.net/browse/OPS-12";
  LiveOptions options = trap_options(server);
  LiveVerifier verifier(options);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  REQUIRE(server.request_count() == 1);
  CHECK(findings[0].verification.status == VerificationStatus::kLive);
  CHECK(findings[1].verification.status == VerificationStatus::kLive);
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date", "[live]") {
  using sprawl::verifier::detail::retry_after_ms;
  CHECK(retry_after_ms("0") == 0);
  CHECK(retry_after_ms(" 7") == 7000);
  CHECK(retry_after_ms("") == -1);
  CHECK(retry_after_ms("soon") == -1);
  CHECK(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT") == 0);  // past
  std::time_t later = std::time(nullptr) + 120;
  char date[64];
  std::tm utc{};
  gmtime_r(&later, &utc);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  long long ms = retry_after_ms(date);
  CHECK(ms >= 118000);
  CHECK(ms <= 120000);
}
