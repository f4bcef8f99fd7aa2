// A minimal streaming JSON writer for the inventory's reports. Escapes '<',
// '>' and '&' as \u escapes so that the text can be embedded in an HTML
// <script> block without ending it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sprawl::inventory::detail {

class JsonOut {
 public:
  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  JsonOut& key(std::string_view name);
  JsonOut& value(std::string_view text);
  JsonOut& value(const char* text) { return value(std::string_view(text)); }
  JsonOut& value(const std::string& text) {
    return value(std::string_view(text));
  }
  JsonOut& value(int64_t number);
  JsonOut& value(double number);
  JsonOut& value(bool flag);
  JsonOut& null();
  /// Inserts already-serialised JSON (trusted, e.g. from the store).
  JsonOut& raw(std::string_view json);
  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

/// Appends s as a JSON string literal (quotes included) to out.
void append_quoted(std::string& out, std::string_view s);

/// ISO 8601 UTC ("2024-01-31T12:00:00Z") of seconds since the epoch.
std::string iso8601(int64_t seconds);

}  // namespace sprawl::inventory::detail
