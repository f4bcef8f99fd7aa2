// Tests of offline validation for tokens: checksummed prefixes (GitHub, npm,
// Cloudflare, GitLab routable), AWS key ids, PyPI macaroons and JWTs. Every
// token is generated here from random bytes; none is a real credential.
#include "sprawl/verifier/validator.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "verifier/offline_codec.h"
#include "verifier/validator_internal.h"

namespace {

using sprawl::model::Confidence;
using sprawl::model::Finding;
using sprawl::model::Kind;
using sprawl::model::ValidationStatus;
namespace offline = sprawl::verifier::offline;

std::mt19937_64& rng() {
  static std::mt19937_64 engine(Catch::rngSeed());
  return engine;
}

std::string random_base62(std::size_t n) {
  std::uniform_int_distribution<std::size_t> pick(0, 61);
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += offline::kBase62Alphabet[pick(rng())];
  return out;
}

std::string random_bytes(std::size_t n) {
  std::uniform_int_distribution<int> pick(0, 255);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(pick(rng()));
  return out;
}

// The same string with the character at index replaced by another base62
// character.
std::string flip(std::string text, std::size_t index) {
  text[index] = text[index] == 'a' ? 'b' : 'a';
  return text;
}

Finding make_finding(std::string secret, Kind kind = Kind::kApiKey) {
  Finding finding;
  finding.rule_id = "test-rule";
  finding.kind = kind;
  finding.confidence = Confidence::kHigh;
  finding.secret = std::move(secret);
  return finding;
}

Finding validated(std::string secret, Kind kind = Kind::kApiKey) {
  Finding finding = make_finding(std::move(secret), kind);
  sprawl::verifier::validate(finding);
  return finding;
}

std::string decoded(const Finding& finding, std::string_view key) {
  for (const auto& [k, v] : finding.validation.decoded)
    if (k == key) return v;
  return "<absent>";
}

std::string github_token(std::string_view prefix) {
  std::string random = random_base62(30);
  return std::string(prefix) + random +
         offline::base62_encode(offline::crc32(random), 6);
}

void require_invalid_and_lowered(const Finding& finding) {
  REQUIRE(finding.validation.status == ValidationStatus::kInvalid);
  REQUIRE(finding.confidence == Confidence::kMedium);
  REQUIRE_FALSE(finding.secret.empty());
}

}  // namespace

TEST_CASE("Codecs round-trip and match known values", "[validator]") {
  REQUIRE(offline::crc32("123456789") == 0xCBF43926u);
  REQUIRE(offline::base62_encode(61, 3) == "00z");
  REQUIRE(offline::base62_decode("00z") == 61u);
  REQUIRE(offline::base36_encode(35 * 36 + 1, 7) == "00000z1");
  REQUIRE(offline::base36_decode("Z1") == 35u * 36 + 1);
  REQUIRE_FALSE(offline::base62_decode("ab-c"));
  REQUIRE_FALSE(offline::base62_decode("zzzzzzzzzzzzzzzzzzzzzzzzzz"));
  REQUIRE(offline::base32_decode("MZXW6YQ") == std::string("foob"));
  REQUIRE_FALSE(offline::base32_decode("MZXW1"));
  REQUIRE(offline::hex_decode("DeadBeef") == 0xdeadbeefu);
  for (std::size_t n = 0; n < 20; ++n) {
    std::string bytes = random_bytes(n);
    REQUIRE(offline::base64_decode(offline::base64url_encode(bytes)) == bytes);
    REQUIRE(offline::base64_decode(offline::base64_encode(bytes)) == bytes);
  }
  REQUIRE_FALSE(offline::base64_decode("abcde"));
  REQUIRE_FALSE(offline::base64_decode("ab=c"));
}

TEST_CASE("GitHub tokens with a correct CRC32 are valid", "[validator]") {
  for (std::string_view prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    for (int i = 0; i < 20; ++i) {
      Finding finding = validated(github_token(prefix));
      REQUIRE(finding.validation.status == ValidationStatus::kValid);
      REQUIRE(finding.confidence == Confidence::kHigh);
    }
  }
  REQUIRE(decoded(validated(github_token("ghp_")), "github.token_type") ==
          "personal-access-token");
  REQUIRE(decoded(validated(github_token("ghs_")), "github.token_type") ==
          "server-to-server");
}

TEST_CASE("A GitHub token with one changed character is invalid but kept",
          "[validator]") {
  std::string token = github_token("ghp_");
  SECTION("in the random part") {
    Finding finding = validated(flip(token, 10));
    require_invalid_and_lowered(finding);
    REQUIRE(finding.validation.detail == "crc32 mismatch");
  }
  SECTION("in the checksum") {
    require_invalid_and_lowered(validated(flip(token, 38)));
  }
  SECTION("wrong length") {
    Finding finding = validated(token.substr(0, 39));
    require_invalid_and_lowered(finding);
    REQUIRE(finding.validation.detail.starts_with("malformed"));
  }
}

TEST_CASE("Fine-grained GitHub tokens are shape-checked but unchecked",
          "[validator]") {
  std::string token =
      "github_pat_" + random_base62(22) + "_" + random_base62(59);
  Finding finding = validated(token);
  REQUIRE(finding.validation.status == ValidationStatus::kUnchecked);
  REQUIRE(decoded(finding, "github.token_type") == "fine-grained-personal");
  require_invalid_and_lowered(validated(token.substr(0, 60)));
}

TEST_CASE("npm tokens: a checksum failure says npm checksums are unreliable",
          "[validator]") {
  std::string random = random_base62(30);
  std::string token =
      "npm_" + random + offline::base62_encode(offline::crc32(random), 6);
  REQUIRE(validated(token).validation.status == ValidationStatus::kValid);

  Finding finding = validated(flip(token, 8));
  require_invalid_and_lowered(finding);
  REQUIRE(finding.validation.detail ==
          "npm checksum mismatch (npm checksums are not reliable)");
}

TEST_CASE("Cloudflare tokens carry a hex CRC32 of their 40 characters",
          "[validator]") {
  std::string random = random_base62(40);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", offline::crc32(random));
  for (std::string_view prefix : {"cfk_", "cfut_", "cfat_"}) {
    std::string token = std::string(prefix) + random + hex;
    Finding finding = validated(token);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    require_invalid_and_lowered(validated(flip(token, prefix.size() + 3)));
  }
  REQUIRE(decoded(validated("cfut_" + random + hex), "cloudflare.token_type") ==
          "user-api-token");
  REQUIRE(validated("cfat_" + random + "zzzzzzzz").validation.detail ==
          "malformed: checksum not hex");
}

namespace {

// Builds a routable GitLab token as the design document describes:
// prefix + base64url(routing + random + len) + [.version] + .len + crc.
std::string gitlab_routable(std::string_view prefix, std::string_view routing,
                            std::string_view version) {
  std::string random = random_bytes(16);
  std::string payload = offline::base64url_encode(
      std::string(routing) + random + static_cast<char>(random.size()));
  std::string token = std::string(prefix) + payload + ".";
  if (!version.empty()) token += std::string(version) + ".";
  token += offline::base36_encode(payload.size(), 2);
  return token + offline::base36_encode(offline::crc32(token), 7);
}

}  // namespace

TEST_CASE("GitLab routable tokens have their CRC32 and routing decoded",
          "[validator]") {
  std::string token = gitlab_routable("glpat-", "c:1\no:2\nu:3f", "01");
  Finding finding = validated(token);
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "gitlab.version") == "01");
  REQUIRE(decoded(finding, "gitlab.cell_id") == "1");
  REQUIRE(decoded(finding, "gitlab.organization_id") == "2");
  REQUIRE(decoded(finding, "gitlab.user_id") == "123");

  SECTION("the unversioned 2024 form") {
    Finding old = validated(gitlab_routable("glrt-", "o:1\np:a", ""));
    REQUIRE(old.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(old, "gitlab.project_id") == "10");
  }
  SECTION("one changed character") {
    Finding bad = validated(flip(token, 12));
    require_invalid_and_lowered(bad);
    REQUIRE(bad.validation.detail == "crc32 mismatch");
  }
  SECTION("a wrong payload length holder") {
    std::string cut = token;
    cut.erase(8, 4);
    require_invalid_and_lowered(validated(cut));
  }
}

TEST_CASE("GitLab's documented minimum-length example verifies",
          "[validator]") {
  // The unprefixed 37-byte example of the routable-token design document
  // (routing "o:1"), a documentation sample rather than a credential.
  Finding finding = make_finding("bzoxd_Rb5_cHeWe1JH56wr2FCBA.0r1pum4t4");
  sprawl::verifier::detail::check_gitlab(finding, finding.secret);
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "gitlab.organization_id") == "1");
}

TEST_CASE("GitLab runner tokens with a partition before the payload verify",
          "[validator]") {
  // Random bytes first, as current generators write them.
  std::string random = random_bytes(16);
  std::string payload = offline::base64url_encode(random + "c:1\ng:8\no:rz" +
                                                  static_cast<char>(16));
  std::string token =
      "glrt-t1_" + payload + ".01." + offline::base36_encode(payload.size(), 2);
  token += offline::base36_encode(offline::crc32(token), 7);
  Finding finding = validated(token);
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "gitlab.prefix") == "glrt-");
  REQUIRE(decoded(finding, "gitlab.group_id") == "8");
  REQUIRE(decoded(finding, "gitlab.organization_id") == "1007");
}

TEST_CASE("GitLab's own decoder test vector verifies", "[validator]") {
  // The routable runner-registration token of GitLab's public decoder spec
  // (a test fixture, not a credential): payload c:1, g:8, o:rz, t:2.
  Finding finding = validated(
      "glrtr-W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ.01.181uebm4k");
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "gitlab.organization_id") == "1007");
  REQUIRE(decoded(finding, "gitlab.runner_type") == "2");
  require_invalid_and_lowered(validated(
      "glrtr-W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ.01.181uebm4l"));
}

TEST_CASE("Classic 20-character GitLab tokens have no checksum to check",
          "[validator]") {
  Finding finding = validated("glpat-" + random_base62(20));
  REQUIRE(finding.validation.status == ValidationStatus::kUnchecked);
  REQUIRE(finding.confidence == Confidence::kHigh);
  REQUIRE(decoded(finding, "gitlab.prefix") == "glpat-");
}

TEST_CASE("AWS key ids decode to their account and key type", "[validator]") {
  Finding finding = validated("ASIAY34FZKBOKMUTVV7A", Kind::kCloudAccessKey);
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "aws.account_id") == "609629065308");
  REQUIRE(decoded(finding, "aws.key_type") == "temporary");

  SECTION("a key pair finding reads the id from its captures") {
    Finding pair =
        make_finding(random_base62(38) + "/+", Kind::kCloudAccessKey);
    pair.captures.emplace_back("id", "AKIAY34FZKBOKMUTVV7A");
    sprawl::verifier::validate(pair);
    REQUIRE(pair.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(pair, "aws.key_type") == "long-term");
    REQUIRE(decoded(pair, "aws.account_id") == "609629065308");
  }
  SECTION("a key id with characters outside base32 is invalid") {
    require_invalid_and_lowered(
        validated("AKIA1234567890ABCDEF", Kind::kCloudAccessKey));
  }
  SECTION("a key id of the wrong length is invalid") {
    require_invalid_and_lowered(
        validated("AKIAY34FZKBOKMUTVV7", Kind::kCloudAccessKey));
  }
}

namespace {

std::string varint_field(int type, std::string_view data) {
  std::string out(1, static_cast<char>(type));
  std::size_t n = data.size();
  do {
    unsigned char byte = n & 0x7f;
    n >>= 7;
    out += static_cast<char>(n != 0 ? byte | 0x80 : byte);
  } while (n != 0);
  return out + std::string(data);
}

// A v2 binary macaroon: header section, caveat sections, signature.
std::string macaroon(std::string_view location,
                     const std::vector<std::string>& caveats) {
  std::string bytes(1, '\x02');
  bytes += varint_field(1, location);
  bytes += varint_field(2, "6b1c52a4-5e29-4f4e-9d2a-0c3c1d6b1f00");
  bytes += '\0';
  for (const std::string& caveat : caveats)
    bytes += varint_field(2, caveat) + '\0';
  bytes += '\0';
  bytes += varint_field(6, random_bytes(32));
  return bytes;
}

}  // namespace

TEST_CASE("PyPI tokens decode their macaroon location and caveats",
          "[validator]") {
  std::string caveat = std::string(200, 'x');  // a long caveat: 2-byte length
  std::string token = "pypi-" + offline::base64url_encode(macaroon(
                                    "pypi.org", {"[1,[\"demo\"]]", caveat}));
  REQUIRE(token.starts_with("pypi-AgEIcHlwaS5vcmc"));
  Finding finding = validated(token);
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "pypi.location") == "pypi.org");
  REQUIRE(decoded(finding, "pypi.identifier") ==
          "6b1c52a4-5e29-4f4e-9d2a-0c3c1d6b1f00");
  REQUIRE(decoded(finding, "pypi.caveat_count") == "2");
  REQUIRE(decoded(finding, "pypi.caveats").starts_with("[1,[\"demo\"]]; xx"));

  SECTION("test.pypi.org") {
    std::string test =
        "pypi-" + offline::base64url_encode(macaroon("test.pypi.org", {}));
    REQUIRE(test.starts_with("pypi-AgENdGVzdC5weXBpLm9yZw"));
    REQUIRE(decoded(validated(test), "pypi.location") == "test.pypi.org");
  }
  SECTION("a truncated macaroon is invalid") {
    require_invalid_and_lowered(validated(token.substr(0, token.size() - 10)));
  }
  SECTION("text that is not base64url is invalid") {
    require_invalid_and_lowered(validated("pypi-AgEIcHlwaS5vcmc$$$"));
  }
}

namespace {

std::string jwt(std::string_view header, std::string_view claims,
                std::string_view signature) {
  return offline::base64url_encode(header) + "." +
         offline::base64url_encode(claims) + "." + std::string(signature);
}

}  // namespace

TEST_CASE("JWTs have their header and claims decoded", "[validator]") {
  std::string signature = offline::base64url_encode(random_bytes(32));
  std::string token = jwt(R"({"alg":"HS256","typ":"JWT"})",
                          R"({"iss":"supabase","sub":"u-1","aud":["a","b"],)"
                          R"("exp":4102444800,"role":"service_role"})",
                          signature);
  Finding finding = validated(token, Kind::kJwt);
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "jwt.alg") == "HS256");
  REQUIRE(decoded(finding, "jwt.iss") == "supabase");
  REQUIRE(decoded(finding, "jwt.sub") == "u-1");
  REQUIRE(decoded(finding, "jwt.aud") == "a,b");
  REQUIRE(decoded(finding, "jwt.exp") == "2100-01-01T00:00:00Z");
  REQUIRE(decoded(finding, "jwt.expired") == "false");
  REQUIRE(decoded(finding, "jwt.role") == "service_role");

  SECTION("an expired token") {
    Finding old =
        validated(jwt(R"({"alg":"RS256"})",
                      R"({"exp":1000000000,"role":"anon"})", signature));
    REQUIRE(decoded(old, "jwt.exp") == "2001-09-09T01:46:40Z");
    REQUIRE(decoded(old, "jwt.expired") == "true");
    REQUIRE(decoded(old, "jwt.role") == "anon");
    CHECK(old.confidence == Confidence::kMedium);  // one step below high
  }
  SECTION("alg none is noted") {
    Finding none = validated(jwt(R"({"alg":"none"})", R"({"sub":"x"})", ""));
    REQUIRE(none.validation.status == ValidationStatus::kValid);
    REQUIRE(none.validation.detail.find("alg none") != std::string::npos);
  }
  SECTION("claims that are not JSON are invalid") {
    require_invalid_and_lowered(
        validated(jwt(R"({"alg":"HS256"})", "not json {", signature)));
  }
  SECTION("a one-part base64 JSON key of another kind is left alone") {
    Finding key = validated(offline::base64url_encode(R"({"k":"abc","n":"x"})"),
                            Kind::kApiKey);
    REQUIRE(key.validation.status == ValidationStatus::kUnchecked);
    REQUIRE(key.confidence == Confidence::kHigh);
  }
  SECTION("a JWT-kind secret that is not a JWT is invalid") {
    require_invalid_and_lowered(validated("abc.def", Kind::kJwt));
  }
}

TEST_CASE("Secrets with no offline check stay unchecked and unchanged",
          "[validator]") {
  Finding finding = validated("xoxb-" + random_base62(40));
  REQUIRE(finding.validation.status == ValidationStatus::kUnchecked);
  REQUIRE(finding.validation.decoded.empty());
  REQUIRE(finding.confidence == Confidence::kHigh);
}

TEST_CASE("Validating an invalid finding twice lowers confidence once",
          "[validator]") {
  Finding finding = make_finding(flip(github_token("ghp_"), 10));
  sprawl::verifier::validate(finding);
  sprawl::verifier::validate(finding);
  require_invalid_and_lowered(finding);
}

TEST_CASE("validate is safe to call from several threads", "[validator]") {
  std::vector<std::string> secrets = {
      github_token("ghp_"),
      jwt(R"({"alg":"HS256"})", R"({"sub":"s"})", "c2ln"),
      gitlab_routable("glpat-", "o:1", "01"),
      "ASIAY34FZKBOKMUTVV7A",
  };
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&secrets, &failures, t] {
      for (int i = 0; i < 200; ++i) {
        Finding finding = make_finding(secrets[(t + i) % secrets.size()]);
        sprawl::verifier::validate(finding);
        if (finding.validation.status != ValidationStatus::kValid)
          ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  REQUIRE(failures == std::vector<int>(4, 0));
}

TEST_CASE("Mutated and truncated secrets never throw", "[validator]") {
  std::string pem_like =
      "-----BEGIN OPENSSH PRIVATE KEY-----\\n" +
      offline::base64_encode(std::string("openssh-key-v1\0", 15) +
                             random_bytes(60)) +
      "\\n-----END OPENSSH PRIVATE KEY-----";
  std::vector<std::string> seeds = {
      github_token("ghp_"),
      gitlab_routable("glpat-", "c:1\no:2", "01"),
      "cfk_" + random_base62(48),
      "pypi-" + offline::base64url_encode(macaroon("pypi.org", {"c"})),
      jwt(R"({"alg":"HS256"})", R"({"exp":1e300,"aud":[1,"x"]})", "c2ln"),
      "ASIAY34FZKBOKMUTVV7A",
      pem_like,
      "PuTTY-User-Key-File-2: ssh-rsa\nPublic-Lines: 99\nAAAA\n",
      R"({"private_key":"-----BEGIN PRIVATE KEY-----\nAA==\n"})",
  };
  std::uniform_int_distribution<int> byte(0, 255);
  for (const std::string& seed : seeds) {
    for (int i = 0; i < 300; ++i) {
      std::string mutated = seed;
      std::uniform_int_distribution<std::size_t> at(0, mutated.size() - 1);
      if (i % 3 == 0)
        mutated.resize(at(rng()));
      else
        mutated[at(rng())] = static_cast<char>(byte(rng()));
      Finding finding =
          make_finding(mutated, i % 2 ? Kind::kJwt : Kind::kPrivateKey);
      REQUIRE_NOTHROW(sprawl::verifier::validate(finding));
    }
  }
}
