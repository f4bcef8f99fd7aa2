// `sprawl hook install`: writes a git pre-commit hook that runs
// `sprawl scan --staged`, without clobbering a hook someone else wrote.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sources/git_repo.h"
#include "sprawl/sources/git_source.h"

namespace sprawl::sources {
namespace {

constexpr std::string_view kMarker = "# installed by `sprawl hook install`";

// The running binary when it is sprawl itself (not, say, a test binary),
// else the name to find on PATH.
std::string sprawl_command() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && self.filename() == "sprawl") return self.string();
  return "sprawl";
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''"; else out += c;
  }
  return out + "'";
}

std::filesystem::path hooks_dir(git_repository* repo) {
  namespace fs = std::filesystem;
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo) == 0) {
    git::ConfigPtr owned(config);
    const char* value = nullptr;
    if (git_config_get_string(&value, config, "core.hooksPath") == 0 &&
        value != nullptr && value[0] != '\0') {
      fs::path p(value);
      if (p.is_relative()) {
        const char* workdir = git_repository_workdir(repo);
        p = fs::path(workdir != nullptr ? workdir
                                        : git_repository_path(repo)) / p;
      }
      return p;
    }
  }
  // Linked worktrees share the hooks of the common directory.
  return fs::path(git_repository_commondir(repo)) / "hooks";
}

}  // namespace

Expected<void> install_pre_commit_hook(const std::string& repo_path,
                                       bool force) {
  namespace fs = std::filesystem;
  int rc = 0;
  git::RepoPtr repo = git::open_repository(repo_path, true, &rc);
  if (!repo)
    return fail(make_error(ErrorCode::kGit, "not a git repository",
                           repo_path));
  fs::path dir = hooks_dir(repo.get());
  fs::path hook = dir / "pre-commit";

  std::error_code ec;
  if (fs::exists(hook, ec) && !force) {
    std::ifstream in(hook);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(kMarker) == std::string::npos)
      return fail(make_error(ErrorCode::kInvalidArgument,
                             "a pre-commit hook not written by sprawl is "
                             "already there; use --force to replace it",
                             hook.string()));
  }
  fs::create_directories(dir, ec);
  std::string cmd = sprawl_command();
  std::ofstream out(hook, std::ios::trunc);
  out << "#!/bin/sh\n"
      << kMarker << "\n"
      << "# Blocks a commit whose staged lines hold a credential.\n"
      << "SPRAWL=" << shell_quote(cmd) << "\n"
      << "if ! command -v \"$SPRAWL\" >/dev/null 2>&1; then SPRAWL=sprawl; "
         "fi\n"
      << "exec \"$SPRAWL\" scan --staged\n";
  out.close();
  if (!out)
    return fail(make_error(ErrorCode::kIo, "cannot write the hook",
                           hook.string()));
  if (::chmod(hook.c_str(), 0755) != 0)
    return fail(make_error(ErrorCode::kIo, "cannot make the hook executable",
                           hook.string()));
  return {};
}

}  // namespace sprawl::sources
