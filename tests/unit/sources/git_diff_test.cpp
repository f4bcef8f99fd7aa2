// Tests of the git source's diff modes: --staged (pre-commit) and
// --range/--since-commit (CI), with their added-line ranges and edge cases.
#include "unit/sources/git_fixtures.h"

namespace sprawl {
namespace {

using model::LineRange;
using testing::hex;
using testing::TestRepo;

bool operator_eq(const std::vector<LineRange>& a,
                 const std::vector<LineRange>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].first != b[i].first || a[i].last != b[i].last) return false;
  return true;
}

std::string describe(const std::vector<LineRange>& ranges) {
  std::string out;
  for (const auto& r : ranges)
    out += std::to_string(r.first) + "-" + std::to_string(r.last) + " ";
  return out;
}

#define CHECK_LINES(actual, ...)                                   \
  do {                                                             \
    std::vector<LineRange> expected_{__VA_ARGS__};                 \
    INFO("lines " << describe(actual));                            \
    CHECK(operator_eq(actual, expected_));                         \
  } while (0)

TEST_CASE("Staged scan yields only lines added in the index, in new-file "
          "numbering",
          "[git]") {
  TestRepo repo;
  auto c1 = repo.commit("refs/heads/main", {},
                        {{"a.txt", "one\ntwo\nthree\n"},
                         {"keep.txt", "OLD_SECRET\n"}},
                        "init", 1000);
  repo.set_head("refs/heads/main");
  repo.reset_index(c1);
  repo.stage({{"a.txt", "one\nSTAGED_SECRET\ntwo\nthree\nfour\n"},
              {"dir/new.txt", "x\nNEW_FILE_SECRET\n"}});
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.staged = true;
  auto r = testing::run_source(repo.path(), options, diagnostics);
  REQUIRE(r.blobs.size() == 2);
  CHECK(r.source->mode() == sources::GitMode::kStaged);
  for (const auto& b : r.blobs) {
    if (b.path == "a.txt") {
      CHECK_LINES(b.lines, {2, 2}, {5, 5});
    } else {
      CHECK(b.path == "dir/new.txt");
      CHECK_LINES(b.lines, {1, 2});
    }
    CHECK_FALSE(b.provenance.has_value());
  }
  CHECK(r.containing("OLD_SECRET").empty());
}

TEST_CASE("Staged scan in a repository with no commits takes every staged "
          "line",
          "[git]") {
  TestRepo repo;
  repo.stage({{"first.txt", "a\nFIRST_SECRET\n"}});
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.staged = true;
  auto r = testing::run_source(repo.path(), options, diagnostics);
  REQUIRE(r.blobs.size() == 1);
  CHECK(r.blobs[0].path == "first.txt");
  CHECK_LINES(r.blobs[0].lines, {1, 2});
}

TEST_CASE("Staged scan accepts a directory inside the working tree and "
          "nothing staged yields nothing",
          "[git]") {
  TestRepo repo;
  auto c1 = repo.commit("refs/heads/main", {}, {{"a.txt", "a\n"}}, "init",
                        1000);
  repo.set_head("refs/heads/main");
  repo.reset_index(c1);
  std::filesystem::create_directories(repo.path() + "/sub");
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.staged = true;
  auto r = testing::run_source(repo.path() + "/sub", options, diagnostics);
  CHECK(r.blobs.empty());
  CHECK(diagnostics.error_count() == 0);
}

// r1 -- r2 ------- m -- r3
//   \             /
//    s1 ---------
struct RangeHistory {
  TestRepo repo;
  git_oid r1, r2, s1, m, r3;
  RangeHistory() {
    r1 = repo.commit("refs/heads/main", {}, {{"a.txt", "one\n"}}, "root",
                     1000);
    r2 = repo.commit("refs/heads/main", {r1},
                     {{"a.txt", "one\nSECRET_R2\n"}}, "r2", 2000);
    s1 = repo.commit("refs/heads/side", {r1},
                     {{"b.txt", "SIDE_SECRET\n"}, {"a.txt", "one\n"}}, "s1",
                     2500);
    m = repo.commit("refs/heads/main", {r2, s1},
                    {{"a.txt", "one\nSECRET_R2\nMERGE_ONLY\n"},
                     {"b.txt", "SIDE_SECRET\n"}},
                    "merge", 3000);
    r3 = repo.commit("refs/heads/main", {m},
                     {{"a.txt", "zero\none\nSECRET_R2\nMERGE_ONLY\n"}}, "r3",
                     4000);
    repo.set_head("refs/heads/main");
  }
};

TEST_CASE("Range scan yields the lines each commit added, merges only their "
          "resolution",
          "[git]") {
  RangeHistory h;
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.range = hex(h.r1) + "..HEAD";
  auto r = testing::run_source(h.repo.path(), options, diagnostics);
  REQUIRE(r.blobs.size() == 4);
  std::map<std::string, const testing::Seen*> by_commit;
  for (const auto& b : r.blobs) {
    REQUIRE(b.provenance.has_value());
    by_commit[b.provenance->commit + ":" + b.path] = &b;
  }
  const auto* r2 = by_commit.at(hex(h.r2) + ":a.txt");
  CHECK_LINES(r2->lines, {2, 2});
  CHECK(r2->provenance->summary == "r2");
  CHECK(r2->provenance->author_time == 2000);
  CHECK_LINES(by_commit.at(hex(h.s1) + ":b.txt")->lines, {1, 1});
  CHECK_LINES(by_commit.at(hex(h.m) + ":a.txt")->lines, {3, 3});
  CHECK(by_commit.count(hex(h.m) + ":b.txt") == 0);
  CHECK_LINES(by_commit.at(hex(h.r3) + ":a.txt")->lines, {1, 1});
}

TEST_CASE("Range scan moves findings to their line at HEAD", "[git]") {
  RangeHistory h;
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.since_commit = hex(h.r1);
  auto r = testing::run_source(h.repo.path(), options, diagnostics);
  const testing::Seen* r2 = nullptr;
  for (const auto& b : r.blobs)
    if (b.provenance->commit == hex(h.r2)) r2 = &b;
  REQUIRE(r2 != nullptr);
  std::vector<model::Finding> findings{r.finding_for(*r2, "SECRET_R2")};
  CHECK(findings[0].location.line == 2);
  r.source->finish(findings);
  CHECK(findings[0].location.line == 3);
  CHECK(findings[0].location.attribute("commit_line") == "2");
  CHECK(findings[0].location.provenance->commit == hex(h.r2));
}

TEST_CASE("Range scan maps a line removed later to the HEAD lines that "
          "replaced it",
          "[git]") {
  TestRepo repo;
  auto a = repo.commit("refs/heads/main", {}, {{"f.txt", "1\n2\n3\n"}}, "a",
                       1000);
  auto b = repo.commit("refs/heads/main", {a},
                       {{"f.txt", "1\n2\nGONE_SECRET\n3\n"}}, "b", 2000);
  repo.commit("refs/heads/main", {b}, {{"f.txt", "1\n2\nfixed\n3\n"}},
              "c", 3000);
  repo.set_head("refs/heads/main");
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.range = hex(a) + "..main";
  auto r = testing::run_source(repo.path(), options, diagnostics);
  auto found = r.containing("GONE_SECRET");
  REQUIRE(found.size() == 1);
  std::vector<model::Finding> findings{r.finding_for(*found[0],
                                                     "GONE_SECRET")};
  r.source->finish(findings);
  CHECK(findings[0].location.line == 3);
  CHECK(findings[0].location.attribute("head") == "line changed");
}

TEST_CASE("Range scan keeps the commit's line for a file deleted by HEAD",
          "[git]") {
  TestRepo repo;
  auto a = repo.commit("refs/heads/main", {}, {{"keep.txt", "k\n"}}, "a",
                       1000);
  auto b = repo.commit("refs/heads/main", {a},
                       {{"gone.txt", "x\nDELETED_LATER\n"}}, "b", 2000);
  repo.commit("refs/heads/main", {b}, {{"gone.txt", {}}}, "c", 3000);
  repo.set_head("refs/heads/main");
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.since_commit = hex(a);
  auto r = testing::run_source(repo.path(), options, diagnostics);
  auto found = r.containing("DELETED_LATER");
  REQUIRE(found.size() == 1);
  std::vector<model::Finding> findings{r.finding_for(*found[0],
                                                     "DELETED_LATER")};
  r.source->finish(findings);
  CHECK(findings[0].location.path == "gone.txt");
  CHECK(findings[0].location.line == 2);
  CHECK(findings[0].location.attribute("head") == "file deleted");
  CHECK(findings[0].location.provenance->commit == hex(b));
}

TEST_CASE("Range scan edge cases from CI", "[git]") {
  RangeHistory h;
  Diagnostics diagnostics;
  sources::SourceOptions options;

  SECTION("BASE equal to HEAD scans nothing") {
    options.range = "HEAD..HEAD";
    auto r = testing::run_source(h.repo.path(), options, diagnostics);
    CHECK(r.blobs.empty());
    CHECK(diagnostics.error_count() == 0);
  }
  SECTION("an all-zero BASE (a new branch) scans from the root commit") {
    options.range = std::string(40, '0') + ".." + hex(h.r2);
    auto r = testing::run_source(h.repo.path(), options, diagnostics);
    REQUIRE(r.blobs.size() == 2);
    CHECK(r.containing("one").size() == 2);
  }
  SECTION("a range starting at the root commit") {
    options.range = hex(h.r1) + ".." + hex(h.r2);
    auto r = testing::run_source(h.repo.path(), options, diagnostics);
    REQUIRE(r.blobs.size() == 1);
    CHECK_LINES(r.blobs[0].lines, {2, 2});
  }
  SECTION("a BASE missing from the clone is an error naming the commit") {
    std::string missing = "0123456789abcdef0123456789abcdef01234567";
    options.range = missing + "..HEAD";
    auto source = sources::make_git_source(h.repo.path(), options,
                                           diagnostics);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == ErrorCode::kGit);
    CHECK(source.error().describe().find(missing) != std::string::npos);
    CHECK(source.error().describe().find("shallow") != std::string::npos);
  }
  SECTION("a malformed range is rejected") {
    options.range = "main";
    auto source = sources::make_git_source(h.repo.path(), options,
                                           diagnostics);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace sprawl
