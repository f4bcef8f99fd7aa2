// Picks the source for a command-line path. Each specialised source (git,
// Slack, Jira, JSONL) adds its detection here; plain files are the default.
#include "sprawl/sources/open.h"

#include <sys/stat.h>

#include <cstring>

#include "sprawl/sources/archive_source.h"
#include "sprawl/sources/git_source.h"
#include "sprawl/sources/jira_source.h"
#include "sprawl/sources/jsonl_source.h"
#include "sprawl/sources/slack_source.h"

namespace sprawl::sources {

Expected<std::unique_ptr<Source>> open_source(const std::string& path,
                                              const SourceOptions& options,
                                              Diagnostics& diagnostics) {
  if (options.jsonl) return make_jsonl_source(path, options, diagnostics);
  if (path == "-") return make_file_source(path, options, diagnostics);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(make_error(ErrorCode::kIo, std::strerror(errno), path));
  bool git_diff = options.staged || !options.range.empty() ||
                  !options.since_commit.empty();
  if (!options.no_git && (git_diff || is_git_repository(path))) {
    auto git = make_git_source(path, options, diagnostics);
    if (!git) return fail(git.error());
    return std::unique_ptr<Source>(std::move(*git));
  }
  // A FIFO or device is never opened to look for an export: that could
  // block or read forever.
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
    return make_file_source(path, options, diagnostics);
  if (is_slack_export(path))
    return make_slack_source(path, options, diagnostics);
  if (is_jira_export(path)) return make_jira_source(path, options, diagnostics);
  if (S_ISREG(st.st_mode) && is_archive_path(path))
    return make_archive_source(path, options, diagnostics);
  return make_file_source(path, options, diagnostics);
}

}  // namespace sprawl::sources
