// Hashes used for fingerprints, baselines and cache keys (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace sprawl {

/// Lowercase hex SHA-256 of data.
std::string sha256_hex(std::string_view data);

/// Lowercase hex HMAC-SHA256 of data under key.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/// n random bytes from the OS CSPRNG, hex encoded (2n characters).
std::string random_hex(std::size_t n);

/// The fingerprint of a finding's (rule, secret): 32 hex chars of SHA-256.
/// Unkeyed so that it is stable across machines (SARIF, baselines use their
/// own keyed hash); do not treat it as hiding a low-entropy secret.
std::string secret_fingerprint(std::string_view rule_id,
                               std::string_view secret);

}  // namespace sprawl
