// AWS Signature Version 4 (HMAC-SHA256) for the STS GetCallerIdentity
// verifier. Private to src/verifier; tested against AWS's published suite.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sprawl::verifier::detail {

struct SigV4Request {
  std::string method;      ///< "GET", "POST"
  std::string path = "/";  ///< already URI-encoded
  std::string query;       ///< "a=1&b=2", already URI-encoded
  /// Headers to sign (must include host and x-amz-date); any case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;
  std::string region;
  std::string service;
  std::string amz_date;  ///< "20150830T123600Z"
  std::string key_id;
  std::string secret_key;
};

struct SigV4Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  ///< "host;x-amz-date"
  std::string signature;       ///< 64 lowercase hex digits
  std::string authorization;   ///< the Authorization header value
};

/// Signs request. Pure function; cost: a few HMACs.
SigV4Signature sign_sigv4(const SigV4Request& request);

/// "YYYYMMDDTHHMMSSZ" for the current UTC time.
std::string amz_date_now();

}  // namespace sprawl::verifier::detail
