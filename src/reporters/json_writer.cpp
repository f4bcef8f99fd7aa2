// JSON writer (see json_writer.h). Escaping follows RFC 8259: only `"`, `\`
// and U+0000..U+001F must be escaped; DEL and U+2028/9 are left as they are.
#include "reporters/json_writer.h"

#include <fmt/core.h>

#include <cmath>

#include "reporters/utf8.h"
#include "sprawl/util/log.h"

namespace sprawl::reporters {
namespace {

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += fmt::format("\\u{:04x}", c);
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x20 || c == '"' || c == '\\') {
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

JsonWriter::JsonWriter(std::string& out, int indent, int base_level)
    : out_(out), indent_(indent), base_level_(base_level) {}

void JsonWriter::newline(std::size_t depth) {
  if (indent_ < 0) return;
  out_.push_back('\n');
  out_.append((depth + base_level_) * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  SPRAWL_ASSERT(!stack_.back().is_object);
  if (stack_.back().count++ > 0) out_.push_back(',');
  newline(stack_.size());
}

void JsonWriter::key(std::string_view name) {
  SPRAWL_ASSERT(!stack_.empty() && stack_.back().is_object && !after_key_);
  if (stack_.back().count++ > 0) out_.push_back(',');
  newline(stack_.size());
  append_json_string(out_, name);
  out_ += indent_ < 0 ? ":" : ": ";
  after_key_ = true;
}

void JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  stack_.push_back({true, 0});
}

void JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  stack_.push_back({false, 0});
}

void JsonWriter::close(char bracket) {
  SPRAWL_ASSERT(!stack_.empty() && !after_key_);
  const bool had_members = stack_.back().count > 0;
  stack_.pop_back();
  if (had_members) newline(stack_.size());
  out_.push_back(bracket);
}

void JsonWriter::end_object() { close('}'); }

void JsonWriter::end_array() { close(']'); }

void JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
}

void JsonWriter::value(uint64_t number) {
  before_value();
  out_ += fmt::format("{}", number);
}

void JsonWriter::value(int64_t number) {
  before_value();
  out_ += fmt::format("{}", number);
}

void JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
}

void JsonWriter::fixed(double number, int decimals) {
  if (!std::isfinite(number)) {
    null();
    return;
  }
  before_value();
  out_ += fmt::format("{:.{}f}", number, decimals);
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

}  // namespace sprawl::reporters
