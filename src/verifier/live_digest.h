// Digest and encoding helpers for live verification: SHA-256, HMAC-SHA256,
// hex and base64 (OpenSSL). Private to src/verifier.
#pragma once

#include <string>
#include <string_view>

namespace sprawl::verifier::detail {

/// Raw 32-byte SHA-256 of data.
std::string sha256(std::string_view data);
/// Lowercase hex SHA-256 of data.
std::string sha256_hex(std::string_view data);
/// Raw 32-byte HMAC-SHA256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Lowercase hex of raw bytes.
std::string to_hex(std::string_view bytes);
/// Standard base64 with padding.
std::string base64(std::string_view bytes);
/// base64url without padding (JWT).
std::string base64url(std::string_view bytes);
/// "fp=" + the first 8 hex digits of SHA-256: names a secret in messages
/// without revealing it.
std::string secret_fingerprint(std::string_view secret);
/// Percent-encodes everything but RFC 3986 unreserved characters (and the
/// characters in keep).
std::string percent_encode(std::string_view text, std::string_view keep = {});

}  // namespace sprawl::verifier::detail
