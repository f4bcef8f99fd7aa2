// Tests of the git source on shared benchmark repositories (git bundles in
// $SPRAWL_SHARED_DIR/corpora) and on corpus/make_demo_repo.sh.
#include <cstdio>
#include <cstdlib>
#include <set>

#include "unit/sources/git_fixtures.h"

namespace sprawl {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0' ? v : fallback;
}

std::string shared_dir() {
  return env_or("SPRAWL_SHARED_DIR", "/work/shared");
}

// Clones a bundle with the git command (libgit2 1.5 cannot read bundles).
bool clone_bundle(const std::string& bundle, const std::string& into) {
  if (!std::filesystem::exists(bundle)) return false;
  std::string cmd = "git clone -q " + bundle + " " + into + " 2>/dev/null";
  return std::system(cmd.c_str()) == 0;
}

std::set<std::string> git_blob_ids(const std::string& repo) {
  std::string cmd = "git -C " + repo +
                    " rev-list --objects --all | cut -d' ' -f1 | git -C " +
                    repo +
                    " cat-file --batch-check='%(objecttype) %(objectname)'";
  std::set<std::string> out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char type[16], id[64];
  while (std::fscanf(p, "%15s %63s", type, id) == 2)
    if (std::string(type) == "blob") out.insert(id);
  ::pclose(p);
  return out;
}

TEST_CASE("test_keys.bundle: the deleted AWS key is found in keys with the "
          "commit that added it",
          "[git]") {
  testing::TempDir dir;
  std::string repo = dir.path() + "/test_keys";
  if (!clone_bundle(shared_dir() + "/corpora/test_keys.bundle", repo)) {
    WARN("test_keys.bundle or git missing; skipped");
    return;
  }
  Diagnostics diagnostics;
  auto r = testing::run_source(repo, {}, diagnostics);
  auto found = r.containing("AKIAYVP4CIPPERUVIFXG");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->path == "keys");
  std::vector<model::Finding> findings{
      r.finding_for(*found[0], "AKIAYVP4CIPPERUVIFXG")};
  CHECK(findings[0].location.line == 4);
  r.source->finish(findings);
  REQUIRE(findings[0].location.provenance.has_value());
  const auto& p = *findings[0].location.provenance;
  CHECK(p.commit == "fbc14303ffbf8fb1c2c1914e8dda7d0121633aca");
  CHECK(p.summary == "doing some dev work");
  CHECK(p.author_name == "counter");
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("leaky-repo.bundle: every blob git lists is scanned exactly once",
          "[git]") {
  testing::TempDir dir;
  std::string repo = dir.path() + "/leaky";
  if (!clone_bundle(shared_dir() + "/corpora/leaky-repo.bundle", repo)) {
    WARN("leaky-repo.bundle or git missing; skipped");
    return;
  }
  Diagnostics diagnostics;
  auto r = testing::run_source(repo, {}, diagnostics);
  auto expected = git_blob_ids(repo);
  auto listed = r.source->scanned_blob_ids();
  std::set<std::string> ids(listed.begin(), listed.end());
  CHECK(listed.size() == ids.size());
  CHECK(ids == expected);
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("make_demo_repo.sh builds a history whose planted secrets are all "
          "found",
          "[git]") {
  std::string script =
      env_or("SPRAWL_SOURCE_DIR", "/work/main") + "/corpus/make_demo_repo.sh";
  testing::TempDir dir;
  std::string repo = dir.path() + "/demo";
  if (!std::filesystem::exists(script) ||
      std::system(("bash " + script + " " + repo + " >/dev/null 2>&1")
                      .c_str()) != 0) {
    WARN("make_demo_repo.sh or git missing; skipped");
    return;
  }
  Diagnostics diagnostics;
  auto r = testing::run_source(repo, {}, diagnostics);
  // Each planted credential is in exactly one blob at a known path.
  std::map<std::string, std::string> planted = {
      {"aws_secret_access_key", "config/aws.ini"},
      {"ghp_", "deploy/merge.sh"},
      {"xoxb-", "notify/slack.py"},
      {"sk_live_", "billing/stripe.env"},
      {"BEGIN PRIVATE KEY", "ops/deploy_key.pem"},
  };
  for (const auto& [needle, path] : planted) {
    auto found = r.containing(needle);
    INFO(needle);
    REQUIRE(found.size() == 1);
    CHECK(found[0]->path == path);
  }
  CHECK(diagnostics.error_count() == 0);
}

}  // namespace
}  // namespace sprawl
