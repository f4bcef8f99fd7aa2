// The code-only verifiers' requests, checked by the mock server itself: the
// AWS SigV4 signature recomputed from the received request, and the Google
// service-account assertion verified with the key's public half.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <memory>

#include "sprawl/verifier/live.h"
#include "unit/verifier/live_fixtures.h"
#include "verifier/live_digest.h"
#include "verifier/sigv4.h"

namespace {

using sprawl::Diagnostics;
using sprawl::model::Finding;
using sprawl::model::VerificationStatus;
using sprawl::test::make_finding;
using sprawl::test::MockRequest;
using sprawl::test::MockResponse;
using sprawl::test::MockServer;
using sprawl::verifier::LiveOptions;
using sprawl::verifier::LiveVerifier;

std::string base64url_decode(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4) text += '=';
  std::string out(text.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  size_t pad = text.size() - text.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

bool verify_rs256(const std::string& pem, const std::string& input,
                  const std::string& signature) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
      EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                              key.get()) == 1 &&
         EVP_DigestVerify(
             ctx.get(),
             reinterpret_cast<const unsigned char*>(signature.data()),
             signature.size(),
             reinterpret_cast<const unsigned char*>(input.data()),
             input.size()) == 1;
}

std::string form_value(const std::string& body, const std::string& name) {
  size_t at = body.find(name + "=");
  if (at == std::string::npos) return {};
  at += name.size() + 1;
  return body.substr(at, body.find('&', at) - at);
}

}  // namespace

TEST_CASE(
    "The AWS verifier signs GetCallerIdentity so that the signature "
    "recomputes from the received request",
    "[live][sigv4]") {
  const std::string key_id = "AKIAIOSFODNN7EXAMPLE";
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  MockServer server([](const MockRequest&) {
    return MockResponse{
        200,
        {},
        "<GetCallerIdentityResponse><GetCallerIdentityResult>"
        "<Account>123456789012</Account>"
        "</GetCallerIdentityResult></GetCallerIdentityResponse>",
        0};
  });
  LiveOptions options;
  options.endpoint_overrides = {{"aws", server.base_url()}};
  options.ca_file = server.ca_file();
  std::vector<Finding> findings = {
      make_finding("aws", "aws-access-key-id", key_id, 3, 0),
      make_finding("aws", "aws-secret-access-key", secret, 3, 40)};
  LiveVerifier verifier(options);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  REQUIRE(server.request_count() == 1);
  MockRequest r = server.requests()[0];

  CHECK(r.method == "POST");
  CHECK(r.body == "Action=GetCallerIdentity&Version=2011-06-15");
  std::string date = r.header("x-amz-date");
  REQUIRE(date.size() == 16);
  sprawl::verifier::detail::SigV4Request expected;
  expected.method = "POST";
  expected.headers = {{"content-type", r.header("content-type")},
                      {"host", r.header("host")},
                      {"x-amz-date", date}};
  expected.payload = r.body;
  expected.region = "us-east-1";
  expected.service = "sts";
  expected.amz_date = date;
  expected.key_id = key_id;
  expected.secret_key = secret;
  CHECK(r.header("authorization") ==
        sprawl::verifier::detail::sign_sigv4(expected).authorization);
  CHECK(r.header("authorization")
            .find(date.substr(0, 8) + "/us-east-1/sts/aws4_request") !=
        std::string::npos);
  CHECK(findings[1].verification.status == VerificationStatus::kLive);
}

TEST_CASE(
    "The Google service-account verifier posts an RS256 assertion "
    "signed by the found key",
    "[live][jwt]") {
  const std::string& pem = sprawl::test::service_account_pem();
  MockServer server([](const MockRequest&) {
    return sprawl::test::json(200, R"({"access_token":"ya29.fake"})");
  });
  LiveOptions options;
  options.endpoint_overrides = {{"gcp", server.base_url()}};
  options.ca_file = server.ca_file();
  std::vector<Finding> findings = {
      make_finding("gcp", "gcp-service-account",
                   sprawl::test::make_service_account_json(pem), 4)};
  LiveVerifier verifier(options);
  Diagnostics diagnostics;
  verifier.verify(findings, diagnostics);
  REQUIRE(server.request_count() == 1);
  MockRequest r = server.requests()[0];

  CHECK(form_value(r.body, "grant_type") ==
        "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
  std::string jwt = form_value(r.body, "assertion");
  size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
  REQUIRE(dot1 != dot2);
  std::string header = base64url_decode(jwt.substr(0, dot1));
  std::string claims = base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  CHECK(header.find("\"alg\":\"RS256\"") != std::string::npos);
  CHECK(claims.find("\"iss\":\"scanner@fake-project-123.iam."
                    "gserviceaccount.com\"") != std::string::npos);
  CHECK(claims.find("\"aud\":\"https://oauth2.googleapis.com/token\"") !=
        std::string::npos);
  CHECK(claims.find("cloud-platform.read-only") != std::string::npos);
  CHECK(verify_rs256(pem, jwt.substr(0, dot2),
                     base64url_decode(jwt.substr(dot2 + 1))));
  CHECK(findings[0].verification.status == VerificationStatus::kLive);
}
