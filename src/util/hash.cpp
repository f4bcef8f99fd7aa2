// SHA-256, HMAC-SHA256 and random bytes via OpenSSL (see util/hash.h).
#include "sprawl/util/hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

namespace sprawl {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return to_hex(digest, length);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       digest, &length);
  return to_hex(digest, length);
}

std::string random_hex(std::size_t n) {
  std::vector<unsigned char> bytes(n);
  RAND_bytes(bytes.data(), static_cast<int>(n));
  return to_hex(bytes.data(), n);
}

std::string secret_fingerprint(std::string_view rule_id,
                               std::string_view secret) {
  std::string input;
  input.reserve(rule_id.size() + secret.size() + 8);
  input.append("sprawl1:").append(rule_id).push_back('\0');
  input.append(secret);
  return sha256_hex(input).substr(0, 32);
}

}  // namespace sprawl
