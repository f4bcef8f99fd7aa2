// Codecs behind offline validation and the matcher's filters: CRC32 via
// zlib and the base-N encodings token formats embed. See codec.h.
#include "sprawl/util/codec.h"

#include <zlib.h>

#include <array>

namespace sprawl::codec {
namespace {

constexpr int kInvalid = -1;

int base62_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return kInvalid;
}

int base36_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return kInvalid;
}

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return kInvalid;
}

std::string encode_radix(uint64_t value, std::size_t width,
                         std::string_view alphabet) {
  std::string out;
  do {
    out.insert(out.begin(), alphabet[value % alphabet.size()]);
    value /= alphabet.size();
  } while (value != 0);
  if (out.size() < width) out.insert(0, width - out.size(), '0');
  return out;
}

template <typename DigitFn>
std::optional<uint64_t> decode_radix(std::string_view text, uint64_t radix,
                                     DigitFn digit) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    int d = digit(c);
    if (d == kInvalid) return std::nullopt;
    if (value > (UINT64_MAX - static_cast<uint64_t>(d)) / radix)
      return std::nullopt;
    value = value * radix + static_cast<uint64_t>(d);
  }
  return value;
}

std::string encode_base64(std::string_view bytes, std::string_view alphabet,
                          bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += alphabet[(acc << (6 - bits)) & 0x3f];
  while (pad && out.size() % 4 != 0) out += '=';
  return out;
}

}  // namespace

uint32_t crc32(std::string_view bytes) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; secrets are far below 4 GiB.
  crc = ::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()),
                static_cast<uInt>(bytes.size()));
  return static_cast<uint32_t>(crc);
}

std::string base62_encode(uint64_t value, std::size_t width) {
  return encode_radix(value, width, kBase62Alphabet);
}

std::optional<uint64_t> base62_decode(std::string_view text) {
  return decode_radix(text, 62, base62_digit);
}

std::string base36_encode(uint64_t value, std::size_t width) {
  return encode_radix(value, width, kBase36Alphabet);
}

std::optional<uint64_t> base36_decode(std::string_view text) {
  return decode_radix(text, 36, base36_digit);
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= '2' && c <= '7')
      d = c - '2' + 26;
    else
      return std::nullopt;
    acc = (acc << 5) | static_cast<uint32_t>(d);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  out.clear();
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int d = base64_digit(c);
    if (d == kInvalid) return false;
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return true;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  if (!base64_decode(text, out)) return std::nullopt;
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  return encode_base64(
      bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
      false);
}

std::string base64_encode(std::string_view bytes) {
  return encode_base64(
      bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
      true);
}

std::optional<uint64_t> hex_decode(std::string_view text) {
  if (text.size() > 16) return std::nullopt;
  return decode_radix(text, 16, [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return kInvalid;
  });
}

bool is_base62(std::string_view text) {
  for (char c : text)
    if (base62_digit(c) == kInvalid) return false;
  return true;
}

bool is_base64url(std::string_view text) {
  for (char c : text)
    if (base64_digit(c) == kInvalid || c == '+' || c == '/') return false;
  return true;
}

}  // namespace sprawl::codec
