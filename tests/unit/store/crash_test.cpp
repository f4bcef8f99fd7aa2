// Crash test of the store (issue 7): a child process writing scans is killed
// with SIGKILL at random moments, 20 times over the same file; the file must
// stay sound and a final run must give the inventory of an unbroken run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "sprawl/store/exposure.h"
#include "sprawl/store/sqlite_store.h"
#include "unit/inventory/sample_findings.h"

namespace fs = std::filesystem;
using namespace sprawl;

namespace {

constexpr int kKills = 20;
constexpr int kSecrets = 12;
constexpr int kScans = 3;
constexpr int kBatch = 4;

// The workload of one run: kScans scans over the same findings of kSecrets
// credentials in git, Slack and Jira, written in small batches, with the
// scanned blobs of the git repository.
// Prints why a write failed (the child's only way to tell the parent).
template <typename T>
bool ok(const Expected<T>& result) {
  if (!result) std::fprintf(stderr, "writer: %s\n",
                            result.error().describe().c_str());
  return result.has_value();
}

bool write_workload(const std::string& path) {
  auto opened = store::SqliteStore::open(path);
  if (!ok(opened)) return false;
  store::Store& s = **opened;
  std::vector<model::Finding> findings;
  for (int i = 0; i < kSecrets; ++i) {
    using namespace sprawl::testing;
    auto f = base_finding("slack-bot-token", "slack", model::Kind::kBotToken,
                          fake_secret("xoxb-", 50, i));
    findings.push_back(in_git(f, "deploy/" + std::to_string(i) + ".env", 2,
                              "c" + std::to_string(i), 1690000000 + i));
    findings.push_back(in_slack(f, "ops", std::to_string(1700000000 + i) +
                                              ".000100"));
    findings.push_back(in_jira(f, "OPS-" + std::to_string(i),
                               "2024-02-01T00:00:00Z"));
  }
  for (int scan = 0; scan < kScans; ++scan) {
    auto id = s.begin_scan({0, {"repo", "slack.zip", "jira.zip"}, "r1"});
    if (!ok(id)) return false;
    for (std::size_t i = 0; i < findings.size(); i += kBatch) {
      std::vector<store::Sighting> batch;
      std::vector<model::Finding> git;
      std::vector<std::string> blobs;
      for (std::size_t j = i; j < std::min(findings.size(), i + kBatch);
           ++j) {
        batch.push_back({findings[j], "", 0});
        if (findings[j].location.source == model::SourceKind::kGit) {
          git.push_back(findings[j]);
          blobs.push_back(findings[j].location.blob_id);
        }
      }
      if (!ok(s.add_scanned_blobs("repo", "r1", blobs, git))) return false;
      if (!ok(s.record_findings(*id, batch))) return false;
    }
    if (!ok(s.finish_scan(*id, {0, 3, 300, findings.size(), {}})))
      return false;
  }
  return true;
}

// What must be equal between the two stores (their HMAC keys differ): per
// identity, the provider, kind, redacted secret and exposure places. The
// inventory tests check that the inventory is a function of these.
using Canonical = std::set<std::tuple<std::string, std::string, std::string,
                                      std::set<std::string>>>;

Canonical canonical(const std::string& path) {
  auto opened = store::SqliteStore::open(path);
  REQUIRE(opened.has_value());
  auto sightings = (*opened)->sightings();
  REQUIRE(sightings.has_value());
  std::map<std::string, std::tuple<std::string, std::string, std::string,
                                   std::set<std::string>>>
      by_identity;
  for (const auto& s : *sightings) {
    const model::Finding& f = s.finding;
    auto& entry = by_identity[s.identity];
    std::get<0>(entry) = f.provider;
    std::get<1>(entry) = std::string(model::kind_name(f.kind));
    std::get<2>(entry) = f.secret;
    auto p = store::exposure_place(f);
    std::get<3>(entry).insert(p.source + "|" + p.path + "|" +
                              std::to_string(p.line) + "|" + p.channel +
                              "|" + p.issue + "|" + p.commit);
  }
  Canonical out;
  for (const auto& [key, entry] : by_identity) out.insert(entry);
  return out;
}

// forever: the child repeats the workload until it is killed, so that
// every kill lands mid-write.
int64_t run_child(const std::string& path, bool forever) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  do {
    if (!write_workload(path)) ::_exit(3);
  } while (forever);
  ::_exit(0);
}

}  // namespace

TEST_CASE("A store killed at random points stays sound and the next run "
          "completes it",
          "[store][crash]") {
  std::string pattern =
      (fs::temp_directory_path() / "sprawl-crash-XXXXXX").string();
  fs::path dir = ::mkdtemp(pattern.data());
  std::string reference = (dir / "reference.db").string();
  std::string crashed = (dir / "crashed.db").string();

  auto start = std::chrono::steady_clock::now();
  pid_t ref = static_cast<pid_t>(run_child(reference, false));
  int status = 0;
  ::waitpid(ref, &status, 0);
  REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  auto full_us = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  INFO("uninterrupted run took " << full_us << " us");

  std::mt19937 random(20260704);
  // Uniform over the first run and a little of the next, which starts on a
  // store full of the first run's rows.
  std::uniform_int_distribution<int64_t> when(0, full_us * 6 / 5);
  int killed_mid_run = 0;
  std::size_t rows_before = 0;
  std::set<std::size_t> rows_written;  // by each killed run
  for (int i = 0; i < kKills; ++i) {
    pid_t pid = static_cast<pid_t>(run_child(crashed, true));
    ::usleep(static_cast<useconds_t>(when(random)));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    killed_mid_run += WIFSIGNALED(status);
    if (WIFEXITED(status)) FAIL("writer failed: " << WEXITSTATUS(status));
    auto check = store::SqliteStore::open(crashed);
    REQUIRE(check.has_value());
    CHECK(*(*check)->integrity_check() == "ok");
    std::size_t rows = (*check)->sightings()->size();
    rows_written.insert(rows - rows_before);
    rows_before = rows;
  }
  CHECK(killed_mid_run == kKills);
  // The kills landed at many different points of the workload.
  CHECK(rows_written.size() >= 5);

  pid_t last = static_cast<pid_t>(run_child(crashed, false));
  ::waitpid(last, &status, 0);
  REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  {
    auto check = store::SqliteStore::open(crashed);
    REQUIRE(check.has_value());
    CHECK(*(*check)->integrity_check() == "ok");
  }
  Canonical want = canonical(reference);
  CHECK(want.size() == kSecrets);
  CHECK(canonical(crashed) == want);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("Two processes writing one store at once both complete",
          "[store]") {
  std::string pattern =
      (fs::temp_directory_path() / "sprawl-shards-XXXXXX").string();
  fs::path dir = ::mkdtemp(pattern.data());
  std::string shared = (dir / "shared.db").string();
  std::string alone = (dir / "alone.db").string();
  pid_t a = static_cast<pid_t>(run_child(shared, false));
  pid_t b = static_cast<pid_t>(run_child(shared, false));
  int status_a = 0, status_b = 0;
  ::waitpid(a, &status_a, 0);
  ::waitpid(b, &status_b, 0);
  CHECK((WIFEXITED(status_a) && WEXITSTATUS(status_a) == 0));
  CHECK((WIFEXITED(status_b) && WEXITSTATUS(status_b) == 0));
  pid_t c = static_cast<pid_t>(run_child(alone, false));
  int status_c = 0;
  ::waitpid(c, &status_c, 0);
  REQUIRE((WIFEXITED(status_c) && WEXITSTATUS(status_c) == 0));
  {
    auto check = store::SqliteStore::open(shared);
    REQUIRE(check.has_value());
    CHECK(*(*check)->integrity_check() == "ok");
    CHECK((*check)->scans()->size() == 2 * kScans);
  }
  CHECK(canonical(shared) == canonical(alone));
  std::error_code ec;
  fs::remove_all(dir, ec);
}
