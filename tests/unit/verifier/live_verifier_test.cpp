// LiveVerifier behaviour against a real local HTTPS server: nothing sent
// without a verifier, each distinct secret sent once, concurrency, per-host
// rate and request cap respected, multi-part pairing, safety refusals.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>

#include "sprawl/verifier/live.h"
#include "unit/verifier/live_fixtures.h"

namespace {

using sprawl::Diagnostics;
using sprawl::model::Finding;
using sprawl::model::Verification;
using sprawl::model::VerificationStatus;
using sprawl::test::fake;
using sprawl::test::json;
using sprawl::test::make_finding;
using sprawl::test::MockRequest;
using sprawl::test::MockResponse;
using sprawl::test::MockServer;
using sprawl::verifier::LiveCache;
using sprawl::verifier::LiveOptions;
using sprawl::verifier::LiveVerifier;

MockResponse github_live(const MockRequest&) {
  return json(200, R"({"login":"octo-bot","id":1})");
}

LiveOptions github_options(const MockServer& server) {
  LiveOptions options;
  options.endpoint_overrides = {{"github", server.base_url()}};
  options.ca_file = server.ca_file();
  options.timeout_ms = 2000;
  options.per_host_rps = 1000;
  return options;
}

std::vector<Finding> github_findings(size_t distinct, size_t copies) {
  std::vector<Finding> findings;
  for (size_t i = 0; i < distinct; ++i)
    for (size_t k = 0; k < copies; ++k)
      findings.push_back(make_finding("github", "github-pat",
                                      fake("ghp_", 36, sprawl::test::kAlnum,
                                           static_cast<uint32_t>(100 + i)),
                                      1 + i * copies + k));
  return findings;
}

size_t count_status(const std::vector<Finding>& findings,
                    VerificationStatus status) {
  return std::count_if(findings.begin(), findings.end(), [&](const auto& f) {
    return f.verification.status == status;
  });
}

}  // namespace

TEST_CASE(
    "Findings without a live verifier are not checked and nothing is "
    "sent",
    "[live]") {
  MockServer server(github_live);
  std::vector<Finding> findings = {
      make_finding("acme-internal", "acme-password", "hunter2-fake", 1),
      make_finding("", "generic-api-key", fake("", 32), 2)};
  Diagnostics diagnostics;
  LiveVerifier verifier(github_options(server));
  verifier.verify(findings, diagnostics);

  CHECK(server.connection_count() == 0);
  for (const Finding& f : findings) {
    CHECK(f.verification.status == VerificationStatus::kNotChecked);
    CHECK(f.verification.reason == "no live verifier for this finding");
  }
  CHECK(verifier.stats().requests == 0);
}

TEST_CASE("Without a call to verify the mock server receives nothing",
          "[live]") {
  MockServer server(github_live);
  {
    LiveVerifier verifier(github_options(server));
    std::vector<Finding> findings = github_findings(3, 1);
    for (const Finding& f : findings)
      CHECK(f.verification.status == VerificationStatus::kNotChecked);
  }
  CHECK(server.connection_count() == 0);
}

TEST_CASE("Each distinct secret is sent once per run, across verify calls",
          "[live]") {
  MockServer server(github_live);
  LiveVerifier verifier(github_options(server));
  std::vector<Finding> findings = github_findings(3, 4);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  CHECK(server.request_count() == 3);
  CHECK(count_status(findings, VerificationStatus::kLive) == 12);
  CHECK(verifier.stats().cache_hits == 9);

  std::vector<Finding> again = github_findings(3, 2);
  verifier.verify(again, diagnostics);
  CHECK(server.request_count() == 3);
  CHECK(count_status(again, VerificationStatus::kLive) == 6);
  CHECK(verifier.stats().requests == 3);
  CHECK(verifier.stats().checked == 3);
}

TEST_CASE("Requests in flight never exceed the concurrency bound", "[live]") {
  MockServer server([](const MockRequest& r) {
    MockResponse response = github_live(r);
    response.delay_ms = 150;
    return response;
  });
  LiveOptions options = github_options(server);
  options.concurrency = 3;
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(15, 1);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  CHECK(server.request_count() == 15);
  CHECK(server.max_concurrent() <= 3);
  CHECK(server.max_concurrent() >= 2);
  CHECK(count_status(findings, VerificationStatus::kLive) == 15);
}

TEST_CASE("Requests to one host stay within the per-host rate", "[live]") {
  MockServer server(github_live);
  LiveOptions options = github_options(server);
  options.per_host_rps = 5;
  options.concurrency = 8;
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(11, 1);
  Diagnostics diagnostics;
  auto start = std::chrono::steady_clock::now();
  verifier.verify(findings, diagnostics);
  auto elapsed = std::chrono::steady_clock::now() - start;

  CHECK(server.request_count() == 11);
  // 5 per second: slots at 0, 200, ..., 2000 ms.
  CHECK(server.max_in_window(1000) <= 6);
  CHECK(elapsed >= std::chrono::milliseconds(1900));
}

TEST_CASE("A short Retry-After is waited out before the single retry",
          "[live]") {
  std::atomic<int> calls{0};
  MockServer server([&calls](const MockRequest& r) {
    if (calls++ == 0) return MockResponse{429, {{"Retry-After", "1"}}, "", 0};
    return github_live(r);
  });
  LiveOptions options = github_options(server);
  options.max_retry_wait_ms = 2000;
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(1, 1);
  Diagnostics diagnostics;
  auto start = std::chrono::steady_clock::now();
  verifier.verify(findings, diagnostics);
  auto elapsed = std::chrono::steady_clock::now() - start;

  CHECK(findings[0].verification.status == VerificationStatus::kLive);
  CHECK(server.request_count() == 2);
  CHECK(elapsed >= std::chrono::milliseconds(950));
}

TEST_CASE(
    "Credentials beyond the request cap end as unknown and are "
    "counted",
    "[live]") {
  MockServer server(github_live);
  LiveOptions options = github_options(server);
  options.max_requests = 3;
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(7, 1);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  CHECK(server.request_count() == 3);
  CHECK(count_status(findings, VerificationStatus::kLive) == 3);
  CHECK(count_status(findings, VerificationStatus::kUnknown) == 4);
  for (const Finding& f : findings)
    if (f.verification.status == VerificationStatus::kUnknown)
      CHECK(f.verification.reason == "request cap reached");
  CHECK(verifier.stats().capped == 4);
  CHECK(diagnostics.warning_count() == 1);
}

TEST_CASE(
    "A provider-slug override keeps the documented path under a "
    "GitHub Enterprise base",
    "[live]") {
  MockServer server(github_live);
  LiveOptions options = github_options(server);
  options.endpoint_overrides = {{"github", server.base_url() + "/api/v3/"}};
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(1, 1);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  REQUIRE(server.request_count() == 1);
  CHECK(server.requests()[0].path() == "/api/v3/user");
}

TEST_CASE(
    "Certificates are verified: a self-signed server without its CA "
    "is unknown",
    "[live]") {
  MockServer server(github_live);
  LiveOptions options = github_options(server);
  options.ca_file.clear();
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(1, 1);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  CHECK(findings[0].verification.status == VerificationStatus::kUnknown);
  CHECK(findings[0].verification.reason == "tls error");
  CHECK(server.request_count() == 0);
}

TEST_CASE("Plain http is used only for loopback overrides when allowed",
          "[live]") {
  MockServer server(github_live, /*tls=*/false);
  LiveOptions options = github_options(server);
  CHECK_FALSE(sprawl::verifier::check_live_options(options));
  options.allow_http_overrides = true;
  CHECK(sprawl::verifier::check_live_options(options));

  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(1, 1);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  CHECK(findings[0].verification.status == VerificationStatus::kLive);

  options.endpoint_overrides = {{"github", "http://ghe.example.com"}};
  CHECK_FALSE(sprawl::verifier::check_live_options(options));
}

TEST_CASE("Invalid options send nothing and are reported as an error",
          "[live]") {
  MockServer server(github_live);
  LiveOptions options = github_options(server);
  options.endpoint_overrides.emplace_back("nosuchprovider",
                                          "https://127.0.0.1:1");
  LiveVerifier verifier(options);
  std::vector<Finding> findings = github_findings(2, 1);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  CHECK(server.connection_count() == 0);
  CHECK(diagnostics.error_count() == 1);
  CHECK(count_status(findings, VerificationStatus::kNotChecked) == 2);
}

TEST_CASE("Endpoint overrides (--verify-endpoint) parse as PROVIDER=URL", "[live]") {
  auto ok = sprawl::verifier::parse_endpoint_override(
      "GitHub=https://ghe.example.com/api/v3");
  REQUIRE(ok);
  CHECK(ok->first == "github");
  CHECK(ok->second == "https://ghe.example.com/api/v3");
  CHECK_FALSE(sprawl::verifier::parse_endpoint_override("github"));
  CHECK_FALSE(sprawl::verifier::parse_endpoint_override("=https://x"));
  CHECK_FALSE(sprawl::verifier::parse_endpoint_override("nope=https://x"));
  CHECK(sprawl::verifier::live_verifier_ids().size() >= 20);
}

TEST_CASE("AWS key ids pair with the nearest secret in the same group only",
          "[live]") {
  std::vector<std::string> seen;
  MockServer server([&seen](const MockRequest& r) {
    return MockResponse{
        200,
        {},
        "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:"
        "iam::1:user/x</Arn></GetCallerIdentityResult>"
        "</GetCallerIdentityResponse>",
        0};
  });
  LiveOptions options;
  options.endpoint_overrides = {{"aws", server.base_url()}};
  options.ca_file = server.ca_file();
  options.per_host_rps = 1000;
  std::string secret_a = fake("", 40, sprawl::test::kAlnum, 51);
  std::string secret_b = fake("", 40, sprawl::test::kAlnum, 52);
  std::vector<Finding> findings = {
      make_finding("aws", "aws-access-key-id", "AKIAAAAAAAAAAAAAAAAA", 9, 0),
      make_finding("aws", "aws-secret-access-key", secret_a, 9, 30),
      make_finding("aws", "aws-access-key-id", "AKIABBBBBBBBBBBBBBBB", 9, 900),
      make_finding("aws", "aws-secret-access-key", secret_b, 9, 950),
      make_finding("aws", "aws-access-key-id", "AKIACCCCCCCCCCCCCCCC", 10, 0)};
  LiveVerifier verifier(options);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  std::vector<std::string> credentials;
  for (const auto& r : requests) {
    std::string auth = r.header("authorization");
    credentials.push_back(auth.substr(auth.find("Credential=") + 11, 20));
  }
  std::sort(credentials.begin(), credentials.end());
  CHECK(credentials == std::vector<std::string>{"AKIAAAAAAAAAAAAAAAAA",
                                                "AKIABBBBBBBBBBBBBBBB"});
  for (size_t i = 0; i < 4; ++i)
    CHECK(findings[i].verification.status == VerificationStatus::kLive);
  CHECK(findings[4].verification.status == VerificationStatus::kNotChecked);
  CHECK(findings[4].verification.reason ==
        "incomplete credential: no secret found near it");
}

TEST_CASE("Without a group id, parts pair within the same location", "[live]") {
  MockServer server([](const MockRequest&) {
    return json(200, R"({"sid":"AC1","friendly_name":"Prod"})");
  });
  LiveOptions options;
  options.endpoint_overrides = {{"twilio", server.base_url()}};
  options.ca_file = server.ca_file();
  std::string sid = fake("AC", 32, sprawl::test::kHexDigits, 61);
  std::vector<Finding> findings = {
      make_finding("twilio", "twilio-sid", sid, 0, 0),
      make_finding("twilio", "twilio-token",
                   fake("", 32, sprawl::test::kHexDigits, 62), 0, 40),
      make_finding("twilio", "twilio-token",
                   fake("", 32, sprawl::test::kHexDigits, 63), 0, 40)};
  findings[0].location.path = "a.env";
  findings[1].location.path = "a.env";
  findings[2].location.path = "b.env";
  LiveVerifier verifier(options);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  CHECK(server.request_count() == 1);
  CHECK(findings[1].verification.status == VerificationStatus::kLive);
  CHECK(findings[2].verification.status == VerificationStatus::kNotChecked);
  CHECK(findings[2].verification.reason ==
        "incomplete credential: no id found near it");
}

TEST_CASE("A found host outside the provider's domain is never contacted",
          "[live]") {
  // No override: the request would go to the found host itself.
  std::vector<Finding> findings = {
      make_finding("shopify", "shopify-access-token",
                   fake("shpat_", 32, sprawl::test::kHexDigits), 5, 0),
      make_finding("shopify", "shopify-domain", "shop.attacker.example", 5, 10),
      make_finding("slack", "slack-webhook-url",
                   "https://hooks.slack.com.attacker.example/services/T1/B1/" +
                       fake("", 24),
                   6, 0)};
  findings[1].secret = "acme.myshopify.com.attacker.example";
  // Should the webhook check fail, the request lands here, not on Slack.
  MockServer trap(github_live);
  LiveOptions options;
  options.timeout_ms = 500;
  options.ca_file = trap.ca_file();
  options.endpoint_overrides = {{"slack", trap.base_url()}};
  LiveVerifier verifier(options);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  CHECK(verifier.stats().requests == 0);
  CHECK(trap.connection_count() == 0);
  CHECK(findings[0].verification.status == VerificationStatus::kNotChecked);
  CHECK(findings[0].verification.reason == "host is not a .myshopify.com name");
  CHECK(findings[2].verification.status == VerificationStatus::kNotChecked);
}

TEST_CASE(
    "The store cache answers before the network and keeps settled "
    "results",
    "[live]") {
  MockServer server(github_live);
  std::map<std::string, Verification> store;
  LiveVerifier first(github_options(server));
  first.set_cache(LiveCache{
      [&store](const std::string& key) -> std::optional<Verification> {
        auto it = store.find(key);
        if (it == store.end()) return std::nullopt;
        return it->second;
      },
      [&store](const std::string& key, const Verification& v) {
        store[key] = v;
      }});
  std::vector<Finding> findings = github_findings(2, 1);
  Diagnostics diagnostics;
  first.verify(findings, diagnostics);
  CHECK(store.size() == 2);
  for (const auto& [key, v] : store) CHECK(key.size() == 64);

  LiveVerifier second(github_options(server));
  second.set_cache(LiveCache{
      [&store](const std::string& key) -> std::optional<Verification> {
        auto it = store.find(key);
        if (it == store.end()) return std::nullopt;
        return it->second;
      },
      nullptr});
  findings = github_findings(2, 1);
  second.verify(findings, diagnostics);
  CHECK(server.request_count() == 2);
  CHECK(second.stats().cache_hits == 2);
  CHECK(second.stats().checked == 0);
  CHECK(count_status(findings, VerificationStatus::kLive) == 2);
}

TEST_CASE("A provider echoing the secret never puts it into the result",
          "[live]") {
  std::vector<Finding> findings = github_findings(1, 1);
  std::string secret = findings[0].secret;
  MockServer server([&secret](const MockRequest&) {
    return json(200, R"({"login":")" + secret + R"(","id":1})");
  });
  LiveVerifier verifier(github_options(server));
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  REQUIRE(findings[0].verification.status == VerificationStatus::kLive);
  for (const auto& [label, value] : findings[0].verification.identity)
    CHECK(value.find(secret) == std::string::npos);
}
