// Loading rules: sprawl's own TOML format (rules/*.toml) and gitleaks
// configurations, from files, directories or the rules built into the binary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sprawl/model/rule.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::matcher {

/// Parses one rule file's text. Rules that are individually invalid are left
/// out and described in rule_errors; a file that is not valid TOML, or has
/// neither `[[rules]]` tables, is an error naming origin and the line.
/// compile_regex=false skips compiling the regex with RE2 (the built-in
/// rules, which the test suite checks, load faster for pre-commit runs).
[[nodiscard]] Expected<std::vector<model::Rule>> parse_rule_file(
    std::string_view toml_text, const std::string& origin,
    std::vector<Error>& rule_errors, bool compile_regex = true);

/// Checks one rule: required fields, vocabulary, a regex RE2 accepts with a
/// `secret` group (or a secret_group index), at least one example and one
/// negative example when require_examples.
[[nodiscard]] Expected<void> check_rule(const model::Rule& rule,
                                        bool require_examples,
                                        bool compile_regex = true);

struct RuleSources {
  bool builtin = true;
  std::vector<std::string> paths;  ///< files or directories of *.toml
};

/// Loads rules from sources. Unreadable or malformed files and invalid rules
/// are reported to diagnostics (naming file and rule) and left out; duplicate
/// ids: the later definition replaces the earlier one, with a warning.
[[nodiscard]] Expected<std::vector<model::Rule>> load_rules(
    const RuleSources& sources, Diagnostics& diagnostics);

/// The rule files compiled into the binary: (origin, TOML text).
std::vector<std::pair<std::string, std::string_view>> builtin_rule_texts();

}  // namespace sprawl::matcher
