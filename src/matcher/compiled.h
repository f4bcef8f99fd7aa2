// Private to the matcher: the compiled form of a rule set shared by
// matcher_build.cpp (building, caching) and scanner.cpp (the hot path).
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "sprawl/matcher/matcher.h"

namespace sprawl::matcher {

struct CompiledRule {
  std::unique_ptr<RE2> re;
  int secret_index = 0;  ///< RE2 group holding the secret (0 = whole)
  int groups = 0;        ///< number of capturing groups
  /// Named groups other than `secret`: (name, index).
  std::vector<std::pair<std::string, int>> named;
  std::unique_ptr<RE2> path_re;
  std::vector<std::unique_ptr<RE2>> allow_paths;
  std::vector<std::unique_ptr<RE2>> allow_res;
  /// Bytes before a Hyperscan match end searched by RE2 for its start.
  std::size_t window = 0;
  bool generic = false;  ///< reported only where no specific rule matched
};

struct Matcher::Impl {
  hs_database_t* db = nullptr;
  std::vector<CompiledRule> compiled;
  std::vector<uint32_t> re2_only;  ///< rule indexes scanned by RE2 alone
  ~Impl() {
    if (db) hs_free_database(db);
  }
};

/// RE2 options shared by every rule: Latin-1 so that RE2 and Hyperscan
/// agree that `.` and `[^x]` consume one byte.
RE2::Options rule_re2_options();

}  // namespace sprawl::matcher
