// UTF-8 decoding for output: every report and store must stay valid text
// whatever bytes a scanned input held, so invalid sequences are detected and
// replaced by U+FFFD (one per maximal invalid subpart, as Unicode advises).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sprawl {

/// One decoded step: a code point and the bytes it took. When `valid` is
/// false, `size` bytes form an invalid subpart and `code_point` is U+FFFD.
struct CodePoint {
  uint32_t code_point = 0;
  std::size_t size = 1;
  bool valid = true;
};

inline constexpr uint32_t kReplacementCharacter = 0xFFFD;

/// Decodes the sequence starting at text[pos] (pos < text.size()). Rejects
/// overlong forms, surrogates and code points past U+10FFFF.
CodePoint decode_utf8(std::string_view text, std::size_t pos);

/// Appends the UTF-8 encoding of code_point to out.
void append_utf8(std::string& out, uint32_t code_point);

/// Number of code points in text, counting each invalid subpart as one.
std::size_t count_code_points(std::string_view text);

/// The longest prefix of text of at most max_bytes that ends on a code
/// point boundary.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace sprawl
