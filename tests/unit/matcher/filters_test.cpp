// Tests of the false-positive filters and entropy (matcher/filters.h).
#include <catch2/catch.hpp>

#include "sprawl/matcher/filters.h"

using namespace sprawl::matcher;
using sprawl::model::Kind;

TEST_CASE("Entropy is zero for one repeated byte and log2(n) for n distinct",
          "[matcher][filters]") {
  CHECK(shannon_entropy("") == 0.0);
  CHECK(shannon_entropy("aaaa") == 0.0);
  CHECK(shannon_entropy("abcd") == Approx(2.0));
  CHECK(shannon_entropy("0123456789abcdef") == Approx(4.0));
}

TEST_CASE("Placeholders are recognised", "[matcher][filters]") {
  for (const char* s :
       {"YOUR_API_KEY", "your-token-here", "<token>", "${GITHUB_TOKEN}",
        "{{ secret }}", "changeme", "xxxxxxxxxxxx", "****", "my-dummy-key",
        "REDACTED", "placeholder123", "%(password)s", "$DB_PASSWORD",
        "ghp_...", "AKIAIOSFODNN7EXAMPLE"}) {
    INFO(s);
    CHECK(is_false_positive(s, Kind::kApiKey));
  }
}

TEST_CASE("Random-looking values are not placeholders", "[matcher][filters]") {
  for (const char* s : {"ghp_R7kQ2mZp9XwL4tVb8NcJ3hYd6FsA1eGu0oTi",
                        "sk_live_51Hq8ZpR3tVw9LmX2cK7bN4d", "hunter2x!Q"}) {
    INFO(s);
    CHECK_FALSE(is_false_positive(s, Kind::kApiKey));
  }
}

TEST_CASE("Repeated and sequential runs are trivial", "[matcher][filters]") {
  CHECK(has_trivial_run("key-aaaaaaaa-end"));
  CHECK(has_trivial_run("abcdefghij"));
  CHECK(has_trivial_run("12345678"));
  CHECK(has_trivial_run("zyxwvuts"));
  CHECK_FALSE(has_trivial_run("abc-def-ghi-jkl"));
  CHECK_FALSE(has_trivial_run("aaaaaaa"));  // seven is below the threshold
  CHECK_FALSE(has_trivial_run("--------"));  // punctuation does not count
}

TEST_CASE("Private keys are not rejected for runs of base64 'A'",
          "[matcher][filters]") {
  const std::string key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAA"
      "Ebm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----";
  CHECK_FALSE(is_false_positive(key, Kind::kPrivateKey));
  CHECK(is_false_positive(
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
      Kind::kPrivateKey));
}

TEST_CASE("Documentation example values are known", "[matcher][filters]") {
  CHECK(is_known_example("AKIAIOSFODNN7EXAMPLE"));
  CHECK(is_known_example("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  CHECK_FALSE(is_known_example("AKIAQ3EGSNVXJ5WLKRTA"));
}

TEST_CASE("The inline allow marker is found anywhere on the line",
          "[matcher][filters]") {
  CHECK(has_allow_marker("key = 'abc'  # sprawl:allow"));
  CHECK_FALSE(has_allow_marker("key = 'abc'  # sprawl allow"));
}
