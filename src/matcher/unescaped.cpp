// The unescaped view of a blob (see unescaped.h).
#include "matcher/unescaped.h"

#include <algorithm>
#include <cstring>

namespace sprawl::matcher::detail {
namespace {

constexpr std::string_view kQuotEntity = "&quot;";
constexpr std::string_view kQuotNumeric = "&#34;";

// Length of the escape at text[i] and the character it stands for, or 0.
std::size_t escape_at(std::string_view text, std::size_t i, char& out) {
  if (text[i] == '\\' && i + 1 < text.size() &&
      (text[i + 1] == '/' || text[i + 1] == '"')) {
    out = text[i + 1];
    return 2;
  }
  if (text[i] == '&') {
    if (text.substr(i, kQuotEntity.size()) == kQuotEntity) {
      out = '"';
      return kQuotEntity.size();
    }
    if (text.substr(i, kQuotNumeric.size()) == kQuotNumeric) {
      out = '"';
      return kQuotNumeric.size();
    }
  }
  return 0;
}

bool has_escape(std::string_view text) {
  // Perf: memchr for the two lead bytes; most blobs have neither escape.
  for (char lead : {'\\', '&'}) {
    const char* p = text.data();
    const char* end = p + text.size();
    while ((p = static_cast<const char*>(std::memchr(p, lead, end - p)))) {
      char unused;
      if (escape_at(text, static_cast<std::size_t>(p - text.data()), unused))
        return true;
      ++p;
    }
  }
  return false;
}

}  // namespace

bool UnescapedView::build(std::string_view text) {
  text_.clear();
  shifts_.clear();
  if (!has_escape(text)) return false;
  text_.reserve(text.size());
  std::size_t removed = 0;
  for (std::size_t i = 0; i < text.size();) {
    char c;
    const std::size_t n = escape_at(text, i, c);
    if (n == 0) {
      text_.push_back(text[i++]);
      continue;
    }
    text_.push_back(c);
    i += n;
    removed += n - 1;
    shifts_.emplace_back(text_.size(), removed);
  }
  return true;
}

std::size_t UnescapedView::original(std::size_t at) const {
  // The last shift at or before `at` says how much was removed before it.
  auto it = std::upper_bound(
      shifts_.begin(), shifts_.end(), at,
      [](std::size_t v, const auto& s) { return v < s.first; });
  return at + (it == shifts_.begin() ? 0 : std::prev(it)->second);
}

std::size_t UnescapedView::view_offset(std::size_t at) const {
  // Offsets only shrink, so search on the original offsets of the shifts.
  std::size_t lo = 0, hi = text_.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (original(mid) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

}  // namespace sprawl::matcher::detail
