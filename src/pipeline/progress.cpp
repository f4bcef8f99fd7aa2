// Terminal progress line (see progress.h).
#include "pipeline/progress.h"

#include <fmt/core.h>
#include <unistd.h>

namespace sprawl::pipeline {

Progress::Progress(bool enabled)
    : enabled_(enabled), start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() { finish(); }

void Progress::run() {
  std::unique_lock lock(mutex_);
  while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(250),
                            [this] { return stopping_; }))
    draw();
}

void Progress::draw() {
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start_)
                             .count();
  const double mb = bytes_.load() / 1e6;
  const std::string line = fmt::format(
      "\r\x1b[2Kscanning: {} blobs, {:.1f} MB, {:.0f} blobs/s, {:.1f} MB/s",
      blobs_.load(), mb, blobs_.load() / std::max(seconds, 1e-3),
      mb / std::max(seconds, 1e-3));
  ssize_t unused = ::write(2, line.data(), line.size());
  (void)unused;
}

void Progress::finish() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  const char clear[] = "\r\x1b[2K";
  ssize_t unused = ::write(2, clear, sizeof clear - 1);
  (void)unused;
}

}  // namespace sprawl::pipeline
