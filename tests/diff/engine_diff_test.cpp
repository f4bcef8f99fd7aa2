// Differential test: the Hyperscan+RE2 scan path must report exactly what
// RE2 alone reports, on the corpus and on every rule example.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "sprawl/matcher/matcher.h"
#include "sprawl/matcher/rule_loader.h"

namespace {

using namespace sprawl;
namespace fs = std::filesystem;
using Key = std::tuple<std::string, uint64_t, std::string>;

std::shared_ptr<const matcher::Matcher> engine(bool re2_only) {
  Diagnostics d;
  auto rules = matcher::load_rules({true, {}}, d);
  REQUIRE(rules);
  matcher::MatcherOptions options;
  options.force_re2_only = re2_only;
  auto m = matcher::Matcher::build(std::move(*rules), options, d);
  REQUIRE(m);
  return *m;
}

std::set<Key> scan(matcher::Scanner& scanner, const std::string& text,
                   const std::string& path) {
  model::Location origin;
  origin.path = path;
  model::Blob blob;
  blob.bytes = text;
  blob.origin = &origin;
  blob.owned_bytes = text.size();
  std::vector<model::Finding> found;
  scanner.scan(blob, found);
  std::set<Key> keys;
  for (const auto& f : found) keys.emplace(f.rule_id, f.offset, f.secret);
  return keys;
}

std::vector<std::pair<std::string, std::string>> inputs() {
  std::vector<std::pair<std::string, std::string>> out;
  const char* src = std::getenv("SPRAWL_SOURCE_DIR");
  const fs::path corpus = fs::path(src ? src : ".") / "corpus";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(corpus, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->file_size() > (4u << 20)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.emplace_back(it->path().string(), ss.str());
  }
  Diagnostics d;
  auto rules = matcher::load_rules({true, {}}, d);
  for (const auto& r : *rules) {
    for (const auto& e : r.examples) out.emplace_back(r.id, e);
    for (const auto& e : r.negative_examples) out.emplace_back(r.id, e);
  }
  return out;
}

std::string describe(const std::set<Key>& keys) {
  std::string s;
  for (const auto& [rule, offset, secret] : keys)
    s += "  " + rule + " @" + std::to_string(offset) + " (" +
         std::to_string(secret.size()) + " bytes)\n";
  return s;
}

}  // namespace

TEST_CASE("Hyperscan with RE2 confirmation equals RE2 alone", "[diff]") {
  matcher::Scanner fast(engine(false));
  matcher::Scanner reference(engine(true));
  std::size_t compared = 0, findings = 0;
  for (const auto& [name, text] : inputs()) {
    const auto a = scan(fast, text, name);
    const auto b = scan(reference, text, name);
    std::set<Key> only_fast, only_reference;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                        std::inserter(only_fast, only_fast.end()));
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(),
                        std::inserter(only_reference, only_reference.end()));
    INFO("input: " << name << "\nonly hyperscan path:\n"
                   << describe(only_fast) << "only RE2:\n"
                   << describe(only_reference));
    CHECK(only_fast.empty());
    CHECK(only_reference.empty());
    ++compared;
    findings += a.size();
  }
  CHECK(compared > 100);
  WARN("compared " << compared << " inputs, " << findings << " findings");
}
