// Line batching for JSONL inputs (see jsonl_lines.h). Reads 1 MB at a time
// so a single huge line costs at most max_line_bytes of memory.
#include "sources/jsonl_lines.h"

#include <cstring>

namespace sprawl::sources {

namespace {
constexpr std::size_t kReadBytes = 1 << 20;
}  // namespace

LineBatcher::~LineBatcher() {
  if (file_ && owns_file_) std::fclose(file_);
}

Expected<void> LineBatcher::open(const std::string& path,
                                 uint64_t max_line_bytes) {
  path_ = path;
  max_line_bytes_ = max_line_bytes;
  if (path == "-") {
    file_ = stdin;
  } else {
    file_ = std::fopen(path.c_str(), "rb");
    owns_file_ = true;
  }
  if (!file_) {
    return fail(make_error(ErrorCode::kIo,
                           std::string("cannot open: ") + std::strerror(errno),
                           path));
  }
  return {};
}

bool LineBatcher::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() < end_ + kReadBytes) buffer_.resize(end_ + kReadBytes);
  std::size_t n = std::fread(buffer_.data() + end_, 1, kReadBytes, file_);
  if (n == 0) eof_ = true;
  end_ += n;
  bytes_read_ += n;
  return n > 0;
}

bool LineBatcher::next_batch(std::string& data, uint64_t& first_line,
                             Diagnostics& diagnostics,
                             std::size_t batch_bytes) {
  data.clear();
  first_line = line_;
  bool skipping = false;
  for (;;) {
    char* start = buffer_.data() + begin_;
    void* nl = std::memchr(start, '\n', end_ - begin_);
    if (!nl) {
      if (end_ - begin_ > max_line_bytes_ && !skipping) {
        skipping = true;
        diagnostics.skipped(
            path_ + ":" + std::to_string(line_), SkipReason::kTooLarge,
            "line longer than " + std::to_string(max_line_bytes_) + " bytes");
      }
      if (skipping) begin_ = end_;
      if (fill()) continue;
      if (end_ > begin_ && !skipping) {
        data.append(buffer_.data() + begin_, end_ - begin_);
        data.push_back('\n');
        ++line_;
      }
      begin_ = end_;
      return !data.empty();
    }
    std::size_t length = static_cast<char*>(nl) - start;
    if (skipping)
      data.push_back('\n');  // keeps the line numbers of the batch right
    else
      data.append(start, length + 1);
    skipping = false;
    begin_ += length + 1;
    ++line_;
    if (data.size() >= batch_bytes) return true;
  }
}

}  // namespace sprawl::sources
