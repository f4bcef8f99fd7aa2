// Throughput of the Slack source alone (issue 5), tagged [.slow]: reads the
// export named by SPRAWL_SLACK_BENCH (made by corpus/make_large_slack.py)
// on two threads and prints MB/s of JSON read; no matching.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include "archive_test_helpers.h"
#include "sprawl/sources/slack_source.h"

namespace sprawl {
namespace {

TEST_CASE("Slack source reads a large export at a measured rate",
          "[slack][.slow]") {
  const char* dir = std::getenv("SPRAWL_SLACK_BENCH");
  if (!dir) {
    WARN("set SPRAWL_SLACK_BENCH to an export from make_large_slack.py");
    return;
  }
  Diagnostics diagnostics;
  auto start = std::chrono::steady_clock::now();
  auto source = sources::make_slack_source(dir, {}, diagnostics);
  REQUIRE(source);
  std::mutex mutex;
  std::atomic<uint64_t> blobs{0};
  auto work = [&] {
    sources::Task task;
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!(*source)->next(task)) return;
      }
      (*source)->load(task, [&](const model::Blob&) { ++blobs; });
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  double mb = static_cast<double>((*source)->bytes_read()) / 1e6;
  std::cout << "slack source: " << mb << " MB of JSON, " << blobs.load()
            << " blobs, " << seconds << " s, " << mb / seconds << " MB/s\n";
  CHECK(diagnostics.error_count() == 0);
  CHECK(blobs.load() > 0);
}

}  // namespace
}  // namespace sprawl
