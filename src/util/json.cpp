// JSON string escaping (see util/json.h).
#include "sprawl/util/json.h"

#include <fmt/core.h>

#include "sprawl/util/utf8.h"

namespace sprawl {
namespace {

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: out += fmt::format("\\u{:04x}", c);
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text,
                        bool html_safe) {
  out.push_back('"');
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x20 || c == '"' || c == '\\' ||
        (html_safe && (c == '<' || c == '>' || c == '&'))) {
      append_escape(out, c);
      ++pos;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++pos;
      continue;
    }
    const CodePoint cp = decode_utf8(text, pos);
    if (cp.valid)
      out.append(text.substr(pos, cp.size));
    else
      append_utf8(out, kReplacementCharacter);
    pos += cp.size;
  }
  out.push_back('"');
}

std::string json_quote(std::string_view text, bool html_safe) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text, html_safe);
  return out;
}

}  // namespace sprawl
