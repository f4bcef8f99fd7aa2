// False-positive filters and entropy (see matcher/filters.h).
#include "sprawl/matcher/filters.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>

namespace sprawl::matcher {
namespace {

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool contains_icase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  auto it = std::search(
      haystack.begin(), haystack.end(), needle.begin(), needle.end(),
      [](char a, char b) { return lower_ascii(a) == lower_ascii(b); });
  return it != haystack.end();
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Words that mark a value as a stand-in rather than a credential. Kept short
// on purpose: "test" is not here because Stripe's sk_test_ keys are real.
constexpr std::array<std::string_view, 12> kPlaceholderWords = {
    "example",  "placeholder", "changeme", "change_me", "dummy",
    "redacted", "your_",       "your-",    "yourkey",   "replace_me",
    "replaceme", "xxxxxx",
};

// Documentation values that are not secrets anywhere.
// clang-format off
constexpr std::array<std::string_view, 5> kKnownExamples = {
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "xoxb-not-a-real-token-this-will-not-work",
};
// clang-format on

bool looks_like_template(std::string_view s) {
  if (s.find("${") != std::string_view::npos) return true;
  if (s.find("{{") != std::string_view::npos) return true;
  if (s.find("%(") != std::string_view::npos) return true;
  if (s.find("****") != std::string_view::npos) return true;
  if (s.find("...") != std::string_view::npos) return true;
  if (s.find("…") != std::string_view::npos) return true;
  if (!s.empty() && s.front() == '<' && s.back() == '>') return true;
  if (!s.empty() && s.front() == '$' && s.size() > 1 &&
      (std::isupper(static_cast<unsigned char>(s[1])) || s[1] == '_'))
    return true;
  return false;
}

}  // namespace

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<uint32_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double entropy = 0.0;
  const double n = static_cast<double>(s.size());
  for (uint32_t count : counts) {
    if (count == 0) continue;
    const double p = count / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool is_placeholder(std::string_view secret) {
  if (looks_like_template(secret)) return true;
  for (std::string_view word : kPlaceholderWords)
    if (contains_icase(secret, word)) return true;
  return false;
}

bool has_trivial_run(std::string_view s, std::size_t min_run) {
  std::size_t same = 1, up = 1, down = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char a = s[i - 1], b = s[i];
    const bool both = is_alnum(a) && is_alnum(b);
    same = (both && a == b) ? same + 1 : 1;
    up = (both && b == a + 1) ? up + 1 : 1;
    down = (both && b == a - 1) ? down + 1 : 1;
    if (same >= min_run || up >= min_run || down >= min_run) return true;
  }
  return false;
}

bool is_known_example(std::string_view secret) {
  for (std::string_view known : kKnownExamples)
    if (secret.find(known) != std::string_view::npos) return true;
  return false;
}

bool has_allow_marker(std::string_view line) {
  return line.find("sprawl:allow") != std::string_view::npos;
}

bool is_false_positive(std::string_view secret, model::Kind kind) {
  if (is_known_example(secret)) return true;
  if (kind == model::Kind::kPrivateKey) {
    // A key block is judged by its body; template markers inside it (a
    // "..." or "<key>" body) still mark a placeholder.
    return looks_like_template(secret) || contains_icase(secret, "example") ||
           contains_icase(secret, "xxxxxxxx");
  }
  if (is_placeholder(secret)) return true;
  return has_trivial_run(secret);
}

}  // namespace sprawl::matcher
