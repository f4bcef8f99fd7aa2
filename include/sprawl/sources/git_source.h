// GitSource: git repositories as a source of blobs (issue 3) — full-history
// sweeps, the staged index for pre-commit hooks, and commit ranges for CI.
// Reads objects with libgit2; never spawns git.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sprawl/sources/open.h"
#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

/// Which part of a repository a GitSource reads.
enum class GitMode {
  kHistory,  ///< every blob reachable from the refs (+ unreachable ones)
  kStaged,   ///< lines added in the index relative to HEAD
  kRange,    ///< lines added by the commits of BASE..HEAD
};

/// Scans a git repository. History: construction starts the walk that
/// lists blobs with their first commit and path on a thread of its own;
/// next() hands out each blob as soon as the walk finds it (in batches
/// sorted by pack offset), waiting when the walk has not found one yet.
/// Staged/range: construction computes the diff. load() reads and chunks
/// blobs on worker threads, with one libgit2 repository handle per thread;
/// finish() fills provenance.
class GitSource final : public Source {
 public:
  ~GitSource() override;
  GitSource(const GitSource&) = delete;
  GitSource& operator=(const GitSource&) = delete;

  /// Serial: the next blob (or staged/range file) to read. In history mode
  /// it may wait for the walk to find the next blob.
  bool next(Task& task) override;

  /// Reads the blob of task on the calling thread's repository handle and
  /// visits it, in overlapping chunks when larger than chunk_bytes. Binary
  /// blobs (a NUL in the first 8 KiB) are counted as skipped. Thread-safe.
  void load(Task& task, const BlobVisitor& visit) override;

  /// History: sets the provenance of each finding (the commit that first
  /// introduced its blob at its path, and how many other commits and paths
  /// carry the blob) from tree walks only, never re-reading blobs. Range:
  /// moves line numbers to HEAD where the line still exists there.
  void finish(std::vector<model::Finding>& findings) override;

  /// Bytes of blobs read so far. Thread-safe.
  uint64_t bytes_read() const override;

  /// The kind of scan chosen at construction.
  GitMode mode() const;

  /// Hex ids of the blobs loaded by this source (binary ones included), for
  /// the store of an incremental sweep. Call after the scan; O(blobs).
  std::vector<std::string> scanned_blob_ids() const;

  /// Number of blobs (history: found so far) or changed files
  /// (staged/range) to read.
  std::size_t task_count() const;

 private:
  struct Impl;
  explicit GitSource(std::unique_ptr<Impl> impl);
  friend Expected<std::unique_ptr<GitSource>> make_git_source(
      const std::string&, const SourceOptions&, Diagnostics&);

  std::unique_ptr<Impl> impl_;
};

/// True when path is the top of a working tree (path/.git) or a bare
/// repository. Does not search parent directories. Cheap (a few stats).
[[nodiscard]] bool is_git_repository(const std::string& path);

/// Opens the repository at path and prepares the scan chosen by options
/// (staged, range/since_commit, else full history over options.refs).
/// staged/range also accept a directory inside a working tree. Fails with
/// ErrorCode::kGit naming the path when it is not a repository, when a range
/// end is missing (a shallow clone's BASE: the message names the commit),
/// or when a range scan has no HEAD. Problems with single objects (corrupt
/// pack, missing object, no commits) go to diagnostics and the scan goes on.
/// Cost: history mode walks every commit and every distinct tree once.
[[nodiscard]] Expected<std::unique_ptr<GitSource>> make_git_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

/// Writes `<git dir>/hooks/pre-commit` (or core.hooksPath) running
/// `sprawl scan --staged`, with the absolute path of the running sprawl
/// binary when it is one, else `sprawl` from PATH. Refuses (kInvalidArgument)
/// to replace a hook that sprawl did not write unless force. Fails with
/// kGit when repo_path is not in a repository, kIo when writing fails.
[[nodiscard]] Expected<void> install_pre_commit_hook(
    const std::string& repo_path, bool force);

}  // namespace sprawl::sources
