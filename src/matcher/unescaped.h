// The unescaped view of a blob: JSON's \/ and \", and HTML's &quot;, undone
// so that rules see `https://hooks.slack.com/...` and `"password": "..."`
// inside escaped JSON, notebooks and HTML. Private to the matcher.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sprawl::matcher::detail {

class UnescapedView {
 public:
  /// Builds the view of text; false (and an empty view) when text holds no
  /// escape this view undoes, which is the common case and cheap to tell.
  bool build(std::string_view text);

  std::string_view text() const { return text_; }

  /// The offset in the original text of offset `at` of the view.
  std::size_t original(std::size_t at) const;
  /// The offset in the view of original offset `at` (at an escape, the
  /// character it stands for).
  std::size_t view_offset(std::size_t at) const;

 private:
  std::string text_;
  /// (view offset, bytes removed before it), one per undone escape.
  std::vector<std::pair<std::size_t, std::size_t>> shifts_;
};

}  // namespace sprawl::matcher::detail
