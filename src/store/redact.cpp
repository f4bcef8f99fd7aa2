// The redacted form of a secret, as the store keeps it and the inventory
// shows it: the same shape as reporters::redact (at most 8 bytes and a
// quarter of the secret, then the length in characters), except that a
// token's fixed public prefix ("xoxe.xoxp-") is always kept whole, since it
// reveals nothing secret and the inventory classifies tokens by it.
#include <algorithm>
#include <array>
#include <string>

#include "sprawl/store/store.h"

namespace sprawl::store {
namespace {

constexpr std::string_view kMarker = "\xe2\x80\xa6(";  // "…("
constexpr std::size_t kMaxPrefixBytes = 8;
constexpr std::size_t kMinSecretBytes = 8;

// Fixed prefixes longer than kMaxPrefixBytes that tell token types apart.
constexpr std::array<std::string_view, 6> kLongPrefixes = {
    "github_pat_", "xoxe.xoxp-", "xoxe.xoxb-", "GR1348941", "sk-ant-api03-",
    "sk-ant-admin01-"};

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string redact_secret(std::string_view secret) {
  std::size_t keep = secret.size() >= kMinSecretBytes
                         ? std::min(kMaxPrefixBytes, secret.size() / 4)
                         : 0;
  for (std::string_view prefix : kLongPrefixes)
    if (secret.substr(0, prefix.size()) == prefix &&
        prefix.size() <= secret.size() / 2)
      keep = std::max(keep, prefix.size());
  // Never cut inside a UTF-8 sequence.
  while (keep > 0 && keep < secret.size() &&
         (static_cast<unsigned char>(secret[keep]) & 0xC0) == 0x80)
    --keep;
  std::string out(secret.substr(0, keep));
  // Control bytes are cut off: the prefix is printed as is.
  auto bad = std::find_if(out.begin(), out.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  out.erase(bad, out.end());
  out += kMarker;
  out += std::to_string(code_points(secret));
  out += " chars)";
  return out;
}

bool is_redacted(std::string_view s) {
  std::size_t marker = s.rfind(kMarker);
  if (marker == std::string_view::npos || s.size() < 7 ||
      s.substr(s.size() - 7) != " chars)")
    return false;
  std::string_view digits =
      s.substr(marker + kMarker.size(),
               s.size() - 7 - marker - kMarker.size());
  return !digits.empty() &&
         std::all_of(digits.begin(), digits.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace sprawl::store
