// Progress display on a terminal: blobs and bytes per second on stderr,
// refreshed by a background thread; silent when disabled.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace sprawl::pipeline {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();

  /// Counts scanned blobs and bytes. Thread-safe, two relaxed atomics.
  void add(uint64_t blobs, uint64_t bytes) {
    blobs_.fetch_add(blobs, std::memory_order_relaxed);
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }

  /// Stops the display and clears its line.
  void finish();

 private:
  void run();
  void draw();

  bool enabled_;
  std::atomic<uint64_t> blobs_{0}, bytes_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sprawl::pipeline
