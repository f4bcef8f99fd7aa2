// AWS SigV4 signing checked against AWS's published Signature Version 4
// test suite (get-vanilla, post-vanilla, get-vanilla-query-order-key-case:
// https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html).
#include <catch2/catch.hpp>

#include "verifier/sigv4.h"

namespace {

using sprawl::verifier::detail::sign_sigv4;
using sprawl::verifier::detail::SigV4Request;

// The suite's documented example credentials and clock.
SigV4Request suite_request(std::string method, std::string query = "") {
  SigV4Request request;
  request.method = std::move(method);
  request.path = "/";
  request.query = std::move(query);
  request.headers = {{"Host", "example.amazonaws.com"},
                     {"X-Amz-Date", "20150830T123600Z"}};
  request.region = "us-east-1";
  request.service = "service";
  request.amz_date = "20150830T123600Z";
  request.key_id = "AKIDEXAMPLE";
  request.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return request;
}

}  // namespace

TEST_CASE(
    "SigV4 reproduces the get-vanilla canonical request, string to "
    "sign and signature",
    "[live][sigv4]") {
  auto signature = sign_sigv4(suite_request("GET"));

  CHECK(signature.canonical_request ==
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
        "\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(signature.string_to_sign ==
        "AWS4-HMAC-SHA256\n20150830T123600Z\n"
        "20150830/us-east-1/service/aws4_request\n"
        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  CHECK(signature.signature ==
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  CHECK(signature.authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
        "aws4_request, SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d7"
        "63fbf31");
}

TEST_CASE("SigV4 reproduces the post-vanilla signature", "[live][sigv4]") {
  CHECK(sign_sigv4(suite_request("POST")).signature ==
        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST_CASE(
    "SigV4 sorts query parameters as in "
    "get-vanilla-query-order-key-case",
    "[live][sigv4]") {
  auto signature =
      sign_sigv4(suite_request("GET", "Param2=value2&Param1=value1"));
  CHECK(signature.signature ==
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}
