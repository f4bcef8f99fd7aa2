// JSON writer (see json_writer.h); string escaping is util/json.h's.
#include "reporters/json_writer.h"

#include <fmt/core.h>

#include <cmath>

#include "sprawl/util/json.h"
#include "sprawl/util/log.h"

namespace sprawl::reporters {

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
