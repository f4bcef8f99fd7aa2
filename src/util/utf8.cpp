// UTF-8 decoding (see util/utf8.h). Follows the well-formed
// byte sequence table of the Unicode standard (chapter 3, table 3-7).
#include "sprawl/util/utf8.h"

namespace sprawl {
namespace {

bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
  return byte >= low && byte <= high;
}

// The valid range of the second byte depends on the lead byte; that is how
// overlong forms, surrogates and values past U+10FFFF are excluded.
bool second_byte_ok(unsigned char lead, unsigned char second) {
  switch (lead) {
    case 0xE0:
      return in_range(second, 0xA0, 0xBF);
    case 0xED:
      return in_range(second, 0x80, 0x9F);
    case 0xF0:
      return in_range(second, 0x90, 0xBF);
    case 0xF4:
      return in_range(second, 0x80, 0x8F);
    default:
      return in_range(second, 0x80, 0xBF);
  }
}

}  // namespace

CodePoint decode_utf8(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1, true};

  std::size_t length = 0;
  uint32_t value = 0;
  if (in_range(lead, 0xC2, 0xDF)) {
    length = 2;
    value = lead & 0x1F;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    length = 3;
    value = lead & 0x0F;
  } else if (in_range(lead, 0xF0, 0xF4)) {
    length = 4;
    value = lead & 0x07;
  } else {
    return {kReplacementCharacter, 1, false};
  }

  for (std::size_t i = 1; i < length; ++i) {
    if (pos + i >= text.size()) return {kReplacementCharacter, i, false};
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    const bool ok =
        i == 1 ? second_byte_ok(lead, byte) : in_range(byte, 0x80, 0xBF);
    if (!ok) return {kReplacementCharacter, i, false};
    value = (value << 6) | (byte & 0x3F);
  }
  return {value, length, true};
}

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++count)
    pos += decode_utf8(text, pos).size;
  return count;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  std::size_t end = 0;
  while (end < text.size()) {
    const std::size_t step = decode_utf8(text, end).size;
    if (end + step > max_bytes) break;
    end += step;
  }
  return text.substr(0, end);
}

}  // namespace sprawl
