// Small codecs: CRC32 and the base62/base36/base32/base64 encodings token
// formats embed, for offline validation and the matcher's filters. Pure
// functions, thread-safe; tests reuse them to build fake tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sprawl::codec {

/// 0-9A-Za-z, the order GitHub, npm and Cloudflare use.
inline constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// 0-9a-z, the order GitLab (Ruby's to_s(36)) uses.
inline constexpr std::string_view kBase36Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyz";

/// CRC32 (IEEE 802.3, as zlib computes it) of bytes.
uint32_t crc32(std::string_view bytes);

/// value in base62, left-padded with '0' to at least width characters.
std::string base62_encode(uint64_t value, std::size_t width);
/// The value of a base62 numeral; nullopt if empty, a character is not
/// base62 or the value overflows 64 bits.
std::optional<uint64_t> base62_decode(std::string_view text);

/// value in lowercase base36, left-padded with '0' to width characters.
std::string base36_encode(uint64_t value, std::size_t width);
/// The value of a base36 numeral (either case); nullopt as base62_decode.
std::optional<uint64_t> base36_decode(std::string_view text);

/// RFC 4648 base32 (A-Z2-7, no padding) to bytes; trailing bits that do
/// not fill a byte are dropped. nullopt on any other character.
std::optional<std::string> base32_decode(std::string_view text);

/// Base64 to bytes, accepting both the standard (+/) and URL (-_)
/// alphabets and optional '=' padding at the end only. No whitespace.
/// nullopt when the text is not base64 or has an impossible length.
std::optional<std::string> base64_decode(std::string_view text);
/// The same into out (cleared first, its capacity reused); false when the
/// text is not base64.
bool base64_decode(std::string_view text, std::string& out);

/// bytes in base64url without padding (JWT, macaroons, GitLab payloads).
std::string base64url_encode(std::string_view bytes);
/// bytes in standard base64 with padding (PEM, OpenSSH bodies).
std::string base64_encode(std::string_view bytes);

/// The value of up to 16 hex digits (either case); nullopt otherwise.
std::optional<uint64_t> hex_decode(std::string_view text);

bool is_base62(std::string_view text);
bool is_base64url(std::string_view text);

}  // namespace sprawl::codec
