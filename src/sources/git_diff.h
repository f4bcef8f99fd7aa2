// Diff-based scans of the git source: the lines a commit would record
// (--staged) and the lines added by the commits of a range (--range,
// --since-commit), as blobs plus added-line ranges in new-file numbering.
#pragma once

#include <git2.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sources/git_history.h"
#include "sprawl/model/blob.h"
#include "sprawl/model/location.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources::git {

/// One file to scan: its new blob and the lines added to it.
struct DiffFile {
  git_oid blob;
  std::string path;
  std::vector<model::LineRange> lines;
  uint32_t commit = kNone;  ///< index into RangeScan::commits; kNone=staged
};

/// Files staged in the index that differ from HEAD's tree (every staged file
/// when there is no commit yet), with their added lines. Never walks
/// history. Fails when the repository has no index (bare).
[[nodiscard]] Expected<std::vector<DiffFile>> staged_files(
    git_repository* repo, const std::string& label, Diagnostics& diagnostics);

struct RangeScan {
  std::vector<DiffFile> files;
  std::vector<git_oid> commit_ids;
  std::vector<model::Provenance> commits;
  git_oid head;
};

/// The lines added by each commit reachable from head but not from base
/// (base empty or all zeros: every commit reachable from head). A merge
/// contributes only lines that are new relative to every parent (its
/// conflict resolution). Fails naming base when it is not in the repository
/// (a shallow clone), and when head cannot be resolved.
[[nodiscard]] Expected<RangeScan> range_files(git_repository* repo,
                                              const std::string& base,
                                              const std::string& head,
                                              const std::string& label,
                                              Diagnostics& diagnostics);

/// Splits "BASE..HEAD" (HEAD defaults to "HEAD"). Fails on other syntax.
[[nodiscard]] Expected<std::pair<std::string, std::string>> parse_range(
    const std::string& range);

/// A hunk of a zero-context diff between two versions of a file.
struct Hunk {
  uint32_t old_start = 0;
  uint32_t old_lines = 0;
  uint32_t new_start = 0;
  uint32_t new_lines = 0;
};

/// Hunks turning old_blob into new_blob.
[[nodiscard]] Expected<std::vector<Hunk>> blob_hunks(git_repository* repo,
                                                     const git_oid& old_blob,
                                                     const git_oid& new_blob);

struct MappedLine {
  uint32_t line = 0;
  bool survived = false;  ///< false: the line was changed or removed
};

/// Where line (old numbering) is in the new version. A line that did not
/// survive maps to the start of the hunk that replaced it.
MappedLine map_line(const std::vector<Hunk>& hunks, uint32_t line);

}  // namespace sprawl::sources::git
