// Tests of the git source on bad input: not a repository, no commits, a
// corrupt or truncated pack, a missing object, a shallow clone.
#include <fstream>

#include "unit/sources/git_fixtures.h"

namespace sprawl {
namespace {

using testing::hex;
using testing::TempDir;
using testing::TestRepo;

namespace fs = std::filesystem;

// Packs every object reachable from tip into one pack and deletes the loose
// copies, so that damage to the pack is damage to those objects.
void pack_everything(TestRepo& repo, const git_oid& tip) {
  git_packbuilder* pb = nullptr;
  testing::check_git(git_packbuilder_new(&pb, repo.repo()));
  testing::check_git(git_packbuilder_insert_commit(pb, &tip));
  testing::check_git(git_packbuilder_write(pb, nullptr, 0, nullptr, nullptr));
  git_packbuilder_free(pb);
  for (const auto& e : fs::directory_iterator(repo.git_dir() + "objects")) {
    auto name = e.path().filename().string();
    if (name.size() == 2) fs::remove_all(e.path());
  }
}

fs::path the_pack(TestRepo& repo) {
  for (const auto& e :
       fs::directory_iterator(repo.git_dir() + "objects/pack"))
    if (e.path().extension() == ".pack") return e.path();
  FAIL("no pack");
  return {};
}

TEST_CASE("Git source names a path that is not a repository", "[git]") {
  TempDir dir;
  CHECK_FALSE(sources::is_git_repository(dir.path()));
  Diagnostics diagnostics;
  auto source = sources::make_git_source(dir.path(), {}, diagnostics);
  REQUIRE_FALSE(source);
  CHECK(source.error().code == ErrorCode::kGit);
  CHECK(source.error().describe().find(dir.path()) != std::string::npos);
  CHECK(source.error().describe().find("not a git repository") !=
        std::string::npos);

  sources::SourceOptions staged;
  staged.staged = true;
  auto s = sources::make_git_source(dir.path(), staged, diagnostics);
  REQUIRE_FALSE(s);
  CHECK(s.error().describe().find("not a git repository") !=
        std::string::npos);
}

TEST_CASE("Git source warns that a repository has no commits", "[git]") {
  TestRepo repo;
  CHECK(sources::is_git_repository(repo.path()));
  Diagnostics diagnostics;
  auto r = testing::run_source(repo.path(), {}, diagnostics);
  CHECK(r.blobs.empty());
  CHECK(diagnostics.warning_count() == 1);
  CHECK(testing::mentions(diagnostics, "no commits"));

  sources::SourceOptions range;
  range.since_commit = "HEAD~1";
  auto s = sources::make_git_source(repo.path(), range, diagnostics);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ErrorCode::kGit);
}

TEST_CASE("Git source reports objects of a corrupt pack and scans the rest",
          "[git]") {
  TestRepo repo;
  std::string filler;
  for (int i = 0; i < 200; ++i) filler += "filler line " +
                                          std::to_string(i * 7919) + "\n";
  auto c1 = repo.commit("refs/heads/main", {},
                        {{"packed.txt", filler + "PACKED_SECRET\n"}}, "c1",
                        1000);
  pack_everything(repo, c1);
  auto c2 = repo.commit("refs/heads/main", {c1},
                        {{"loose.txt", "LOOSE_SECRET\n"}}, "c2", 2000);
  repo.set_head("refs/heads/main");
  (void)c2;

  SECTION("bytes in the middle of the pack are overwritten") {
    fs::path pack = the_pack(repo);
    auto size = fs::file_size(pack);
    {
      std::fstream f(pack, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(12));
      std::string junk(static_cast<std::size_t>(size) - 40, '\x5a');
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    Diagnostics diagnostics;
    auto r = testing::run_source(repo.path(), {}, diagnostics);
    CHECK(r.containing("LOOSE_SECRET").size() == 1);
    CHECK(r.containing("PACKED_SECRET").empty());
    CHECK(diagnostics.error_count() > 0);
    CHECK(testing::mentions(diagnostics, repo.path()));
    CHECK(testing::mentions(diagnostics, hex(c1)));
  }
  SECTION("the pack is truncated") {
    fs::path pack = the_pack(repo);
    fs::resize_file(pack, fs::file_size(pack) / 2);
    Diagnostics diagnostics;
    auto r = testing::run_source(repo.path(), {}, diagnostics);
    CHECK(r.containing("LOOSE_SECRET").size() == 1);
    CHECK(diagnostics.error_count() > 0);
    CHECK(testing::mentions(diagnostics, "packed.txt"));
    CHECK(testing::mentions(diagnostics, "corrupt"));
  }
}

TEST_CASE("Git source names a missing blob and scans the others", "[git]") {
  TestRepo repo;
  git_oid lost = repo.blob("LOST_SECRET\n");
  repo.commit("refs/heads/main", {},
              {{"lost.txt", "LOST_SECRET\n"}, {"kept.txt", "KEPT_SECRET\n"}},
              "c1", 1000);
  repo.set_head("refs/heads/main");
  std::string h = hex(lost);
  fs::remove(repo.git_dir() + "objects/" + h.substr(0, 2) + "/" +
             h.substr(2));
  Diagnostics diagnostics;
  auto r = testing::run_source(repo.path(), {}, diagnostics);
  CHECK(r.containing("KEPT_SECRET").size() == 1);
  CHECK(diagnostics.error_count() == 1);
  CHECK(testing::mentions(diagnostics, h));
  CHECK(testing::mentions(diagnostics, "lost.txt"));
}

bool have_git_cli() {
  return std::system("git --version >/dev/null 2>&1") == 0;
}

TEST_CASE("Git source on a shallow clone scans its history and names a "
          "missing range base",
          "[git]") {
  if (!have_git_cli()) {
    WARN("git not installed; shallow clone test skipped");
    return;
  }
  TestRepo repo;
  auto c1 = repo.commit("refs/heads/main", {}, {{"a.txt", "OLD\n"}}, "c1",
                        1000);
  auto c2 = repo.commit("refs/heads/main", {c1},
                        {{"a.txt", "OLD\nMIDDLE\n"}}, "c2", 2000);
  repo.commit("refs/heads/main", {c2}, {{"a.txt", "OLD\nMIDDLE\nNEW\n"}},
              "c3", 3000);
  repo.set_head("refs/heads/main");
  TempDir dir;
  std::string clone = dir.path() + "/shallow";
  std::string cmd = "git clone -q --depth 1 file://" + repo.path() + " " +
                    clone + " 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);

  Diagnostics diagnostics;
  auto r = testing::run_source(clone, {}, diagnostics);
  CHECK(r.blobs.size() == 1);
  CHECK(diagnostics.error_count() == 0);

  sources::SourceOptions options;
  options.range = hex(c1) + "..HEAD";
  auto s = sources::make_git_source(clone, options, diagnostics);
  REQUIRE_FALSE(s);
  CHECK(s.error().describe().find(hex(c1)) != std::string::npos);

  // A deeper clone holds BASE, whose own parent is missing: that is fine.
  std::string deeper = dir.path() + "/deeper";
  cmd = "git clone -q --depth 2 file://" + repo.path() + " " + deeper +
        " 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  options.range = hex(c2) + "..HEAD";
  Diagnostics deep_diagnostics;
  auto deep = testing::run_source(deeper, options, deep_diagnostics);
  REQUIRE(deep.blobs.size() == 1);
  CHECK(deep.blobs[0].lines.size() == 1);
  CHECK(deep.blobs[0].lines[0].first == 3);
  CHECK(deep_diagnostics.error_count() == 0);
}

}  // namespace
}  // namespace sprawl
