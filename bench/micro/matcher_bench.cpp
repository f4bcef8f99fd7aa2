// Matcher throughput with the full built-in rule set, over workloads that
// stress different parts of the scan path. Run: build/matcher_bench.
#include <benchmark/benchmark.h>

#include <random>

#include "sprawl/matcher/matcher.h"
#include "sprawl/matcher/rule_loader.h"

namespace {

using namespace sprawl;

std::shared_ptr<const matcher::Matcher> full_rules() {
  static auto m = [] {
    Diagnostics d;
    auto rules = matcher::load_rules({true, {}}, d);
    auto built = matcher::Matcher::build(std::move(*rules), {}, d);
    return *built;
  }();
  return m;
}

std::string random_word(std::mt19937& rng, int min_len, int max_len,
                        std::string_view alphabet) {
  std::uniform_int_distribution<int> len(min_len, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string w(len(rng), ' ');
  for (auto& c : w) c = alphabet[pick(rng)];
  return w;
}

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Source-like text: indented lines of identifiers, calls, string literals
// and config assignments, one fake token per ~2000 lines. Stresses the
// common case: few matches, lots of keyword-looking text.
std::string source_text(std::size_t bytes) {
  std::mt19937 rng(7);
  std::string out;
  int line = 0;
  while (out.size() < bytes) {
    ++line;
    out += std::string((line % 4) * 2, ' ');
    switch (line % 6) {
      case 0: out += "let " + random_word(rng, 3, 12, kLower) + " = " +
                     random_word(rng, 3, 10, kLower) + "(" +
                     random_word(rng, 2, 8, kLower) + ");"; break;
      case 1: out += "password_field = form.get(\"" +
                     random_word(rng, 4, 10, kLower) + "\")"; break;
      case 2: out += "// " + random_word(rng, 3, 9, kLower) + " the " +
                     random_word(rng, 3, 9, kLower) + " token cache"; break;
      case 3: out += "url = \"https://api." + random_word(rng, 4, 9, kLower) +
                     ".com/v1/" + random_word(rng, 4, 9, kLower) + "\""; break;
      case 4: out += "if (" + random_word(rng, 3, 8, kLower) + " != null) {";
              break;
      default: out += "}"; break;
    }
    if (line % 2000 == 0)
      out += " ghp_" + random_word(rng, 36, 36, kBase62);
    out += '\n';
  }
  return out;
}

// Thousands of fake tokens in a few hundred KB: the confirmation stage and
// finding construction must stay linear.
std::string dense_secrets(std::size_t bytes) {
  std::mt19937 rng(11);
  std::string out;
  while (out.size() < bytes) {
    out += "export GITHUB_TOKEN=ghp_" + random_word(rng, 36, 36, kBase62) +
           "\nAWS_ACCESS_KEY_ID=AKIA" +
           random_word(rng, 16, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") +
           "\nslack: xoxb-" + random_word(rng, 11, 11, "0123456789") + "-" +
           random_word(rng, 12, 12, "0123456789") + "-" +
           random_word(rng, 24, 24, kBase62) + "\n";
  }
  return out;
}

// One long line of minified JavaScript: no newlines, dense punctuation.
std::string minified_js(std::size_t bytes) {
  std::mt19937 rng(13);
  std::string out;
  while (out.size() < bytes)
    out += "function " + random_word(rng, 1, 3, kLower) + "(" +
           random_word(rng, 1, 2, kLower) + "){return " +
           random_word(rng, 1, 3, kLower) + "." +
           random_word(rng, 4, 12, kBase62) + "(\"" +
           random_word(rng, 8, 24, kBase62) + "\")};";
  return out;
}

// Base64 of random bytes (an embedded image): high entropy everywhere,
// the worst case for generic high-entropy rules.
std::string base64_blob(std::size_t bytes) {
  std::mt19937 rng(17);
  std::string out = "data:image/png;base64,";
  const std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  while (out.size() < bytes) out += random_word(rng, 76, 76, alphabet) + "\n";
  return out;
}

void run_scan(benchmark::State& state, const std::string& text) {
  auto m = full_rules();
  matcher::Scanner scanner(m);
  model::Location origin;
  origin.path = "bench.txt";
  model::Blob blob;
  blob.bytes = text;
  blob.origin = &origin;
  blob.owned_bytes = text.size();
  std::vector<model::Finding> found;
  std::size_t expected = SIZE_MAX;
  for (auto _ : state) {
    found.clear();
    scanner.scan(blob, found);
    if (expected == SIZE_MAX) expected = found.size();
    if (found.size() != expected) {
      state.SkipWithError("finding count differs between repetitions");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
  state.counters["findings"] = static_cast<double>(found.size());
  state.counters["rules"] = static_cast<double>(m->rules().size());
}

void BM_Matcher_Scan_source(benchmark::State& state) {
  static const std::string text = source_text(state.range(0));
  run_scan(state, text);
}
BENCHMARK(BM_Matcher_Scan_source)->Arg(4 << 20)->Unit(benchmark::kMillisecond);

void BM_Matcher_Scan_dense_secrets(benchmark::State& state) {
  const std::string text = dense_secrets(state.range(0));
  run_scan(state, text);
}
// Two sizes: time per byte must stay flat (linear in the findings).
BENCHMARK(BM_Matcher_Scan_dense_secrets)
    ->Arg(100 << 10)
    ->Arg(400 << 10)
    ->Unit(benchmark::kMillisecond);

void BM_Matcher_Scan_minified_js(benchmark::State& state) {
  static const std::string text = minified_js(state.range(0));
  run_scan(state, text);
}
BENCHMARK(BM_Matcher_Scan_minified_js)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMillisecond);

void BM_Matcher_Scan_base64(benchmark::State& state) {
  static const std::string text = base64_blob(state.range(0));
  run_scan(state, text);
}
BENCHMARK(BM_Matcher_Scan_base64)->Arg(2 << 20)->Unit(benchmark::kMillisecond);

// Build cost apart from scanning: compile without the disk cache.
void BM_Matcher_Build_uncached(benchmark::State& state) {
  Diagnostics d;
  auto rules = matcher::load_rules({true, {}}, d);
  for (auto _ : state) {
    auto m = matcher::Matcher::build(*rules, {}, d);
    benchmark::DoNotOptimize(m);
    state.counters["db_bytes"] =
        static_cast<double>((*m)->stats().database_bytes);
  }
}
BENCHMARK(BM_Matcher_Build_uncached)->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
