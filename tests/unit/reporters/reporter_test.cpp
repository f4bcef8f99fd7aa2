// Tests of the reporter entry points: format names and redaction.
#include "sprawl/reporters/reporter.h"

#include <catch2/catch.hpp>

#include "sprawl/util/utf8.h"
#include "unit/reporters/report_fixtures.h"

namespace sprawl::reporters {
namespace {

using testing::kFakeGithubToken;

TEST_CASE("parse_format accepts the five format names and nothing else",
          "[reporters]") {
  for (Format f : {Format::kText, Format::kJson, Format::kJsonl, Format::kSarif,
                   Format::kCsv})
    CHECK(parse_format(format_name(f)) == f);
  CHECK(parse_format("text") == Format::kText);
  CHECK(parse_format("sarif") == Format::kSarif);
  CHECK_FALSE(parse_format("JSON").has_value());
  CHECK_FALSE(parse_format("html").has_value());
  CHECK_FALSE(parse_format("").has_value());
}

TEST_CASE("redact shows at most eight leading bytes and the length",
          "[reporters]") {
  CHECK(redact(kFakeGithubToken) == "ghp_FAKE\u2026(40 chars)");
  CHECK(redact("0123456789abcdef") == "0123\u2026(16 chars)");
}

TEST_CASE("redact shows nothing of a secret shorter than eight bytes",
          "[reporters]") {
  CHECK(redact("") == "\u2026(0 chars)");
  CHECK(redact("abc") == "\u2026(3 chars)");
  CHECK(redact("1234567") == "\u2026(7 chars)");
  CHECK(redact("12345678") == "12\u2026(8 chars)");
}

TEST_CASE("redact never shows more than a quarter of the secret",
          "[reporters]") {
  for (std::size_t length = 0; length < 200; ++length) {
    const std::string secret(length, 'x');
    const std::string shown = redact(secret);
    const std::size_t prefix = shown.find("\u2026");
    REQUIRE(prefix != std::string::npos);
    CHECK(prefix <= length / 4);
    CHECK(prefix <= 8);
  }
}

TEST_CASE("redact does not split a multi-byte character or copy controls",
          "[reporters]") {
  // 4 x "é" (2 bytes each) + 8 ASCII: 16 bytes, a quarter is 4 bytes.
  const std::string shown = redact("\u00e9\u00e9\u00e9\u00e9abcdefgh");
  CHECK(shown == "\u00e9\u00e9\u2026(12 chars)");
  CHECK(redact("\x1b[31mabcdefghijk") == "\u2026(16 chars)");
  const std::string odd = redact(
      "a\xe2\x82\xac"
      "bcdefghijklmno");
  CHECK(odd.rfind("a", 0) == 0);
  CHECK(count_code_points(odd) > 0);
}

}  // namespace
}  // namespace sprawl::reporters
