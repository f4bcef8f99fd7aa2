// Tests of the git source's full-history mode: each distinct blob once,
// merge-only, deleted, side-branch and tag-only content, provenance.
#include <algorithm>
#include <set>

#include "unit/sources/git_fixtures.h"

namespace sprawl {
namespace {

using testing::hex;
using testing::RunResult;
using testing::TestRepo;

// main:  c1 -- c2 -- c4 -- c5 ------- c7 (merge) -- c8 (tag v-hidden only)
//                \                    /
// side:           c3 ---------- c6 --
struct DemoHistory {
  TestRepo repo;
  git_oid c1, c2, c3, c4, c5, c6, c7, c8;

  DemoHistory() {
    c1 = repo.commit("refs/heads/main", {},
                     {{"README.md", "hello\n"},
                      {"config/app.env", "user=app\ntoken=DELETED_SECRET_1\n"},
                      {"conflict.txt", "base\n"}},
                     "add config", 1000);
    c2 = repo.commit("refs/heads/main", {c1}, {{"config/app.env", {}}},
                     "remove config", 2000);
    c3 = repo.commit("refs/heads/side", {c2},
                     {{"side.txt", "x\ny\nSIDE_SECRET_3\n"}}, "side work",
                     3000);
    c4 = repo.commit("refs/heads/main", {c2},
                     {{"README.md", "hello\nmore\n"},
                      {"copy/app.env", "user=app\ntoken=DELETED_SECRET_1\n"}},
                     "copy config", 3500);
    c5 = repo.commit("refs/heads/main", {c4}, {{"conflict.txt", "ours\n"}},
                     "ours", 4000);
    c6 = repo.commit("refs/heads/side", {c3}, {{"conflict.txt", "theirs\n"}},
                     "theirs", 4100);
    c7 = repo.commit("refs/heads/main", {c5, c6},
                     {{"conflict.txt", "resolved\nMERGE_ONLY_SECRET\n"}},
                     "merge side", 5000);
    c8 = repo.commit("", {c7}, {{"tagonly.txt", "TAG_ONLY_SECRET\n"}},
                     "tagged", 6000);
    repo.annotated_tag("v-hidden", c8);
    repo.set_head("refs/heads/main");
  }
};

const testing::Seen& only(const RunResult& r, const std::string& needle) {
  auto found = r.containing(needle);
  REQUIRE(found.size() == 1);
  return *found[0];
}

std::string provenance_commit(RunResult& r, const std::string& needle) {
  std::vector<model::Finding> findings{r.finding_for(only(r, needle),
                                                     needle)};
  r.source->finish(findings);
  REQUIRE(findings[0].location.provenance.has_value());
  return findings[0].location.provenance->commit;
}

TEST_CASE("Git history yields every distinct reachable blob exactly once",
          "[git]") {
  DemoHistory h;
  Diagnostics diagnostics;
  auto r = testing::run_source(h.repo.path(), {}, diagnostics);
  std::set<std::string> ids;
  for (const auto& b : r.blobs) ids.insert(b.blob_id);
  CHECK(ids.size() == r.blobs.size());
  // hello, hello+more, app.env, base, ours, theirs, resolved, side, tag.
  CHECK(r.blobs.size() == 9);
  CHECK(r.source->scanned_blob_ids().size() == 9);
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Git history finds deleted, side-branch, merge-only and tag-only "
          "content with the commit that introduced it",
          "[git]") {
  DemoHistory h;
  Diagnostics diagnostics;
  auto r = testing::run_source(h.repo.path(), {}, diagnostics);

  SECTION("deleted in a later commit") {
    const auto& b = only(r, "DELETED_SECRET_1");
    CHECK(b.path == "config/app.env");
    CHECK(provenance_commit(r, "DELETED_SECRET_1") == hex(h.c1));
  }
  SECTION("only on a side branch") {
    CHECK(only(r, "SIDE_SECRET_3").path == "side.txt");
    CHECK(provenance_commit(r, "SIDE_SECRET_3") == hex(h.c3));
  }
  SECTION("only in a merge conflict resolution") {
    CHECK(only(r, "MERGE_ONLY_SECRET").path == "conflict.txt");
    CHECK(provenance_commit(r, "MERGE_ONLY_SECRET") == hex(h.c7));
  }
  SECTION("only reachable from an annotated tag") {
    CHECK(only(r, "TAG_ONLY_SECRET").path == "tagonly.txt");
    CHECK(provenance_commit(r, "TAG_ONLY_SECRET") == hex(h.c8));
  }
}

TEST_CASE("Git provenance carries author, date, summary and counts of "
          "other commits and paths",
          "[git]") {
  DemoHistory h;
  Diagnostics diagnostics;
  auto r = testing::run_source(h.repo.path(), {}, diagnostics);
  const auto& b = only(r, "DELETED_SECRET_1");
  std::vector<model::Finding> findings{r.finding_for(b, "DELETED_SECRET_1")};
  r.source->finish(findings);
  const auto& p = *findings[0].location.provenance;
  CHECK(p.author_name == "Dev Eloper");
  CHECK(p.author_email == "dev@corp.invalid");
  CHECK(p.author_time == 1000);
  CHECK(p.summary == "add config");
  // The same blob sits at copy/app.env in c4, c5, c7 and c8.
  CHECK(p.other_paths == 1);
  CHECK(p.other_commits == 4);
  CHECK(findings[0].location.line == 2);
}

TEST_CASE("Provenance counts skip old subtrees without missing a copy",
          "[git]") {
  // vendor/ and docs/ are older than the secret, c4 returns to c1's tree,
  // and the secret comes back deep in a new folder in c5.
  TestRepo repo;
  const git_oid c1 = repo.commit(
      "refs/heads/main", {},
      {{"vendor/lib/a.txt", "stable\n"}, {"docs/guide.md", "doc\n"},
       {"app.txt", "v1\n"}},
      "start", 1000);
  const git_oid c2 = repo.commit("refs/heads/main", {c1},
                                 {{"app.txt", "key=LATE_SECRET_9\n"}},
                                 "add key", 2000);
  const git_oid c3 = repo.commit("refs/heads/main", {c2},
                                 {{"vendor2/copy.txt", "key=LATE_SECRET_9\n"}},
                                 "copy key", 3000);
  const git_oid c4 = repo.commit(
      "refs/heads/main", {c3}, {{"app.txt", "v1\n"}, {"vendor2/copy.txt", {}}},
      "revert", 4000);
  repo.commit("refs/heads/main", {c4},
              {{"docs/guide.md", "doc2\n"},
               {"nested/deep/x.txt", "key=LATE_SECRET_9\n"}},
              "again", 5000);
  repo.set_head("refs/heads/main");
  Diagnostics diagnostics;
  auto r = testing::run_source(repo.path(), {}, diagnostics);
  const auto& b = only(r, "LATE_SECRET_9");
  std::vector<model::Finding> findings{r.finding_for(b, "LATE_SECRET_9")};
  r.source->finish(findings);
  const auto& p = *findings[0].location.provenance;
  CHECK(p.commit == hex(c2));
  CHECK(p.other_commits == 2);  // c3 and c5
  CHECK(p.other_paths == 2);    // vendor2/copy.txt, nested/deep/x.txt
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Git history with --ref scans only what those refs reach",
          "[git]") {
  DemoHistory h;
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.refs = {"main"};
  auto r = testing::run_source(h.repo.path(), options, diagnostics);
  CHECK(r.containing("TAG_ONLY_SECRET").empty());
  CHECK(r.containing("MERGE_ONLY_SECRET").size() == 1);
  CHECK(r.containing("SIDE_SECRET_3").size() == 1);  // merged into main

  options.refs = {"refs/heads/nope"};
  Diagnostics bad;
  auto none = testing::run_source(h.repo.path(), options, bad);
  CHECK(none.blobs.empty());
  CHECK(testing::mentions(bad, "refs/heads/nope"));
}

TEST_CASE("Git history scans unreachable blobs only with all_objects",
          "[git]") {
  DemoHistory h;
  h.repo.blob("dangling UNREACHABLE_SECRET\n");
  Diagnostics diagnostics;
  sources::SourceOptions options;
  auto without = testing::run_source(h.repo.path(), options, diagnostics);
  CHECK(without.containing("UNREACHABLE_SECRET").empty());
  options.all_objects = true;
  auto with = testing::run_source(h.repo.path(), options, diagnostics);
  CHECK(with.containing("UNREACHABLE_SECRET").size() == 1);
  CHECK(with.blobs.size() == 10);
}

TEST_CASE("Git history skips blobs already scanned (incremental sweep)",
          "[git]") {
  DemoHistory h;
  Diagnostics diagnostics;
  auto first = testing::run_source(h.repo.path(), {}, diagnostics);
  std::vector<std::string> known = first.source->scanned_blob_ids();
  h.repo.commit("refs/heads/main", {h.c7}, {{"new.txt", "NEW_SECRET\n"}},
                "new", 7000);
  sources::SourceOptions options;
  options.known_blobs = &known;
  auto second = testing::run_source(h.repo.path(), options, diagnostics);
  REQUIRE(second.blobs.size() == 1);
  CHECK(second.blobs[0].path == "new.txt");
}

TEST_CASE("Git history cuts large blobs into overlapping chunks and skips "
          "binary blobs",
          "[git]") {
  TestRepo repo;
  std::string big;
  for (int i = 0; i < 40; ++i) big += "line " + std::to_string(i) + "\n";
  std::string binary("PNG\0\0data", 9);
  repo.commit("refs/heads/main", {}, {{"big.txt", big}, {"img.bin", binary}},
              "files", 1000);
  repo.set_head("refs/heads/main");
  Diagnostics diagnostics;
  sources::SourceOptions options;
  options.chunk_bytes = 64;
  options.chunk_overlap_bytes = 16;
  auto r = testing::run_source(repo.path(), options, diagnostics);
  REQUIRE(r.blobs.size() == 1);
  const auto& b = r.blobs[0];
  CHECK(b.path == "big.txt");
  CHECK(b.chunks == static_cast<int>((big.size() + 63) / 64));
  // Chunk 2 starts at byte 64: lines 0..9 are 7 bytes, so line 10.
  REQUIRE(b.first_lines.size() > 1);
  CHECK(b.first_lines[1] == 1 + static_cast<uint32_t>(std::count(
                                    big.begin(), big.begin() + 64, '\n')));
  REQUIRE(diagnostics.skipped_count() == 1);
  CHECK(diagnostics.skipped_inputs()[0].reason == SkipReason::kBinary);
  CHECK(diagnostics.skipped_inputs()[0].input.find("img.bin") !=
        std::string::npos);
}

TEST_CASE("Git history reads executable and symlink blobs and skips "
          "submodule entries",
          "[git]") {
  TestRepo repo;
  git_treebuilder* builder = nullptr;
  testing::check_git(git_treebuilder_new(&builder, repo.repo(), nullptr));
  git_oid exe = repo.blob("#!/bin/sh\nEXEC_SECRET\n");
  git_oid link = repo.blob("LINK_TARGET_SECRET");
  git_oid module = repo.blob("not really a commit");
  testing::check_git(git_treebuilder_insert(nullptr, builder, "run.sh", &exe,
                                            GIT_FILEMODE_BLOB_EXECUTABLE));
  testing::check_git(git_treebuilder_insert(nullptr, builder, "link", &link,
                                            GIT_FILEMODE_LINK));
  testing::check_git(git_treebuilder_insert(nullptr, builder, "lib", &module,
                                            GIT_FILEMODE_COMMIT));
  git_oid tree_id;
  testing::check_git(git_treebuilder_write(&tree_id, builder));
  git_treebuilder_free(builder);
  git_tree* tree = nullptr;
  testing::check_git(git_tree_lookup(&tree, repo.repo(), &tree_id));
  git_signature* sig = nullptr;
  testing::check_git(git_signature_new(&sig, "a", "a@b.invalid", 1000, 0));
  git_oid commit;
  testing::check_git(git_commit_create(&commit, repo.repo(), "HEAD", sig,
                                       sig, nullptr, "modes", tree, 0,
                                       nullptr));
  git_signature_free(sig);
  git_tree_free(tree);
  Diagnostics diagnostics;
  auto r = testing::run_source(repo.path(), {}, diagnostics);
  CHECK(r.blobs.size() == 2);
  CHECK(r.containing("EXEC_SECRET").size() == 1);
  CHECK(r.containing("LINK_TARGET_SECRET").size() == 1);
  CHECK(r.containing("not really").empty());
  CHECK(diagnostics.error_count() == 0);
}

TEST_CASE("Git history of a bare repository works like a working tree",
          "[git]") {
  TestRepo repo(true);
  auto c = repo.commit("refs/heads/main", {}, {{"a.txt", "BARE_SECRET\n"}},
                       "bare", 1000);
  repo.set_head("refs/heads/main");
  CHECK(sources::is_git_repository(repo.path()));
  Diagnostics diagnostics;
  auto r = testing::run_source(repo.path(), {}, diagnostics);
  REQUIRE(r.containing("BARE_SECRET").size() == 1);
  CHECK(provenance_commit(r, "BARE_SECRET") == hex(c));
}

}  // namespace
}  // namespace sprawl
