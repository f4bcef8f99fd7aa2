// Every live verifier against a real HTTPS server on 127.0.0.1: the request
// it sends matches the provider's documented call, and live, revoked, 429
// with Retry-After, timeout, 500, malformed body and redirect answers map
// to the right status. Cases: live_fixtures.h.
#include <algorithm>
#include <catch2/catch.hpp>

#include "sprawl/verifier/live.h"
#include "unit/verifier/live_fixtures.h"

namespace {

using sprawl::Diagnostics;
using sprawl::model::Finding;
using sprawl::model::VerificationStatus;
using sprawl::test::MockRequest;
using sprawl::test::MockResponse;
using sprawl::test::MockServer;
using sprawl::test::provider_cases;
using sprawl::test::ProviderCase;
using sprawl::verifier::LiveOptions;
using sprawl::verifier::LiveStats;
using sprawl::verifier::LiveVerifier;

struct Outcome {
  std::vector<Finding> findings;
  LiveStats stats;
  std::vector<std::string> messages;

  const sprawl::model::Verification& of(const ProviderCase& c) const {
    return findings[c.subject].verification;
  }
};

LiveOptions options_for(const ProviderCase& c, const MockServer& server) {
  LiveOptions options;
  // The provider slug too: should dispatch pick another verifier of the
  // provider, it still lands on the mock and never on the real host.
  options.endpoint_overrides = {{c.verifier, server.base_url()},
                                {c.findings[0].provider, server.base_url()}};
  options.ca_file = server.ca_file();
  options.timeout_ms = 2000;
  options.per_host_rps = 1000;
  options.max_retry_wait_ms = 1000;
  return options;
}

Outcome run(const ProviderCase& c, const LiveOptions& options) {
  Outcome out;
  out.findings = c.findings;
  Diagnostics diagnostics;
  LiveVerifier verifier(options);
  verifier.verify(out.findings, diagnostics);
  out.stats = verifier.stats();
  for (const auto& d : diagnostics.diagnostics())
    out.messages.push_back(d.error.describe());
  return out;
}

bool has_identity(const sprawl::model::Verification& v,
                  const std::pair<std::string, std::string>& field) {
  return std::find(v.identity.begin(), v.identity.end(), field) !=
         v.identity.end();
}

void check_documented_call(const ProviderCase& c, const MockRequest& r) {
  CHECK(r.method == c.method);
  CHECK(r.path() == c.path);
  CHECK(r.query() == c.query);
  if (c.auth_header.empty()) return;
  std::string value = r.header(c.auth_header);
  if (c.auth_prefix)
    CHECK(value.rfind(c.auth_value, 0) == 0);
  else
    CHECK(value == c.auth_value);
}

}  // namespace

TEST_CASE(
    "Every live verifier sends the provider's documented call and "
    "reads a live answer",
    "[live]") {
  REQUIRE(provider_cases().size() >= 26);
  for (const ProviderCase& c : provider_cases()) {
    INFO("verifier " << c.verifier);
    MockServer server([&c](const MockRequest&) { return c.live; });
    Outcome out = run(c, options_for(c, server));

    REQUIRE(server.request_count() == 1);
    check_documented_call(c, server.requests()[0]);
    const auto& v = out.of(c);
    CHECK(v.status == VerificationStatus::kLive);
    if (!c.identity.first.empty()) CHECK(has_identity(v, c.identity));
    if (!c.scopes.empty()) CHECK(v.scopes == c.scopes);
    // Every finding that formed the credential shares the result.
    for (const Finding& f : out.findings)
      CHECK(f.verification.status == VerificationStatus::kLive);
  }
}

TEST_CASE("Every live verifier reads the provider's rejection as revoked",
          "[live]") {
  for (const ProviderCase& c : provider_cases()) {
    INFO("verifier " << c.verifier);
    MockServer server([&c](const MockRequest&) { return c.revoked; });
    Outcome out = run(c, options_for(c, server));
    CHECK(server.request_count() == 1);
    CHECK(out.of(c).status == VerificationStatus::kRevoked);
  }
}

TEST_CASE(
    "Every live verifier retries once after a short Retry-After and "
    "gives up on a long one",
    "[live]") {
  for (const ProviderCase& c : provider_cases()) {
    INFO("verifier " << c.verifier);
    std::atomic<int> calls{0};
    MockServer server([&](const MockRequest&) {
      if (calls++ == 0)
        return MockResponse{429, {{"Retry-After", "0"}}, "slow down", 0};
      return c.live;
    });
    Outcome out = run(c, options_for(c, server));
    CHECK(server.request_count() == 2);
    CHECK(out.of(c).status == VerificationStatus::kLive);
    CHECK(out.stats.rate_limited == 1);

    server.reset();
    server.set_handler([](const MockRequest&) {
      return MockResponse{429, {{"Retry-After", "3600"}}, "slow down", 0};
    });
    out = run(c, options_for(c, server));
    CHECK(server.request_count() == 1);
    CHECK(out.of(c).status == VerificationStatus::kUnknown);
    CHECK(out.of(c).reason == "rate limited");
  }
}

TEST_CASE(
    "Every live verifier reports a timeout as unknown without the "
    "secret in any message",
    "[live]") {
  for (const ProviderCase& c : provider_cases()) {
    INFO("verifier " << c.verifier);
    MockServer server([&c](const MockRequest&) {
      MockResponse slow = c.live;
      slow.delay_ms = 2000;
      return slow;
    });
    LiveOptions options = options_for(c, server);
    options.timeout_ms = 250;
    Outcome out = run(c, options);
    CHECK(out.of(c).status == VerificationStatus::kUnknown);
    CHECK(out.of(c).reason == "timeout");
    REQUIRE(out.messages.size() == 1);
    CHECK(out.messages[0].find(c.verifier) != std::string::npos);
    for (const Finding& f : c.findings)
      CHECK(out.messages[0].find(f.secret) == std::string::npos);
  }
}

TEST_CASE(
    "Every live verifier reports a server error and a malformed body "
    "as unknown",
    "[live]") {
  for (const ProviderCase& c : provider_cases()) {
    INFO("verifier " << c.verifier);
    MockServer server([](const MockRequest&) {
      return MockResponse{500, {}, "internal error", 0};
    });
    Outcome out = run(c, options_for(c, server));
    CHECK(out.of(c).status == VerificationStatus::kUnknown);
    CHECK(out.of(c).reason == "http 500");

    server.set_handler([&c](const MockRequest&) {
      MockResponse garbled = c.live;
      garbled.body = "<html><body>captive portal</body></html>";
      return garbled;
    });
    out = run(c, options_for(c, server));
    CHECK(out.of(c).status == VerificationStatus::kUnknown);
    CHECK(out.of(c).reason == "malformed response");
  }
}

TEST_CASE(
    "Every live verifier refuses a redirect and the other host "
    "receives nothing",
    "[live]") {
  for (const ProviderCase& c : provider_cases()) {
    INFO("verifier " << c.verifier);
    MockServer elsewhere([&c](const MockRequest&) { return c.live; });
    std::string target = elsewhere.base_url() + "/collect";
    MockServer server([&target](const MockRequest&) {
      return MockResponse{302, {{"Location", target}}, "", 0};
    });
    Outcome out = run(c, options_for(c, server));
    CHECK(server.request_count() == 1);
    CHECK(elsewhere.connection_count() == 0);
    CHECK(out.of(c).status == VerificationStatus::kUnknown);
    CHECK(out.of(c).reason == "redirect refused");
  }
}
