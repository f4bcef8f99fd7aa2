// Google service-account JWT (RS256, OpenSSL) for the token-exchange
// verifier, and parsing of the service-account key JSON. Private.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sprawl/util/expected.h"

namespace sprawl::verifier::detail {

/// The fields of a service-account key file the verifier needs.
struct ServiceAccountKey {
  std::string client_email;
  std::string private_key_pem;  ///< with real newlines
  std::string private_key_id;
  std::string project_id;
};

/// Reads a service-account key from the JSON text of a key file, or from a
/// bare PEM private key (then client_email must be supplied by the caller).
/// Accepts `\n`-escaped PEM. Errors never quote the input.
[[nodiscard]] Expected<ServiceAccountKey> parse_service_account(
    std::string_view text);

/// Builds and signs (RS256) the JWT bearer assertion: iss = client_email,
/// aud = audience, scope, iat = now_s, exp = now_s + 600. Fails when the key
/// is not an RSA private key.
[[nodiscard]] Expected<std::string> sign_service_account_jwt(
    const ServiceAccountKey& key, std::string_view audience,
    std::string_view scope, int64_t now_s);

}  // namespace sprawl::verifier::detail
