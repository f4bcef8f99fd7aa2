// Tests of the scan path: Hyperscan events confirmed by RE2, positions,
// chunk ownership, line filters, suppression and rule fallbacks.
#include <catch2/catch.hpp>

#include <filesystem>

#include "unit/matcher/test_rules.h"

using namespace sprawl;
using testing::build;
using testing::make_rule;
using testing::scan_file;
using testing::scan_text;

namespace {
const char* kToken = "tok_Q8vN3kZr7WmX2pLc";
}

TEST_CASE("A match is reported with its line and 1-based column",
          "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  const std::string text = std::string("first line\n  key: ") + kToken + "\n";
  auto found = scan_text(m, text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == kToken);
  CHECK(found[0].location.line == 2);
  CHECK(found[0].location.column == 8);
  CHECK(found[0].location.end_line == 2);
  CHECK(found[0].location.end_column == 27);
  CHECK(found[0].fingerprint.size() == 32);
}

TEST_CASE("Overlapping ends of one match are reported once",
          "[matcher][scanner]") {
  auto m = build({make_rule("t", R"((?P<secret>k_[A-Za-z0-9]{8,}))")});
  auto found = scan_text(m, "x k_Qz8Lm3Vr7Tp2Wn5Yb9Hd4 y k_Rt6Yu1Io0PaSd z");
  REQUIRE(found.size() == 2);
  CHECK(found[0].secret == "k_Qz8Lm3Vr7Tp2Wn5Yb9Hd4");
  CHECK(found[1].secret == "k_Rt6Yu1Io0PaSd");
}

TEST_CASE("Named captures other than secret travel with the finding",
          "[matcher][scanner]") {
  auto m = build({make_rule(
      "pair", R"((?P<id>ID[0-9]{4})\s*:\s*(?P<secret>[A-Za-z0-9]{12}))")});
  auto found = scan_text(m, "ID4821 : Zq8Lm3Vr7Tp2");
  REQUIRE(found.size() == 1);
  CHECK(found[0].capture("id") == "ID4821");
  CHECK(found[0].secret == "Zq8Lm3Vr7Tp2");
}

TEST_CASE("A match longer than the window is found by widening",
          "[matcher][scanner]") {
  auto m = build({make_rule("long", R"((?P<secret>BEGIN[a-z]+END))")});
  std::string body;
  for (int i = 0; i < 6000; ++i) body += static_cast<char>('a' + (i * 7) % 26);
  auto found = scan_text(m, "x BEGIN" + body + "END y");
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret.size() == body.size() + 8);
}

TEST_CASE("Matches starting in the overlap belong to the next chunk",
          "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  const std::string text = std::string("aaaa\n") + kToken + "\n";
  CHECK(scan_text(m, text, 5).empty());
  CHECK(scan_text(m, text, 6).size() == 1);
}

TEST_CASE("Chunk line numbers continue from the blob's first line",
          "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  auto found = scan_text(m, std::string("\n") + kToken, 0, nullptr, 41);
  REQUIRE(found.size() == 1);
  CHECK(found[0].location.line == 42);
}

TEST_CASE("Only the selected lines are reported", "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  const std::string text = std::string(kToken) + "\nzz\n" + kToken + "\n";
  std::vector<model::LineRange> lines = {{3, 3}};
  auto found = scan_text(m, text, 0, &lines);
  REQUIRE(found.size() == 1);
  CHECK(found[0].location.line == 3);
}

TEST_CASE("A line marked sprawl:allow is not reported", "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  auto found =
      scan_text(m, std::string("k = ") + kToken + "  # sprawl:allow\n");
  CHECK(found.empty());
}

TEST_CASE("Entropy, placeholders and keywords gate candidates",
          "[matcher][scanner]") {
  auto rule = make_rule("t", R"((?P<secret>val_[A-Za-z0-9]{10}))");
  rule.min_entropy = 3.0;
  SECTION("low entropy is dropped") {
    auto m = build({rule});
    CHECK(scan_text(m, "val_ababababab").empty());
    CHECK(scan_text(m, "val_Q8vN3kZr7W").size() == 1);
  }
  SECTION("a placeholder is dropped") {
    auto m = build({rule});
    CHECK(scan_text(m, "val_EXAMPLEkey").empty());
  }
  SECTION("a keyword must appear in the text") {
    rule.keywords = {"vault"};
    auto m = build({rule});
    CHECK(scan_text(m, "val_Q8vN3kZr7W").empty());
    CHECK(scan_text(m, "VAULT=val_Q8vN3kZr7W").size() == 1);
  }
}

TEST_CASE("A generic rule yields to a specific one on the same secret",
          "[matcher][scanner]") {
  auto generic = make_rule("generic", R"(token\s*=\s*(?P<secret>\S{12,}))",
                           "generic");
  auto specific = make_rule("specific", R"((?P<secret>tok_[A-Za-z0-9]{16}))");
  auto m = build({generic, specific});
  auto found = scan_text(m, std::string("token = ") + kToken);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "specific");
}

TEST_CASE("Allowlist regexes, stopwords and path rules apply",
          "[matcher][scanner]") {
  auto rule = make_rule("t", R"((?P<secret>tok_[A-Za-z0-9]{16}))");
  SECTION("allowlist regex") {
    rule.allow_regexes = {"^tok_Q8"};
    CHECK(scan_text(build({rule}), kToken).empty());
  }
  SECTION("stopword") {
    rule.stopwords = {"zr7w"};
    CHECK(scan_text(build({rule}), kToken).empty());
  }
  SECTION("path regex that the blob's path does not match") {
    rule.path_regex = R"(\.env$)";
    CHECK(scan_text(build({rule}), kToken).empty());
  }
}

TEST_CASE("A rule Hyperscan rejects falls back and still matches",
          "[matcher][scanner]") {
  // (?U) (ungreedy by default) is RE2 syntax Hyperscan does not accept.
  auto rule = make_rule("fallback", R"((?U)(?P<secret>fb_[A-Za-z0-9]{12,}))");
  Diagnostics diagnostics;
  auto m = matcher::Matcher::build({rule}, {}, diagnostics);
  REQUIRE(m);
  CHECK((*m)->mode(0) != matcher::RuleMode::kExact);
  CHECK(diagnostics.warning_count() >= 1);
  auto found = testing::scan_text(*m, "x fb_Q8vN3kZr7WmXa y");
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == "fb_Q8vN3kZr7WmX");
}

TEST_CASE("A compiled database is reused from the cache",
          "[matcher][scanner]") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sprawl-cache-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto rules = std::vector<model::Rule>{
      make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")};
  auto first = build(rules, dir.string());
  CHECK_FALSE(first->stats().from_cache);
  auto second = build(rules, dir.string());
  CHECK(second->stats().from_cache);
  CHECK(scan_text(second, kToken).size() == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Thousands of findings in one blob are all reported",
          "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "k" + std::to_string(i) + " = " + kToken + "\n";
  CHECK(scan_text(m, text).size() == 5000);
}


TEST_CASE("A credential file's default-looking value is kept as weak",
          "[matcher][scanner]") {
  auto rule = make_rule("store", R"(<Pass>(?P<secret>[^<]{3,64})</Pass>)");
  rule.confidence = model::Confidence::kHigh;
  SECTION("an ordinary rule drops what reads like a placeholder") {
    auto m = build({rule});
    CHECK(scan_file(m, "<Pass>password</Pass>", "sitemanager.xml").empty());
    CHECK(scan_file(m, "<Pass>ExamplePass1</Pass>", "sitemanager.xml").empty());
  }
  rule.credential_file = true;
  auto m = build({rule});
  SECTION("the same values in a credential file are low-confidence findings") {
    for (const char* text : {"<Pass>password</Pass>", "<Pass>ExamplePass1</Pass>",
                             "<Pass>dummy-pass</Pass>", "<Pass>sshUserPass</Pass>",
                             "<Pass>abcdefghij</Pass>"}) {
      auto found = scan_file(m, text, "home/ops/.config/filezilla/sitemanager.xml");
      INFO(text);
      REQUIRE(found.size() == 1);
      CHECK(found[0].confidence == model::Confidence::kLow);
      CHECK(found[0].note.find("default or placeholder") != std::string::npos);
    }
  }
  SECTION("an ordinary value keeps the rule's confidence and no note") {
    auto found = scan_file(m, "<Pass>q7R-vW2mZp9d</Pass>", "sitemanager.xml");
    REQUIRE(found.size() == 1);
    CHECK(found[0].confidence == model::Confidence::kHigh);
    CHECK(found[0].note.empty());
  }
  SECTION("templates, masks and published examples are still dropped") {
    for (const char* text :
         {"<Pass>${FTP_PASS}</Pass>", "<Pass><secret></Pass>",
          "<Pass>********</Pass>", "<Pass>xxxxxxxx</Pass>",
          "<Pass>{{ ftp_password }}</Pass>",
          "<Pass>AKIAIOSFODNN7EXAMPLE</Pass>"}) {
      INFO(text);
      CHECK(scan_file(m, text, "sitemanager.xml").empty());
    }
  }
  SECTION("with credential_path, the leniency holds only in those files") {
    auto netrc = make_rule("netrc", R"(password (?P<secret>\S+))");
    netrc.credential_file = true;
    netrc.credential_path = R"((?:^|/)[._]?netrc$)";
    auto nm = build({netrc});
    CHECK(scan_file(nm, "password changeme", "home/ops/.netrc").size() == 1);
    CHECK(scan_file(nm, "password changeme", "src/netrc.go").empty());
    CHECK(scan_file(nm, "password q7R-vW2mZp9d", "src/netrc.go").size() == 1);
  }
  SECTION("a password equal to its user is a default") {
    auto pg = make_rule("pg", R"((?P<user>\w+):(?P<secret>\w+)$)");
    pg.credential_file = true;
    auto pm = build({pg});
    auto found = scan_file(pm, "postgres:Postgres", ".pgpass");
    REQUIRE(found.size() == 1);
    CHECK(found[0].confidence == model::Confidence::kLow);
  }
  SECTION("a login to a documentation domain is a sample in a manual") {
    auto host = make_rule(
        "netrc", R"(machine (?P<host>\S+)\s+password (?P<secret>\S+))");
    host.credential_file = true;
    host.confidence = model::Confidence::kHigh;
    auto hm = build({host});
    CHECK(scan_file(hm, "machine example\\&.org\npassword q7R-vW2mZp9d",
                  "man/man5/apt_auth.conf.5")
              .empty());
    auto kept = scan_file(hm, "machine example.com\npassword q7R-vW2mZp9d",
                        "home/ops/.netrc");
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].confidence == model::Confidence::kMedium);
  }
  SECTION("in documentation and fixtures a default-looking value is a template") {
    CHECK(scan_file(m, "<Pass>password</Pass>", "docs/setup/sitemanager.xml")
              .empty());
    auto found =
        scan_file(m, "<Pass>q7R-vW2mZp9d</Pass>", "tests/fixtures/sitemanager.xml");
    REQUIRE(found.size() == 1);
    CHECK(found[0].confidence == model::Confidence::kMedium);
  }
}

TEST_CASE("Matches on consecutive lines share the newline between them",
          "[matcher][scanner]") {
  // The rule's trailing newline is the next line's leading one.
  auto m = build({make_rule(
      "line", R"((?:^|[\r\n])k=(?P<secret>[A-Za-z0-9]{12})(?:\r?\n|$))")});
  auto found = scan_text(m,
                         "k=Qz8Lm3Vr7Tp2\nk=Rt6Yu1Io0PaS\r\nk=Wn5Yb9Hd4Kx1\n"
                         "k=Jc2Fg7Ub3Mv8");
  REQUIRE(found.size() == 4);
  CHECK(found[1].location.line == 2);
  CHECK(found[3].secret == "Jc2Fg7Ub3Mv8");
}

TEST_CASE("A token right after an escape or percent-encoding is found",
          "[matcher][scanner]") {
  auto m = build({make_rule("t", R"(\b(?P<secret>tok_[A-Za-z0-9]{16})\b)")});
  for (const std::string prefix : {"\"msg\": \"line\\n", "a\\t", "q=%3D"}) {
    INFO(prefix);
    auto found = scan_text(m, prefix + kToken + "\"");
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret == kToken);
  }
  CHECK(scan_text(m, std::string("xtok_") + (kToken + 4)).empty());
}

TEST_CASE("Escaped JSON and HTML are also scanned unescaped",
          "[matcher][scanner]") {
  auto hook = make_rule(
      "hook", R"((?P<secret>https://hooks\.acme\.test/[A-Za-z0-9/]{20,}))");
  auto pass = make_rule(
      "pass", R"re("password":\s*"(?P<secret>[A-Za-z0-9.]{8,})")re");
  auto m = build({hook, pass});
  SECTION("a URL written with \\/ is found, at its place in the file") {
    const std::string text =
        "{\"x\": 1,\n \"url\": \"https:\\/\\/hooks.acme.test\\/Qz8Lm3Vr7T"
        "\\/p2Wn5Yb9Hd\"}";
    auto found = scan_text(m, text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret ==
          "https://hooks.acme.test/Qz8Lm3Vr7T/p2Wn5Yb9Hd");
    CHECK(found[0].location.line == 2);
    CHECK(found[0].location.column == 10);
    CHECK(found[0].location.end_column == static_cast<uint32_t>(
              text.size() - text.find('\n') - 3));
  }
  SECTION("escaped quotes in a notebook and &quot; in HTML") {
    CHECK(scan_text(m, R"j("source": ["{\"password\": \"Vq8.mZx3Lk9w\"}\n"])j")
              .size() == 1);
    CHECK(scan_text(m, "<div data-x=\"{&quot;password&quot;: "
                       "&quot;Vq8.mZx3Lk9w&quot;}\">")
              .size() == 1);
  }
  SECTION("an escaped secret after a plain one on the same line") {
    auto found = scan_text(m, "{\"password\": \"Vq8.mZx3Lk9w\"} "
                              "{\\\"password\\\": \\\"Rt6.mZx3Lq8v\\\"}");
    REQUIRE(found.size() == 2);
    CHECK(found[1].secret == "Rt6.mZx3Lq8v");
  }
  SECTION("what the raw text already shows is not reported twice") {
    CHECK(scan_text(m, "\"password\": \"Vq8.mZx3Lk9w\" \\/ x").size() == 1);
  }
}
