// Private to the matcher: the compiled form of a rule set shared by
// matcher_build.cpp (building, caching) and scanner.cpp (the hot path).
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sprawl/matcher/matcher.h"

namespace sprawl::matcher {

/// RE2 programs are compiled on first use (std::call_once), so that a
/// pre-commit run pays only for the rules its few bytes trigger.
struct CompiledRule {
  const model::Rule* rule = nullptr;
  std::once_flag once;
  std::unique_ptr<RE2> re;
  int secret_index = 0;  ///< RE2 group holding the secret (0 = whole)
  int groups = 0;        ///< number of capturing groups
  /// Named groups other than `secret`: (name, index).
  std::vector<std::pair<std::string, int>> named;
  std::unique_ptr<RE2> path_re;
  std::unique_ptr<RE2> credential_path_re;
  std::vector<std::unique_ptr<RE2>> allow_paths;
  std::vector<std::unique_ptr<RE2>> allow_res;
  /// Bytes before a Hyperscan match end searched by RE2 for its start.
  std::size_t window = 0;
  bool generic = false;  ///< reported only where no specific rule matched

  /// Compiles the RE2 programs if not done yet. Thread-safe.
  void ensure() { std::call_once(once, [this] { compile(); }); }

 private:
  void compile();
};

struct Matcher::Impl {
  hs_database_t* db = nullptr;
  std::vector<std::unique_ptr<CompiledRule>> compiled;
  std::vector<uint32_t> re2_only;  ///< rule indexes scanned by RE2 alone
  ~Impl() {
    if (db) hs_free_database(db);
  }
};

/// RE2 options shared by every rule: Latin-1 so that RE2 and Hyperscan
/// agree that `.` and `[^x]` consume one byte.
RE2::Options rule_re2_options();

}  // namespace sprawl::matcher
