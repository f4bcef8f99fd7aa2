// Private to the JSONL-shaped sources (documents, Jira issues): reads a
// file in batches of whole lines, with a cap on the length of one line.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

/// Serial reader of line batches. Not thread-safe (next() only).
class LineBatcher {
 public:
  LineBatcher() = default;
  ~LineBatcher();
  LineBatcher(const LineBatcher&) = delete;
  LineBatcher& operator=(const LineBatcher&) = delete;

  /// Opens path ("-" = stdin). Errors name the path.
  [[nodiscard]] Expected<void> open(const std::string& path,
                                    uint64_t max_line_bytes);

  /// Fills data with whole lines (about batch_bytes, at least one) and
  /// first_line with the 1-based number of the first. Lines longer than
  /// max_line_bytes are skipped with a message. False at the end.
  bool next_batch(std::string& data, uint64_t& first_line,
                  Diagnostics& diagnostics, std::size_t batch_bytes = 4 << 20);

  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool fill();

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string path_;
  uint64_t max_line_bytes_ = 0;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  uint64_t line_ = 1;
  uint64_t bytes_read_ = 0;
};

/// Calls fn(line_number, line) for each line of a batch from LineBatcher.
template <typename Fn>
void for_each_line(std::string_view data, uint64_t first_line, Fn&& fn) {
  uint64_t number = first_line;
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t nl = data.find('\n', i);
    if (nl == std::string_view::npos) nl = data.size();
    std::string_view line = data.substr(i, nl - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(number++, line);
    i = nl + 1;
  }
}

}  // namespace sprawl::sources
