// Test helper: fills a store with a fixed, fake inventory (8 identities in
// git, Slack and Jira) and optionally writes its HTML report, for
// tests/cli/inventory_html_test.py. Usage: inventory_fixture STORE [HTML].
#include <fstream>
#include <iostream>

#include "sprawl/inventory/report.h"
#include "sprawl/store/sqlite_store.h"
#include "unit/inventory/sample_findings.h"

using namespace sprawl;
using namespace sprawl::testing;

namespace {

std::vector<store::Sighting> sightings() {
  using K = model::Kind;
  auto gh = base_finding("github-pat", "github", K::kAccessToken,
                         fake_secret("ghp_", 40, 1));
  gh.verification.status = model::VerificationStatus::kLive;
  gh.verification.identity = {{"login", "octo-dev"}};
  gh.verification.scopes = {"repo"};
  auto bot = base_finding("slack-bot-token", "slack", K::kBotToken,
                          fake_secret("xoxb-", 56, 2));
  bot.verification.status = model::VerificationStatus::kRevoked;
  auto aws = base_finding("aws-access-key", "aws", K::kCloudAccessKey,
                          fake_secret("AKIA", 20, 3));
  aws.validation.status = model::ValidationStatus::kValid;
  aws.validation.decoded = {{"aws.account_id", "609629065308"}};
  auto asia = base_finding("aws-access-key", "aws", K::kCloudAccessKey,
                           fake_secret("ASIA", 20, 4));
  auto jwt = base_finding("jwt", "jwt", K::kJwt, "eyJhbGciOiJIUzI1NiJ9.e30."
                                                  "ZmFrZQ");
  jwt.validation.decoded = {{"jwt.sub", "svc-billing"},
                            {"jwt.exp", "2020-01-01T00:00:00Z"},
                            {"jwt.expired", "true"}};
  auto hook = base_finding("slack-webhook", "slack", K::kWebhookUrl,
                           "https://hooks.slack.com/services/T0000/B0000/" +
                               fake_secret("", 24, 6));
  auto pem = base_finding("private-key", "ssh", K::kPrivateKey,
                          "-----BEGIN OPENSSH PRIVATE KEY-----" +
                              fake_secret("", 64, 7));
  auto pg = base_finding("postgres-url", "postgres", K::kDatabaseCredential,
                         "postgres://app:" + fake_secret("", 16, 8) +
                             "@db.internal/prod");
  std::vector<model::Finding> f = {
      in_git(gh, "config/app.env", 4, "1111aaaa", 1600000000, "false"),
      in_git(gh, "config/app.env", 4, "2222bbbb", 1650000000, "true"),
      in_slack(gh, "deploys", "1700000000.000100"),
      in_jira(gh, "OPS-12", "2024-01-03T10:00:00.000+0000"),
      in_slack(bot, "D0123ABCD9", "1690000000.000200", "im"),
      in_git(aws, "terraform/main.tf", 12, "3333cccc", 1620000000, "true"),
      in_jira(aws, "SEC-3", "2023-06-01T08:00:00Z"),
      in_slack(asia, "incident", "1710000000.000300"),
      in_jira(jwt, "API-9", "2022-02-02T02:02:02Z"),
      in_git(hook, "ci/notify.sh", 2, "4444dddd", 1580000000),
      in_git(pem, "deploy/id_ed25519", 1, "5555eeee", 1550000000, "true"),
      in_slack(pg, "backend", "1720000000.000400")};
  std::vector<store::Sighting> out;
  for (auto& x : f) out.push_back({x, "", 0});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: inventory_fixture STORE [HTML]\n";
    return 2;
  }
  auto opened = store::SqliteStore::open(argv[1]);
  if (!opened) {
    std::cerr << opened.error().describe() << "\n";
    return 2;
  }
  auto& s = **opened;
  auto scan = s.begin_scan({1730000000, {"fixture"}, "fixture-rules"});
  if (!scan || !s.record_findings(*scan, sightings()) ||
      !s.finish_scan(*scan, {1730000100, 12, 4096, 12, {}})) {
    std::cerr << "cannot write the store\n";
    return 2;
  }
  if (argc < 3) return 0;
  inventory::InventoryCommand cmd;
  cmd.store_path = argv[1];
  cmd.format = inventory::Format::kHtml;
  cmd.now_s = 1735689600;
  std::ofstream out(argv[2]);
  Diagnostics diag;
  int rc = inventory::run_inventory(cmd, out, diag);
  for (const auto& d : diag.diagnostics())
    std::cerr << d.error.describe() << "\n";
  return rc;
}
