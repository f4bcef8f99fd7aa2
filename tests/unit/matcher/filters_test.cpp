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

TEST_CASE("A value that is only a field name or a type name is a placeholder",
          "[matcher][filters]") {
  for (const char* s : {"password", "PASSWORD", "Passwd", "secret", "string",
                        "null", "passphrase"}) {
    INFO(s);
    CHECK(is_placeholder(s));
  }
  for (const char* s : {"password123", "Secret-4kQ", "strings-9Xk", "passes"}) {
    INFO(s);
    CHECK_FALSE(is_placeholder(s));
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

TEST_CASE("Context drops hashes, ids and identifiers for generic rules",
          "[matcher][filters]") {
  using V = ContextVerdict;
  const std::string sha = "3f786850e387550fdab836ed7e6dc881de23001b";
  SECTION("a pinned commit or action revision") {
    CHECK(judge_context(sha, "    rev: " + sha, "x.yaml", true) == V::kDrop);
    CHECK(judge_context(sha, "uses: actions/checkout@" + sha, "ci.yml",
                        true) == V::kDrop);
    CHECK(judge_context(sha, "secret = \"" + sha + "\"", "x.py", true) ==
          V::kKeep);
  }
  SECTION("subresource integrity and lockfile hashes") {
    const std::string sri =
        "sha512-Q8vN3kZr7WmX2pLcR7kQ2mZp9XwL4tVb8NcJ3hYd6FsA1eGu0oTi";
    CHECK(judge_context(sri, "\"integrity\": \"" + sri + "\"", "package-lock.json",
                        false) == V::kDrop);
  }
  SECTION("a UUID named as an id") {
    const std::string uuid = "6f1c2a4e-9b3d-4f7a-8c2e-1d5b7a9e3f60";
    CHECK(judge_context(uuid, "request_id = \"" + uuid + "\"", "a.py", true) ==
          V::kDrop);
    CHECK(judge_context(uuid, "api_token = \"" + uuid + "\"", "a.py", true) ==
          V::kKeep);
  }
  SECTION("camelCase and snake_case identifiers") {
    CHECK(judge_context("getPasswordFromVault",
                        "password = getPasswordFromVault", "a.js",
                        true) == V::kDrop);
    CHECK(judge_context("DB_PASSWORD_FILE", "password: DB_PASSWORD_FILE",
                        "a.yml", true) == V::kDrop);
    CHECK(judge_context("q8Vn3kZr7WmX2pLc", "password: q8Vn3kZr7WmX2pLc",
                        "a.yml", true) == V::kKeep);
  }
  SECTION("sample passwords: stock phrases, folder names, encoded words") {
    CHECK(judge_context("mypassword", "password: mypassword", "README.md",
                        true) == V::kDrop);
    CHECK(judge_context("rethinkdb", "password: rethinkdb",
                        "charts/rethinkdb/values.yaml", true) == V::kDrop);
    CHECK(judge_context("cGFzc3dvcmQ=", "password: cGFzc3dvcmQ=", "s.yaml",
                        false) == V::kDrop);  // base64 of "password"
    CHECK(judge_context("salesforcepassword", "login('u', 'salesforcepassword')",
                        "a.js", true) == V::kKeep);
    CHECK(judge_context("c0NhbGVpbzEyMw==", "password: c0NhbGVpbzEyMw==",
                        "s.yaml", false) == V::kKeep);
  }
  SECTION("lowercase code names and secret references") {
    CHECK(judge_context("mem2reg_sroa", "opt_pass = \"mem2reg_sroa\"", "p.py",
                        true) == V::kDrop);
    CHECK(judge_context("loop-vectorize", "llvm_pass = 'loop-vectorize'",
                        "p.py", true) == V::kDrop);
    CHECK(judge_context("op://dev/openai/credential",
                        "OPENAI_API_KEY=op://dev/openai/credential", "x.env",
                        true) == V::kDrop);
    CHECK(judge_context("classpath:keystore.pass",
                        "password: classpath:keystore.pass", "a.yml",
                        true) == V::kDrop);
    CHECK(judge_context("hunter22x", "password: hunter22x", "a.yml", true) ==
          V::kKeep);
  }
  SECTION("hyphenated setting names and constant arithmetic") {
    CHECK(judge_context("no-debconf-config", "base-passwd: no-debconf-config",
                        "overrides/base-passwd", true) == V::kDrop);
    CHECK(judge_context("BINDSTRING_USERNAME+1",
                        "BINDSTRING_PASSWORD = BINDSTRING_USERNAME+1;",
                        "urlmon.pp", true) == V::kDrop);
    CHECK(judge_context("Kq-3v-Zw9dP", "password: Kq-3v-Zw9dP", "a.yml",
                        true) == V::kKeep);
    CHECK(judge_context("x7-q2-k9-w4", "password: x7-q2-k9-w4", "a.yml",
                        true) == V::kKeep);
  }
  SECTION("minified code") {
    std::string line(5000, 'a');
    CHECK(judge_context("q8Vn3kZr7WmX2pLc", line, "app.min.js", true) ==
          V::kDrop);
  }
}

TEST_CASE("Context drops public keys and data URIs", "[matcher][filters]") {
  using V = ContextVerdict;
  CHECK(judge_context("AAAAB3NzaC1yc2EAAAADAQABAAABAQC7",
                      "key: ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me@host",
                      "a", true) == V::kDrop);
  CHECK(judge_context("iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB",
                      "src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\"",
                      "a.html", false) == V::kDrop);
  CHECK(judge_context("d09GMgABAAAAAAZcAA0AAAAADHgAAAYH",
                      "url(data:font/woff2;base64,d09GMgABAAAAAAZcAA0AAAAADHgAAAYH)",
                      "a.css", true) == V::kDrop);
}

TEST_CASE("Test fixtures and documentation lower confidence",
          "[matcher][filters]") {
  CHECK(judge_context("ghp_R7kQ2mZp9XwL4tVb8NcJ3hYd6FsA1eGu0oTi", "t = x",
                      "src/tests/auth_test.py",
                      false) == ContextVerdict::kLowerConfidence);
  CHECK(judge_context("ghp_R7kQ2mZp9XwL4tVb8NcJ3hYd6FsA1eGu0oTi", "t = x",
                      "src/auth.py", false) == ContextVerdict::kKeep);
}

TEST_CASE("Credential-file values: templates drop, defaults are weak",
          "[matcher][filters]") {
  using L = LiteralValue;
  CHECK(judge_literal_value("${DB_PASS}") == L::kDrop);
  CHECK(judge_literal_value("<password>") == L::kDrop);
  CHECK(judge_literal_value("********") == L::kDrop);
  CHECK(judge_literal_value("XXXXXXXX") == L::kDrop);
  CHECK(judge_literal_value("AKIAIOSFODNN7EXAMPLE") == L::kDrop);
  CHECK(judge_literal_value("password") == L::kWeak);
  CHECK(judge_literal_value("changeme") == L::kWeak);
  CHECK(judge_literal_value("dummy-pass") == L::kWeak);
  CHECK(judge_literal_value("roboMongoSSHPass") == L::kWeak);
  CHECK(judge_literal_value("12345678") == L::kWeak);
  CHECK(judge_literal_value("hunter22") == L::kOrdinary);
  CHECK(judge_literal_value("q7R-vW2mZp9d") == L::kOrdinary);
}

TEST_CASE("Documentation files are known by extension", "[matcher][filters]") {
  CHECK(is_documentation_path("README.md"));
  CHECK(is_documentation_path("docs/esmtp.RST"));
  CHECK(is_documentation_path("man/msmtp.1"));
  CHECK_FALSE(is_documentation_path("home/ops/.esmtprc"));
  CHECK_FALSE(is_documentation_path("config/sitemanager.xml"));
  CHECK(is_fixture_path("src/tests/data/.pgpass"));
  CHECK_FALSE(is_fixture_path("home/ops/.pgpass"));
}
