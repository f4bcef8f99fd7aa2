// The full-history index of a repository: every distinct blob reachable from
// the chosen refs, with the first path and the first commit (oldest first)
// that carried it, built by walking each distinct tree once.
#pragma once

#include <git2.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sources/git_oid_table.h"
#include "sources/git_repo.h"
#include "sprawl/util/diagnostics.h"

namespace sprawl::sources::git {

inline constexpr uint32_t kNone = 0xffffffffu;

/// Interned paths: one copy of each string, addressed by a 32-bit id.
/// Perf: strings live in 1 MiB blocks, so a path costs its bytes plus a
/// view and a hash-table slot.
class PathTable {
 public:
  uint32_t intern(std::string_view path);
  std::string_view at(uint32_t id) const { return views_[id]; }
  std::size_t size() const { return views_.size(); }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
  std::vector<std::string_view> views_;
  std::unordered_map<std::string_view, uint32_t> ids_;
};

struct BlobRecord {
  git_oid oid;
  uint32_t path_id = kNone;    ///< first path it was seen at
  uint32_t commit_idx = kNone; ///< first commit (index into commits)
};

struct HistoryOptions {
  std::vector<std::string> refs;  ///< empty = every ref and HEAD
  bool all_objects = false;
  std::string label;              ///< the repository as the user named it
  /// Called on the walking thread for each new blob, as soon as it is
  /// found, with its index in blobs() and its (stable) path.
  std::function<void(const git_oid&, std::string_view path)> on_blob;
  /// Set from another thread to stop the walk early.
  const std::atomic<bool>* cancel = nullptr;
};

class HistoryIndex {
 public:
  /// Walks the history. Unreadable refs, commits and trees are reported to
  /// diagnostics naming the object; the walk goes on around them.
  void build(git_repository* repo, const HistoryOptions& options,
             Diagnostics& diagnostics);

  const std::vector<BlobRecord>& blobs() const { return blobs_; }
  const std::vector<git_oid>& commits() const { return commits_; }
  const PathTable& paths() const { return paths_; }
  /// Index of a blob in blobs(), or kNone.
  uint32_t find(const git_oid& oid) const;

  struct Counts {
    uint32_t commits = 0;  ///< commits whose tree holds the blob
    uint32_t paths = 0;    ///< distinct paths it is held at
  };
  /// For each blob index in targets, how many commits and paths carry it.
  /// Walks every distinct tree once more, remembering only target hits.
  std::vector<Counts> count_occurrences(git_repository* repo,
                                        const std::vector<uint32_t>& targets,
                                        Diagnostics& diagnostics) const;

 private:
  struct Tips {
    std::vector<git_oid> commits;
    std::vector<std::pair<git_oid, std::string>> trees;  ///< tagged trees
    std::vector<std::pair<git_oid, std::string>> blobs;  ///< tagged blobs
  };
  Tips collect_tips(git_repository* repo, const HistoryOptions& options,
                    Diagnostics& diagnostics);
  void order_commits(git_repository* repo, const Tips& tips,
                     const std::string& label, Diagnostics& diagnostics);
  void walk_tree(git_repository* repo, const git_oid& tree_id,
                 std::string& prefix, uint32_t commit_idx,
                 const std::string& label, Diagnostics& diagnostics);
  void add_blob(const git_oid& oid, std::string_view path,
                uint32_t commit_idx);
  void add_unreachable(git_repository* repo, const std::string& label,
                       Diagnostics& diagnostics);

  const HistoryOptions* options_ = nullptr;  ///< during build() only
  OdbPtr odb_;                               ///< the walk's object database
  std::string objects_;                      ///< its objects directory
  std::string label_;
  std::vector<BlobRecord> blobs_;
  OidTable blob_ids_;
  std::vector<git_oid> commits_;       ///< topological, oldest first
  std::vector<git_oid> commit_trees_;  ///< root tree of each commit
  OidTable seen_trees_;  ///< tree -> commit index it was first seen in
  PathTable paths_;
};

struct PackIndex;

/// Where objects lie in the repository's packs, for reading blobs in pack
/// order (delta bases before their deltas, so that libgit2's delta-base
/// cache is reused). Reads the pack .idx (version 2) files directly:
/// libgit2 1.5 has no API for pack offsets. Immutable after construction.
class PackOffsets {
 public:
  explicit PackOffsets(const std::string& git_dir);
  ~PackOffsets();
  /// Sort key: pack number, then offset; loose objects sort last.
  uint64_t key(const git_oid& oid) const;

 private:
  std::vector<std::shared_ptr<PackIndex>> packs_;
};

}  // namespace sprawl::sources::git
