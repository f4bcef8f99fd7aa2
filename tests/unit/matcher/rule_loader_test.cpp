// Tests of rule loading: sprawl TOML, gitleaks TOML, and bad rule files.
#include <catch2/catch.hpp>

#include "sprawl/matcher/rule_loader.h"

using namespace sprawl;

TEST_CASE("A sprawl rule file loads with every field", "[matcher][rules]") {
  const char* text = R"(
[[rules]]
id = "demo-token"
name = "Demo token"
provider = "demo"
kind = "api-key"
regex = '''(?P<secret>demo_[a-z0-9]{8})'''
keywords = ["Demo_"]
min_entropy = 2.5
severity = "high"
confidence = "high"
examples = ["demo_q8v3kz7w"]
negative_examples = ["demo_short"]
)";
  std::vector<Error> errors;
  auto rules = matcher::parse_rule_file(text, "demo.toml", errors);
  REQUIRE(rules);
  REQUIRE(rules->size() == 1);
  const auto& r = (*rules)[0];
  CHECK(r.id == "demo-token");
  CHECK(r.kind == model::Kind::kApiKey);
  CHECK(r.severity == model::Severity::kHigh);
  CHECK(r.keywords == std::vector<std::string>{"demo_"});
  CHECK(r.min_entropy == Approx(2.5));
  CHECK(errors.empty());
}

TEST_CASE("A rule can mark a credential file and carry an allowlist",
          "[matcher][rules]") {
  const char* text = R"(
[[rules]]
id = "store-pass"
name = "Store password"
provider = "demo"
kind = "password"
regex = '''pass=(?P<secret>\S+)'''
path = '''\.demorc$'''
credential_file = true
allowlist = { regexes = ["^true$"], stopwords = ["sample"] }

[[rules]]
id = "bad-flag"
name = "x"
provider = "x"
kind = "password"
regex = '''(?P<secret>x)'''
credential_file = "yes"
)";
  std::vector<Error> errors;
  auto rules = matcher::parse_rule_file(text, "store.toml", errors);
  REQUIRE(rules);
  REQUIRE(rules->size() == 1);
  CHECK((*rules)[0].credential_file);
  CHECK((*rules)[0].allow_regexes == std::vector<std::string>{"^true$"});
  CHECK((*rules)[0].stopwords == std::vector<std::string>{"sample"});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("credential_file must be true or false") !=
        std::string::npos);
}

TEST_CASE("Malformed TOML is an error naming the file and line",
          "[matcher][rules]") {
  std::vector<Error> errors;
  auto rules = matcher::parse_rule_file("[[rules]]\nid = \n", "bad.toml",
                                        errors);
  REQUIRE_FALSE(rules);
  CHECK(rules.error().input == "bad.toml");
  CHECK(rules.error().place.find("line 2") != std::string::npos);
}

TEST_CASE("An invalid rule is left out and described", "[matcher][rules]") {
  const char* text = R"(
[[rules]]
id = "no-secret-group"
name = "x"
provider = "x"
kind = "api-key"
regex = '''tok_[a-z]+'''

[[rules]]
id = "bad-kind"
name = "x"
provider = "x"
kind = "spaceship"
regex = '''(?P<secret>x)'''

[[rules]]
id = "bad-regex"
name = "x"
provider = "x"
kind = "api-key"
regex = '''(?P<secret>[a-z'''
)";
  std::vector<Error> errors;
  auto rules = matcher::parse_rule_file(text, "r.toml", errors);
  REQUIRE(rules);
  CHECK(rules->empty());
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].message.find("no named group 'secret'") != std::string::npos);
  CHECK(errors[1].message.find("unknown kind") != std::string::npos);
  CHECK(errors[2].message.find("does not compile") != std::string::npos);
}

TEST_CASE("A gitleaks configuration maps to rules with allowlists",
          "[matcher][rules][gitleaks]") {
  const char* text = R"(
title = "custom"

[allowlist]
paths = ['''vendor/''']

[[rules]]
id = "acme-api-key"
description = "ACME API key"
regex = '''acme[_-]?key\s*=\s*['"]([a-z0-9]{24})['"]'''
secretGroup = 1
entropy = 3.0
keywords = ["ACME"]
path = '''\.env$'''

[rules.allowlist]
regexes = ['''^0{24}$''']
stopwords = ["sample"]
)";
  std::vector<Error> errors;
  auto rules = matcher::parse_rule_file(text, "gitleaks.toml", errors);
  REQUIRE(rules);
  REQUIRE(rules->size() == 1);
  const auto& r = (*rules)[0];
  CHECK(r.name == "ACME API key");
  CHECK(r.secret_group == 1);
  CHECK(r.min_entropy == Approx(3.0));
  CHECK(r.keywords == std::vector<std::string>{"acme"});
  CHECK(r.path_regex == R"(\.env$)");
  CHECK(r.allow_regexes == std::vector<std::string>{"^0{24}$"});
  CHECK(r.allow_paths == std::vector<std::string>{"vendor/"});
  CHECK(r.stopwords == std::vector<std::string>{"sample"});
}

TEST_CASE("The built-in rules load and pass their own checks",
          "[matcher][rules]") {
  Diagnostics diagnostics;
  auto rules = matcher::load_rules({true, {}}, diagnostics);
  REQUIRE(rules);
  CHECK(diagnostics.error_count() == 0);
  for (const auto& r : *rules) {
    INFO(r.id);
    CHECK(matcher::check_rule(r, true));
  }
}
