// Developer logging to stderr: decisions and timings, one key=value line per
// event. Never logs scanned content. User-facing messages use Diagnostics.
#pragma once

#include <fmt/core.h>

#include <string_view>

namespace sprawl::log {

enum class Level { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

/// Sets the most verbose level printed (default kWarn). Not thread-safe:
/// call once at start-up.
void set_level(Level level);
Level level();

/// Writes "level: message" to stderr as one write. Thread-safe.
void write(Level level, std::string_view message);

template <typename... Args>
void at(Level lvl, fmt::format_string<Args...> f, Args&&... args) {
  if (static_cast<int>(lvl) <= static_cast<int>(level()))
    write(lvl, fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kWarn, f, std::forward<Args>(args)...);
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kInfo, f, std::forward<Args>(args)...);
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kDebug, f, std::forward<Args>(args)...);
}

}  // namespace sprawl::log

#ifdef NDEBUG
#define SPRAWL_TRACE(...) \
  do {                    \
  } while (0)
#else
#define SPRAWL_TRACE(...) ::sprawl::log::at(::sprawl::log::Level::kTrace, __VA_ARGS__)
#endif

#ifdef NDEBUG
#define SPRAWL_ASSERT(cond) ((void)0)
#else
#include <cassert>
#define SPRAWL_ASSERT(cond) assert(cond)
#endif
