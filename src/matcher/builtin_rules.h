// The rules/*.toml files compiled into the binary (generated at build time
// by cmake/embed_rules.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace sprawl::matcher {

struct BuiltinRuleFile {
  std::string_view origin;
  std::string_view text;
};

const std::vector<BuiltinRuleFile>& builtin_rule_files();

}  // namespace sprawl::matcher
