// Tests of offline validation for private-key material: PEM keys generated
// here with OpenSSL (plain and encrypted), OpenSSH and PuTTY files assembled
// byte by byte, truncated and placeholder blocks, GCP service-account JSON.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>

#include "sprawl/verifier/validator.h"
#include "verifier/offline_codec.h"

namespace {

using sprawl::model::Confidence;
using sprawl::model::Finding;
using sprawl::model::Kind;
using sprawl::model::ValidationStatus;
namespace offline = sprawl::verifier::offline;

std::string random_bytes(std::size_t n) {
  static std::mt19937_64 engine(Catch::rngSeed());
  std::uniform_int_distribution<int> pick(0, 255);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(pick(engine));
  return out;
}

Finding validated(std::string secret, Kind kind = Kind::kPrivateKey) {
  Finding finding;
  finding.rule_id = "private-key-test";
  finding.kind = kind;
  finding.confidence = Confidence::kHigh;
  finding.secret = std::move(secret);
  sprawl::verifier::validate(finding);
  return finding;
}

std::string decoded(const Finding& finding, std::string_view key) {
  for (const auto& [k, v] : finding.validation.decoded)
    if (k == key) return v;
  return "<absent>";
}

void require_invalid_and_lowered(const Finding& finding) {
  REQUIRE(finding.validation.status == ValidationStatus::kInvalid);
  REQUIRE(finding.confidence == Confidence::kMedium);
}

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Key generation is slow in debug builds; each key is made once per run.
EVP_PKEY* rsa_key() {
  static PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  return key.get();
}

EVP_PKEY* ec_key() {
  static PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  return key.get();
}

enum class Pem { kPkcs8, kTraditional };

std::string write_pem(EVP_PKEY* key, Pem format,
                      const EVP_CIPHER* cipher = nullptr) {
  BIO* bio = BIO_new(BIO_s_mem());
  static unsigned char pass[] = "correct horse";
  int ok =
      format == Pem::kPkcs8
          ? PEM_write_bio_PrivateKey(bio, key, cipher, cipher ? pass : nullptr,
                                     cipher ? 13 : 0, nullptr, nullptr)
          : PEM_write_bio_PrivateKey_traditional(
                bio, key, cipher, cipher ? pass : nullptr, cipher ? 13 : 0,
                nullptr, nullptr);
  REQUIRE(ok == 1);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return text;
}

std::string escape_newlines(std::string_view text) {
  std::string out = "\"";
  for (char c : text) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "\"";
}

}  // namespace

TEST_CASE("Generated PEM private keys parse with their type and size",
          "[validator]") {
  SECTION("RSA 2048, PKCS#8") {
    Finding finding = validated(write_pem(rsa_key(), Pem::kPkcs8));
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.type") == "rsa");
    REQUIRE(decoded(finding, "key.bits") == "2048");
    REQUIRE(decoded(finding, "key.encrypted") == "false");
    REQUIRE(finding.confidence == Confidence::kHigh);
  }
  SECTION("RSA 2048, traditional") {
    std::string pem = write_pem(rsa_key(), Pem::kTraditional);
    REQUIRE(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    Finding finding = validated(pem);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.bits") == "2048");
  }
  SECTION("EC key after an EC PARAMETERS block") {
    std::string pem =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
        "-----END EC PARAMETERS-----\n" +
        write_pem(ec_key(), Pem::kTraditional);
    Finding finding = validated(pem);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.curve") == "prime256v1");
  }
  SECTION("EC P-256") {
    Finding finding = validated(write_pem(ec_key(), Pem::kPkcs8));
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.type") == "ec");
    REQUIRE(decoded(finding, "key.bits") == "256");
    REQUIRE(decoded(finding, "key.curve") == "prime256v1");
  }
}

TEST_CASE("Encrypted PEM keys are detected without a passphrase prompt",
          "[validator]") {
  SECTION("encrypted PKCS#8") {
    std::string pem = write_pem(rsa_key(), Pem::kPkcs8, EVP_aes_256_cbc());
    REQUIRE(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    Finding finding = validated(pem);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.encrypted") == "true");
    REQUIRE(decoded(finding, "key.encryption") == "PBES2");
  }
  SECTION("traditional Proc-Type: 4,ENCRYPTED") {
    std::string pem = write_pem(ec_key(), Pem::kTraditional, EVP_aes_128_cbc());
    REQUIRE(pem.find("Proc-Type: 4,ENCRYPTED") != std::string::npos);
    Finding finding = validated(pem);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.encrypted") == "true");
    REQUIRE(decoded(finding, "key.type") == "ec");
    REQUIRE(decoded(finding, "key.encryption") == "AES-128-CBC");
  }
}

TEST_CASE("PEM keys escaped or flattened into one line still parse",
          "[validator]") {
  std::string pem = write_pem(ec_key(), Pem::kPkcs8);
  SECTION("\\n escapes inside quotes, as in JSON or .env") {
    Finding finding = validated(escape_newlines(pem));
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "key.type") == "ec");
  }
  SECTION("newlines replaced by spaces") {
    std::string flat = pem;
    for (char& c : flat) c = c == '\n' ? ' ' : c;
    REQUIRE(validated(flat).validation.status == ValidationStatus::kValid);
  }
}

TEST_CASE("Broken PEM blocks are invalid but kept", "[validator]") {
  std::string pem = write_pem(rsa_key(), Pem::kTraditional);
  SECTION("cut before the END line") {
    Finding finding = validated(pem.substr(0, pem.size() / 2));
    require_invalid_and_lowered(finding);
    REQUIRE(finding.validation.detail == "truncated: no END line");
  }
  SECTION("lines missing from the middle of the body") {
    std::string cut = pem;
    cut.erase(200, 325);
    require_invalid_and_lowered(validated(cut));
  }
  SECTION("a placeholder body") {
    Finding finding = validated(
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----");
    require_invalid_and_lowered(finding);
    REQUIRE(finding.validation.detail == "placeholder or corrupt key body");
  }
  SECTION("a body of repeated characters") {
    require_invalid_and_lowered(
        validated("-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAA\n"
                  "-----END PRIVATE KEY-----"));
  }
}

TEST_CASE("PGP private key blocks are left unchecked, not judged as PEM",
          "[validator]") {
  Finding finding = validated(
      "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: test\n\n"
      "lQOYBF0AAAAB\n=ab12\n-----END PGP PRIVATE KEY BLOCK-----");
  REQUIRE(finding.validation.status == ValidationStatus::kUnchecked);
  REQUIRE(finding.confidence == Confidence::kHigh);
}

namespace {

std::string u32(uint32_t value) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8)
    out += static_cast<char>((value >> shift) & 0xff);
  return out;
}

std::string ssh_string(std::string_view data) {
  return u32(static_cast<uint32_t>(data.size())) + std::string(data);
}

struct OpensshSpec {
  std::string cipher = "none";
  std::string kdf = "none";
  uint32_t check2_delta = 0;  ///< nonzero makes the check integers differ
  std::string magic = std::string("openssh-key-v1\0", 15);
};

// openssh-key-v1: magic, cipher, kdf, kdf options, key count, public key
// blob, private section (check integers, key, comment, padding).
std::string openssh_key(const OpensshSpec& spec) {
  std::string public_key = random_bytes(32);
  std::string blob = ssh_string("ssh-ed25519") + ssh_string(public_key);
  uint32_t check = 0x12345678;
  std::string secret = u32(check) + u32(check + spec.check2_delta) + blob +
                       ssh_string(random_bytes(32) + public_key) +
                       ssh_string("");
  for (char pad = 1; secret.size() % 8 != 0; ++pad) secret += pad;
  std::string bytes = spec.magic + ssh_string(spec.cipher) +
                      ssh_string(spec.kdf) + ssh_string("") + u32(1) +
                      ssh_string(blob) + ssh_string(secret);
  std::string body = offline::base64_encode(bytes);
  std::string pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
  for (std::size_t i = 0; i < body.size(); i += 70)
    pem += body.substr(i, 70) + "\n";
  return pem + "-----END OPENSSH PRIVATE KEY-----\n";
}

}  // namespace

TEST_CASE("OpenSSH keys report type, cipher and key count", "[validator]") {
  Finding finding = validated(openssh_key({}));
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "key.format") == "openssh");
  REQUIRE(decoded(finding, "key.type") == "ssh-ed25519");
  REQUIRE(decoded(finding, "key.bits") == "256");
  REQUIRE(decoded(finding, "key.cipher") == "none");
  REQUIRE(decoded(finding, "key.kdf") == "none");
  REQUIRE(decoded(finding, "key.count") == "1");
  REQUIRE(decoded(finding, "key.encrypted") == "false");

  SECTION("an encrypted key") {
    OpensshSpec spec;
    spec.cipher = "aes256-ctr";
    spec.kdf = "bcrypt";
    Finding encrypted = validated(openssh_key(spec));
    REQUIRE(encrypted.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(encrypted, "key.encrypted") == "true");
  }
  SECTION("a wrong magic") {
    OpensshSpec spec;
    spec.magic = std::string("openssh-key-v2\0", 15);
    require_invalid_and_lowered(validated(openssh_key(spec)));
  }
  SECTION("check integers that differ") {
    OpensshSpec spec;
    spec.check2_delta = 1;
    require_invalid_and_lowered(validated(openssh_key(spec)));
  }
  SECTION("a body that does not decode") {
    require_invalid_and_lowered(
        validated("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn*\n"
                  "-----END OPENSSH PRIVATE KEY-----"));
  }
  SECTION("a body cut short") {
    std::string key = openssh_key({});
    std::size_t body = key.find('\n') + 1;
    key.erase(body + 71, key.rfind("-----END") - body - 71);
    require_invalid_and_lowered(validated(key));
  }
}

namespace {

std::string putty_key(bool with_private, std::string_view encryption = "none") {
  std::string blob = ssh_string("ssh-ed25519") + ssh_string(random_bytes(32));
  std::string body = offline::base64_encode(blob);
  std::string text = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: " +
                     std::string(encryption) +
                     "\nComment: test key\nPublic-Lines: 2\n" +
                     body.substr(0, 40) + "\n" + body.substr(40) + "\n";
  if (with_private)
    text += "Private-Lines: 1\n" +
            offline::base64_encode(ssh_string(random_bytes(32))) +
            "\nPrivate-MAC: " + std::string(64, 'a') + "\n";
  return text;
}

}  // namespace

TEST_CASE("PuTTY key files report type and encryption", "[validator]") {
  Finding finding = validated(putty_key(true));
  REQUIRE(finding.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(finding, "key.format") == "putty-v3");
  REQUIRE(decoded(finding, "key.type") == "ssh-ed25519");
  REQUIRE(decoded(finding, "key.encryption") == "none");
  REQUIRE(decoded(finding, "key.encrypted") == "false");
  require_invalid_and_lowered(validated(putty_key(false)));

  Finding encrypted = validated(putty_key(true, "aes256-cbc"));
  REQUIRE(encrypted.validation.status == ValidationStatus::kValid);
  REQUIRE(decoded(encrypted, "key.encrypted") == "true");
}

TEST_CASE("GCP service-account keys report the service account",
          "[validator]") {
  std::string pem = write_pem(rsa_key(), Pem::kPkcs8);
  std::string escaped = escape_newlines(pem);
  auto account_json = [&](std::string_view email) {
    return R"({"type":"service_account","project_id":"demo-proj",)"
           R"("private_key_id":")" +
           std::string(40, 'a') + R"(","private_key":)" + escaped +
           R"(,"client_email":")" + std::string(email) + R"("})";
  };

  SECTION("the whole JSON as the secret") {
    Finding finding =
        validated(account_json("svc@demo-proj.iam.gserviceaccount.com"),
                  Kind::kServiceAccountKey);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "gcp.client_email") ==
            "svc@demo-proj.iam.gserviceaccount.com");
    REQUIRE(decoded(finding, "gcp.project_id") == "demo-proj");
    REQUIRE(decoded(finding, "key.bits") == "2048");
  }
  SECTION("a client_email of another project") {
    Finding finding =
        validated(account_json("svc@other.iam.gserviceaccount.com"),
                  Kind::kServiceAccountKey);
    require_invalid_and_lowered(finding);
  }
  SECTION("the escaped PEM as the secret, email in the captures") {
    Finding finding;
    finding.kind = Kind::kServiceAccountKey;
    finding.provider = "gcp";
    // As the rule captures it: inside the JSON quotes, \n escaped.
    finding.secret = escaped.substr(1, escaped.size() - 2);
    finding.captures.emplace_back("id",
                                  "svc@demo-proj.iam.gserviceaccount.com");
    sprawl::verifier::validate(finding);
    REQUIRE(finding.validation.status == ValidationStatus::kValid);
    REQUIRE(decoded(finding, "gcp.client_email") ==
            "svc@demo-proj.iam.gserviceaccount.com");
  }
}
