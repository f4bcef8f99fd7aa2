// Tests of `sprawl hook install`: the pre-commit hook it writes and its
// refusal to replace a hook written by someone else.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "unit/sources/git_fixtures.h"

namespace sprawl {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("Hook install writes an executable pre-commit hook running a "
          "staged scan",
          "[git]") {
  testing::TestRepo repo;
  std::string hook = repo.git_dir() + "hooks/pre-commit";
  REQUIRE(sources::install_pre_commit_hook(repo.path(), false));
  std::string text = read_text(hook);
  CHECK(text.rfind("#!/bin/sh\n", 0) == 0);
  CHECK(text.find("scan --staged") != std::string::npos);
  // The test binary is not sprawl, so the hook falls back to PATH.
  CHECK(text.find("SPRAWL='sprawl'") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat(hook.c_str(), &st) == 0);
  CHECK((st.st_mode & S_IXUSR) != 0);

  SECTION("installing again over its own hook is fine") {
    CHECK(sources::install_pre_commit_hook(repo.path(), false));
  }
  SECTION("a foreign hook is kept unless forced") {
    std::ofstream(hook) << "#!/bin/sh\necho mine\n";
    auto refused = sources::install_pre_commit_hook(repo.path(), false);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().describe().find("--force") != std::string::npos);
    CHECK(read_text(hook).find("echo mine") != std::string::npos);
    REQUIRE(sources::install_pre_commit_hook(repo.path(), true));
    CHECK(read_text(hook).find("scan --staged") != std::string::npos);
  }
}

TEST_CASE("Hook install fails outside a repository", "[git]") {
  testing::TempDir dir;
  auto result = sources::install_pre_commit_hook(dir.path(), false);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kGit);
}

}  // namespace
}  // namespace sprawl
