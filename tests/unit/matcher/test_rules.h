// Helpers for matcher tests: hand-written rules and a one-call scan.
#pragma once

#include <string>
#include <vector>

#include "sprawl/matcher/matcher.h"

namespace sprawl::testing {

inline model::Rule make_rule(std::string id, std::string regex,
                             std::string provider = "test") {
  model::Rule r;
  r.id = std::move(id);
  r.name = r.id;
  r.provider = std::move(provider);
  r.kind = model::Kind::kApiKey;
  r.regex = std::move(regex);
  r.origin = "test";
  return r;
}

inline std::shared_ptr<const matcher::Matcher> build(
    std::vector<model::Rule> rules, std::string cache_dir = {}) {
  Diagnostics diagnostics;
  matcher::MatcherOptions options;
  options.cache_dir = std::move(cache_dir);
  auto m = matcher::Matcher::build(std::move(rules), options, diagnostics);
  if (!m) throw std::runtime_error(m.error().describe());
  return *m;
}

/// Scans text as the whole content of a file at path.
inline std::vector<model::Finding> scan_file(
    const std::shared_ptr<const matcher::Matcher>& m, std::string_view text,
    std::string path);

inline std::vector<model::Finding> scan_text(
    const std::shared_ptr<const matcher::Matcher>& m, std::string_view text,
    std::size_t owned = 0, const std::vector<model::LineRange>* lines = nullptr,
    uint32_t first_line = 1, const model::Location* at = nullptr) {
  static const model::Location nowhere;
  const model::Location& origin = at ? *at : nowhere;
  matcher::Scanner scanner(m);
  model::Blob blob;
  blob.bytes = text;
  blob.origin = &origin;
  blob.owned_bytes = owned ? owned : text.size();
  blob.only_lines = lines;
  blob.first_line = first_line;
  std::vector<model::Finding> out;
  scanner.scan(blob, out);
  return out;
}

inline std::vector<model::Finding> scan_file(
    const std::shared_ptr<const matcher::Matcher>& m, std::string_view text,
    std::string path) {
  model::Location origin;
  origin.path = std::move(path);
  return scan_text(m, text, 0, nullptr, 1, &origin);
}

}  // namespace sprawl::testing
