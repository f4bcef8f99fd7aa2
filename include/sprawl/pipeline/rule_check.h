// `sprawl rules list` and `sprawl rules check`: the rule self-tests that CI
// runs, exposed to users writing their own rules.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sprawl/matcher/rule_loader.h"

namespace sprawl::pipeline {

struct RuleCheckOptions {
  matcher::RuleSources rules;
  std::string cache_dir;
  bool verbose = false;
};

/// Loads the rules, checks every field, compiles them with Hyperscan and
/// runs every example and negative example through the full matcher
/// (Hyperscan, RE2, entropy, filters). Prints one line per problem and a
/// summary. Returns 0 when all pass, 1 when a check failed, 2 when the
/// rules could not be loaded.
int check_rules(const RuleCheckOptions& options, std::ostream& out,
                std::ostream& err);

/// Prints the rules grouped by provider, with kind, severity and confidence.
int list_rules(const RuleCheckOptions& options, std::ostream& out,
               std::ostream& err);

}  // namespace sprawl::pipeline
