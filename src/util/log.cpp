// Developer logging to stderr (see util/log.h).
#include "sprawl/util/log.h"

#include <unistd.h>

#include <atomic>
#include <string>

namespace sprawl::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kWarn)};

constexpr std::string_view kNames[] = {"error", "warn", "info", "debug",
                                       "trace"};

}  // namespace

void set_level(Level lvl) { g_level.store(static_cast<int>(lvl)); }

Level level() { return static_cast<Level>(g_level.load()); }

void write(Level lvl, std::string_view message) {
  std::string line;
  line.reserve(message.size() + 16);
  line += kNames[static_cast<int>(lvl)];
  line += ": ";
  line += message;
  line += '\n';
  // One write(2) per line keeps lines from different threads whole.
  ssize_t unused = ::write(2, line.data(), line.size());
  (void)unused;
}

}  // namespace sprawl::log
