// The inventory's JSON writer (see json_out.h).
#include "inventory/json_out.h"

#include "sprawl/util/json.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace sprawl::inventory::detail {

void append_quoted(std::string& out, std::string_view s) {
  // html_safe: the inventory JSON is embedded in the HTML report.
  append_json_string(out, s, true);
}

std::string iso8601(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void JsonOut::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonOut& JsonOut::begin_object() {
  separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}

JsonOut& JsonOut::end_object() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}

JsonOut& JsonOut::begin_array() {
  separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}

JsonOut& JsonOut::end_array() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}

JsonOut& JsonOut::key(std::string_view name) {
  separate();
  append_quoted(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::value(std::string_view text) {
  separate();
  append_quoted(out_, text);
  return *this;
}

JsonOut& JsonOut::value(int64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}

JsonOut& JsonOut::value(double number) {
  separate();
  if (!std::isfinite(number)) number = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", number);
  out_ += buf;
  return *this;
}

JsonOut& JsonOut::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonOut& JsonOut::raw(std::string_view json) {
  separate();
  // '<' can only occur inside strings in valid JSON, where \u003c means
  // the same: this keeps "</script>" out of an HTML report.
  for (char c : json) {
    if (c == '<') out_ += "\\u003c";
    else out_.push_back(c);
  }
  return *this;
}

}  // namespace sprawl::inventory::detail
