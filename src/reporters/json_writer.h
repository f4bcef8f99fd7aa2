// A small streaming JSON writer for the JSON, JSONL and SARIF reporters:
// escapes any bytes into valid JSON and lays out objects either indented
// (for diffs) or on one line (for JSONL). No parsing, no DOM.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/util/json.h"

namespace sprawl::reporters {


/// Writes JSON values into a string it does not own. Keys and values must be
/// written in a valid order (key before each object member); misuse is an
/// assertion in debug builds. Not thread-safe.
class JsonWriter {
 public:
  /// indent < 0: everything on one line; otherwise spaces per level.
  /// base_level indents the first value as if nested that deep.
  JsonWriter(std::string& out, int indent, int base_level = 0);

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(uint64_t number);
  void value(int64_t number);
  void value(uint32_t number) { value(static_cast<uint64_t>(number)); }
  void value(int number) { value(static_cast<int64_t>(number)); }
  void value(bool flag);
  /// A number with a fixed count of decimals; null when not finite.
  void fixed(double number, int decimals);
  void null();

  /// key + value in one call.
  template <typename T>
  void field(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

 private:
  struct Level {
    bool is_object = false;
    uint32_t count = 0;
  };

  void before_value();
  void newline(std::size_t depth);
  void close(char bracket);

  std::string& out_;
  int indent_;
  int base_level_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace sprawl::reporters
