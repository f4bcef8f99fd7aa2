// Choosing a source for a path given on the command line: stdin, a git
// repository, a Slack or Jira export, a JSONL document stream, or plain
// files and directories.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

struct SourceOptions {
  // Files and directories.
  std::vector<std::string> exclude_globs;
  uint64_t max_file_bytes = 0;             ///< 0 = no limit
  uint64_t chunk_bytes = 8u << 20;         ///< large inputs are cut here
  uint64_t chunk_overlap_bytes = 64u << 10;  ///< bytes shared by two chunks
  bool follow_symlinks = false;

  // Git (issue 3).
  bool no_git = false;                 ///< treat a repository as files
  std::vector<std::string> refs;       ///< empty = every ref
  bool all_objects = false;            ///< also unreachable objects
  bool staged = false;                 ///< pre-commit: index vs HEAD
  std::string range;                   ///< "BASE..HEAD"
  std::string since_commit;            ///< REV..HEAD
  /// Blob ids already scanned with this rule set (incremental sweeps);
  /// owned by the caller.
  const std::vector<std::string>* known_blobs = nullptr;

  // Slack and Jira exports (issue 5).
  std::string slack_workspace;
  std::string jira_site;
  bool jsonl = false;                  ///< --jsonl: {"data", "metadata"} lines
  uint64_t max_archive_bytes = 4ull << 30;  ///< total expanded zip size
};

/// Opens the source that fits path ("-" is stdin). Errors name the path.
[[nodiscard]] Expected<std::unique_ptr<Source>> open_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

/// Plain files and directories (and "-").
[[nodiscard]] std::unique_ptr<Source> make_file_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

}  // namespace sprawl::sources
