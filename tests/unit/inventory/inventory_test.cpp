// Tests of the inventory: grouping into identities, classification, owner
// decoding, lifetime, the risk formula and remediation hints.
#include <catch2/catch.hpp>
#include <filesystem>

#include "sprawl/inventory/inventory.h"
#include "sprawl/store/sqlite_store.h"
#include "unit/inventory/sample_findings.h"

namespace fs = std::filesystem;
using namespace sprawl;
using namespace sprawl::testing;
using inventory::Lifetime;
using inventory::TiedTo;

namespace {

constexpr int64_t kNow = 1735689600;  // 2025-01-01T00:00:00Z

std::vector<store::Sighting> as_sightings(
    const std::vector<model::Finding>& findings, int64_t scan = 1) {
  std::vector<store::Sighting> out;
  for (const auto& f : findings) out.push_back({f, "", scan});
  return out;
}

inventory::Inventory build(const std::vector<model::Finding>& findings) {
  inventory::InventoryOptions options;
  options.now_s = kNow;
  return inventory::build_inventory(as_sightings(findings), options);
}

model::Finding token(const std::string& rule, const std::string& provider,
                     model::Kind kind, const std::string& secret) {
  return in_git(base_finding(rule, provider, kind, secret), "app.env", 1,
                "c0ffee", 1700000000);
}

struct TempStore {
  fs::path dir;
  std::unique_ptr<store::SqliteStore> store;
  TempStore() {
    std::string pattern =
        (fs::temp_directory_path() / "sprawl-inv-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    store = std::move(*store::SqliteStore::open((dir / "s.db").string()));
  }
  ~TempStore() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("One secret in three sources and several commits is one identity",
          "[inventory]") {
  auto f = base_finding("github-pat", "github", model::Kind::kAccessToken,
                        fake_secret("ghp_", 40, 11));
  std::vector<model::Finding> findings = {
      in_git(f, "config/app.env", 4, "aaa111", 1690000000, "false"),
      in_git(f, "config/app.env", 4, "bbb222", 1695000000, "true"),
      in_git(f, "scripts/deploy.sh", 9, "ccc333", 1696000000),
      in_slack(f, "deploys", "1704196800.000100"),
      in_jira(f, "OPS-12", "2024-01-03T10:00:00.000+0000")};

  SECTION("in memory") {
    auto inv = build(findings);
    REQUIRE(inv.identities.size() == 1);
    const auto& id = inv.identities.front();
    CHECK(id.exposures.size() == 5);
    CHECK(id.source_kinds == 3);
    CHECK(id.first_seen == 1690000000);
    CHECK(id.last_seen == 1704276000);
    CHECK(id.at_head == std::optional<bool>(true));
    CHECK(id.exposures.front().place.commit == "aaa111");
    CHECK(id.exposures.back().place.issue == "OPS-12");
    CHECK(id.secret == store::redact_secret(f.secret));
  }
  SECTION("through the store, one source per scan") {
    TempStore t;
    for (const auto& batch :
         {std::vector<model::Finding>{findings[0], findings[1], findings[2]},
          std::vector<model::Finding>{findings[3]},
          std::vector<model::Finding>{findings[4]}}) {
      auto scan = t.store->begin_scan({});
      REQUIRE(t.store->record_findings(*scan, as_sightings(batch, 0)));
      REQUIRE(t.store->finish_scan(*scan, {}));
    }
    auto sightings = t.store->sightings();
    REQUIRE(sightings.has_value());
    inventory::InventoryOptions options;
    options.now_s = kNow;
    auto inv = inventory::build_inventory(*sightings, options);
    REQUIRE(inv.identities.size() == 1);
    const auto& id = inv.identities.front();
    CHECK(id.exposures.size() == 5);
    CHECK(id.source_kinds == 3);
    CHECK(id.first_scan == 1);
    CHECK(id.last_scan == 3);
    CHECK(id.key == t.store->identity_key("github", f.secret));
    CHECK(id.secret == store::redact_secret(f.secret));
  }
}

TEST_CASE("Two different secrets of the same rule are two identities",
          "[inventory]") {
  auto a = token("github-pat", "github", model::Kind::kAccessToken,
                 fake_secret("ghp_", 40, 1));
  auto b = token("github-pat", "github", model::Kind::kAccessToken,
                 fake_secret("ghp_", 40, 2));
  auto inv = build({a, b, a});
  REQUIRE(inv.identities.size() == 2);
  CHECK(inv.identities[0].exposures.size() == 1);
  CHECK(inv.identities[1].exposures.size() == 1);
  CHECK(inv.identities[0].key != inv.identities[1].key);
}

TEST_CASE("Identities are classified as tied to a person or a machine",
          "[inventory]") {
  struct Case {
    std::string rule, provider;
    model::Kind kind;
    std::string secret;
    TiedTo tied;
    Lifetime life;
  };
  using K = model::Kind;
  // clang-format off
  std::vector<Case> cases = {
    {"github-pat", "github", K::kAccessToken, fake_secret("ghp_", 40, 1), TiedTo::kPerson, Lifetime::kStanding},
    {"github-fine-grained", "github", K::kAccessToken, fake_secret("github_pat_", 93, 1), TiedTo::kPerson, Lifetime::kStanding},
    {"github-app", "github", K::kAccessToken, fake_secret("ghs_", 40, 1), TiedTo::kMachine, Lifetime::kShortLived},
    {"github-user", "github", K::kAccessToken, fake_secret("ghu_", 40, 1), TiedTo::kPerson, Lifetime::kShortLived},
    {"slack-user-token", "slack", K::kAccessToken, fake_secret("xoxp-", 60, 1), TiedTo::kPerson, Lifetime::kStanding},
    {"slack-bot-token", "slack", K::kBotToken, fake_secret("xoxb-", 60, 1), TiedTo::kMachine, Lifetime::kStanding},
    {"slack-rotating", "slack", K::kAccessToken, fake_secret("xoxe.xoxp-", 140, 1), TiedTo::kPerson, Lifetime::kShortLived},
    {"slack-rotating", "slack", K::kBotToken, fake_secret("xoxe.xoxb-", 140, 1), TiedTo::kMachine, Lifetime::kShortLived},
    {"slack-webhook", "slack", K::kWebhookUrl, "https://hooks.slack.com/services/T000/B000/" + fake_secret("", 24, 1), TiedTo::kMachine, Lifetime::kStanding},
    {"gitlab-pat", "gitlab", K::kAccessToken, fake_secret("glpat-", 26, 1), TiedTo::kPerson, Lifetime::kStanding},
    {"gitlab-deploy-token", "gitlab", K::kAccessToken, fake_secret("gldt-", 26, 1), TiedTo::kMachine, Lifetime::kStanding},
    {"gitlab-ci-build-token", "gitlab", K::kAccessToken, fake_secret("glcbt-", 30, 1), TiedTo::kMachine, Lifetime::kShortLived},
    {"aws-access-key", "aws", K::kCloudAccessKey, fake_secret("AKIA", 20, 1), TiedTo::kMachine, Lifetime::kStanding},
    {"aws-session", "aws", K::kCloudAccessKey, fake_secret("ASIA", 20, 1), TiedTo::kUnknown, Lifetime::kShortLived},
    {"gcp-service-account", "google", K::kServiceAccountKey, "-----BEGIN PRIVATE KEY-----fakefakefake", TiedTo::kMachine, Lifetime::kStanding},
    {"ssh-private-key", "ssh", K::kPrivateKey, "-----BEGIN OPENSSH PRIVATE KEY-----fake", TiedTo::kMachine, Lifetime::kStanding},
    {"postgres-url", "postgres", K::kDatabaseCredential, "postgres://app:pw@db/x", TiedTo::kMachine, Lifetime::kStanding},
    {"npm-token", "npm", K::kAccessToken, fake_secret("npm_", 40, 1), TiedTo::kPerson, Lifetime::kStanding},
    {"stripe-secret", "stripe", K::kApiKey, fake_secret("sk_live_", 40, 1), TiedTo::kMachine, Lifetime::kStanding},
    {"generic-password", "generic", K::kPassword, "hunter2hunter2", TiedTo::kUnknown, Lifetime::kStanding},
    {"generic-api-key", "generic", K::kGenericSecret, fake_secret("", 32, 1), TiedTo::kUnknown, Lifetime::kUnknown},
    {"circleci-personal-token", "circleci", K::kAccessToken, fake_secret("", 40, 2), TiedTo::kPerson, Lifetime::kUnknown},
    {"buildkite-agent-ci-token", "buildkite", K::kAccessToken, fake_secret("", 40, 3), TiedTo::kMachine, Lifetime::kUnknown},
  };
  // clang-format on
  for (const Case& c : cases) {
    INFO(c.rule << " " << c.secret.substr(0, 10));
    auto f = token(c.rule, c.provider, c.kind, c.secret);
    auto got = inventory::classify(f, kNow);
    CHECK(got.tied_to == c.tied);
    CHECK(got.lifetime == c.life);
    CHECK_FALSE(got.tied_to_reason.empty());
    // The redacted form the store hands back classifies the same way.
    f.secret = store::redact_secret(c.secret);
    auto redacted = inventory::classify(f, kNow);
    CHECK(redacted.tied_to == c.tied);
    CHECK(redacted.lifetime == c.life);
  }
}

TEST_CASE("Lifetime follows what was decoded and verified", "[inventory]") {
  auto jwt = token("jwt", "jwt", model::Kind::kJwt, "eyJhbGciOiJIUzI1NiJ9.e30.x");
  SECTION("a JWT expiring within 30 days is short-lived") {
    jwt.validation.decoded = {{"jwt.exp", "2025-01-10T00:00:00Z"},
                              {"jwt.expired", "false"}};
    CHECK(inventory::classify(jwt, kNow).lifetime == Lifetime::kShortLived);
  }
  SECTION("an expired JWT is short-lived") {
    jwt.validation.decoded = {{"jwt.exp", "2020-01-01T00:00:00Z"},
                              {"jwt.expired", "true"}};
    auto c = inventory::classify(jwt, kNow);
    CHECK(c.lifetime == Lifetime::kShortLived);
    CHECK(c.lifetime_reason == "JWT expired");
  }
  SECTION("a JWT valid for years is standing") {
    jwt.validation.decoded = {{"jwt.exp", "2035-01-01T00:00:00Z"},
                              {"jwt.role", "service_role"}};
    auto c = inventory::classify(jwt, kNow);
    CHECK(c.lifetime == Lifetime::kStanding);
    CHECK(c.tied_to == TiedTo::kMachine);
  }
  SECTION("a JWT without exp is standing; a subject address is a person") {
    jwt.validation.decoded = {{"jwt.sub", "alice@example.test"}};
    auto c = inventory::classify(jwt, kNow);
    CHECK(c.lifetime == Lifetime::kStanding);
    CHECK(c.tied_to == TiedTo::kPerson);
  }
  SECTION("AWS key type decoded offline decides") {
    auto aws = token("aws-secret", "aws", model::Kind::kCloudAccessKey,
                     fake_secret("", 40, 5));
    aws.captures = {{"id", "ASIAY34FZKBOKMUTVV7A"}};
    CHECK(inventory::classify(aws, kNow).lifetime == Lifetime::kShortLived);
    aws.captures = {{"id", "AKIAY34FZKBOKMUTVV7A"}};
    CHECK(inventory::classify(aws, kNow).lifetime == Lifetime::kStanding);
    aws.validation.decoded = {{"aws.key_type", "temporary"}};
    CHECK(inventory::classify(aws, kNow).lifetime == Lifetime::kShortLived);
  }
  SECTION("a root ARN is tied to a person") {
    auto aws = token("aws-access-key", "aws", model::Kind::kCloudAccessKey,
                     fake_secret("AKIA", 20, 6));
    aws.verification.identity = {{"arn", "arn:aws:iam::123456789012:root"}};
    CHECK(inventory::classify(aws, kNow).tied_to == TiedTo::kPerson);
  }
  SECTION("a provider expiry within 30 days is short-lived") {
    auto gh = token("github-pat", "github", model::Kind::kAccessToken,
                    fake_secret("ghp_", 40, 7));
    gh.verification.expiry = "2025-01-05T00:00:00Z";
    CHECK(inventory::classify(gh, kNow).lifetime == Lifetime::kShortLived);
  }
}

TEST_CASE("Owners are decoded from validation, verification and captures",
          "[inventory]") {
  auto aws = token("aws-access-key", "aws", model::Kind::kCloudAccessKey,
                   fake_secret("AKIA", 20, 1));
  aws.validation.decoded = {{"aws.account_id", "609629065308"},
                            {"aws.key_type", "long-term"}};
  auto fields = inventory::owner_fields(aws);
  CHECK(fields == std::vector<std::pair<std::string, std::string>>{
                      {"aws.account_id", "609629065308"}});
  CHECK(inventory::owner_summary(fields) == "account_id: 609629065308");
  aws.verification.identity = {{"arn", "arn:aws:iam::609629065308:user/ci"},
                               {"account", "609629065308"}};
  CHECK(inventory::owner_summary(inventory::owner_fields(aws)) ==
        "arn: arn:aws:iam::609629065308:user/ci");

  auto gh = token("github-pat", "github", model::Kind::kAccessToken,
                  fake_secret("ghp_", 40, 1));
  gh.verification.identity = {{"login", "octo-dev"}, {"id", "42"}};
  CHECK(inventory::owner_summary(inventory::owner_fields(gh)) ==
        "login: octo-dev");

  auto slack = token("slack-bot-token", "slack", model::Kind::kBotToken,
                     fake_secret("xoxb-", 60, 1));
  slack.verification.identity = {{"team", "Example Co"},
                                 {"user", "deploy-bot"},
                                 {"bot_id", "B0123"}};
  CHECK(inventory::owner_summary(inventory::owner_fields(slack)) ==
        "bot_id: B0123 (team Example Co)");

  auto gcp = token("gcp-service-account", "google",
                   model::Kind::kServiceAccountKey, "-----BEGIN PRIVATE");
  gcp.validation.decoded = {
      {"gcp.client_email", "ci@proj-1.iam.gserviceaccount.com"},
      {"gcp.project_id", "proj-1"}};
  CHECK(inventory::owner_summary(inventory::owner_fields(gcp)) ==
        "client_email: ci@proj-1.iam.gserviceaccount.com");

  auto jwt = token("jwt", "jwt", model::Kind::kJwt, "eyJ.e30.x");
  jwt.validation.decoded = {{"jwt.sub", "svc-billing"},
                            {"jwt.iss", "https://auth.example.test"},
                            {"jwt.alg", "HS256"}};
  auto jf = inventory::owner_fields(jwt);
  CHECK(jf.size() == 2);
  CHECK(inventory::owner_summary(jf) == "sub: svc-billing");

  auto inv = build({gh});
  CHECK(inv.identities.front().owner == "login: octo-dev");
}

TEST_CASE("The risk score follows the documented formula", "[inventory]") {
  inventory::RiskFactors f{1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  CHECK(inventory::risk_score(f) == 100);
  f = {0.1, 1.0, 1.0, 1.0, 1.0, 1.0};
  CHECK(inventory::risk_score(f) == 10);
  f = {0.6, 0.8, 1.0, 0.1, 0.5, 0.7};
  // 100 × 0.6 × (0.24 + 0.20 + 0.02 + 0.075 + 0.105) = 38.4 -> 38
  CHECK(inventory::risk_score(f) == 38);

  SECTION("factors of a built identity") {
    auto f1 = base_finding("aws-access-key", "aws",
                           model::Kind::kCloudAccessKey,
                           fake_secret("AKIA", 20, 3));
    f1.verification.status = model::VerificationStatus::kLive;
    auto inv = build({in_git(f1, "a.env", 1, "c1", kNow - 365 * 86400, "true"),
                      in_slack(f1, "general", std::to_string(kNow - 86400))});
    const auto& id = inv.identities.front();
    CHECK(id.factors.live == 1.0);
    CHECK(id.factors.privilege == 1.0);
    CHECK(id.factors.standing == 1.0);
    CHECK(id.factors.breadth == Approx(0.4));  // (2 + 2×1) / 10
    CHECK(id.factors.age == Approx(1.0));
    CHECK(id.factors.place == Approx(0.8));    // internal git at HEAD
    CHECK(id.risk == 85);  // 100 × (0.30 + 0.20 + 0.08 + 0.15 + 0.12)
  }
  SECTION("revoked and expired credentials score low") {
    auto f2 = token("github-pat", "github", model::Kind::kAccessToken,
                    fake_secret("ghp_", 40, 4));
    f2.verification.status = model::VerificationStatus::kRevoked;
    auto live = f2;
    live.verification.status = model::VerificationStatus::kLive;
    live.secret = fake_secret("ghp_", 40, 5);
    auto inv = build({f2, live});
    REQUIRE(inv.identities.size() == 2);
    CHECK(inv.identities[0].status == model::VerificationStatus::kLive);
    CHECK(inv.identities[1].risk * 5 < inv.identities[0].risk);
  }
  SECTION("a DM is a more private place than a public channel") {
    auto f3 = token("slack-bot-token", "slack", model::Kind::kBotToken,
                    fake_secret("xoxb-", 60, 9));
    auto dm = build({in_slack(f3, "D0123ABCD9", "1704196800.1", "im")});
    auto pub = build({in_slack(f3, "general", "1704196800.1", "public")});
    CHECK(dm.identities[0].factors.place <
          pub.identities[0].factors.place);
  }
}

TEST_CASE("Remediation names where the provider's credential is rotated",
          "[inventory]") {
  CHECK(inventory::remediation_for("aws", model::Kind::kCloudAccessKey)
            .find("IAM") != std::string::npos);
  CHECK(inventory::remediation_for("GitHub", model::Kind::kAccessToken)
            .find("Developer settings") != std::string::npos);
  CHECK(inventory::remediation_for("slack", model::Kind::kBotToken)
            .find("api.slack.com") != std::string::npos);
  CHECK(inventory::remediation_for("unknown-co", model::Kind::kPrivateKey)
            .find("authorized_keys") != std::string::npos);
  CHECK(inventory::remediation_for("aws", model::Kind::kCloudAccessKey,
                                   "Use the rule's hint") ==
        "Use the rule's hint");

  std::vector<model::Rule> rules(1);
  rules[0].id = "custom-rule";
  rules[0].remediation = "Call the vault team";
  inventory::InventoryOptions options;
  options.now_s = kNow;
  options.rules = &rules;
  auto f = token("custom-rule", "acme", model::Kind::kApiKey, "acme-k-123456");
  auto inv = inventory::build_inventory(as_sightings({f}), options);
  CHECK(inv.identities.front().remediation == "Call the vault team");
}

TEST_CASE("The latest verification of an identity sets its status",
          "[inventory]") {
  auto f = token("github-pat", "github", model::Kind::kAccessToken,
                 fake_secret("ghp_", 40, 21));
  auto old = f;
  old.verification.status = model::VerificationStatus::kLive;
  auto newer = f;
  newer.verification.status = model::VerificationStatus::kRevoked;
  newer.verification.reason = "bad credentials";
  std::vector<store::Sighting> s = {{old, "", 1}, {newer, "", 2}, {f, "", 3}};
  inventory::InventoryOptions options;
  options.now_s = kNow;
  auto inv = inventory::build_inventory(s, options);
  REQUIRE(inv.identities.size() == 1);
  CHECK(inv.identities[0].status == model::VerificationStatus::kRevoked);
  CHECK(inv.identities[0].status_reason == "bad credentials");
}

TEST_CASE("Plain secrets are shown only when asked for", "[inventory]") {
  std::string secret = fake_secret("ghp_", 40, 31);
  auto f = token("github-pat", "github", model::Kind::kAccessToken, secret);
  inventory::InventoryOptions options;
  options.now_s = kNow;
  CHECK(inventory::build_inventory(as_sightings({f}), options)
            .identities[0].secret == store::redact_secret(secret));
  options.show_secrets = true;
  CHECK(inventory::build_inventory(as_sightings({f}), options)
            .identities[0].secret == secret);
}
