// Private helpers of the git source: RAII owners for libgit2 objects, the
// conversion of libgit2 return codes to sprawl Errors, and oid hashing.
// Only src/sources/git_*.cpp include this.
#pragma once

#include <git2.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "sprawl/model/location.h"
#include "sprawl/util/error.h"

namespace sprawl::sources::git {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using RepoPtr = Owned<git_repository, git_repository_free>;
using CommitPtr = Owned<git_commit, git_commit_free>;
using TreePtr = Owned<git_tree, git_tree_free>;
using TreeEntryPtr = Owned<git_tree_entry, git_tree_entry_free>;
using BlobPtr = Owned<git_blob, git_blob_free>;
using OdbPtr = Owned<git_odb, git_odb_free>;
using OdbObjectPtr = Owned<git_odb_object, git_odb_object_free>;
using ObjectPtr = Owned<git_object, git_object_free>;
using ReferencePtr = Owned<git_reference, git_reference_free>;
using IndexPtr = Owned<git_index, git_index_free>;
using DiffPtr = Owned<git_diff, git_diff_free>;
using RevwalkPtr = Owned<git_revwalk, git_revwalk_free>;
using ConfigPtr = Owned<git_config, git_config_free>;

/// Initializes libgit2 once per process with the options the scanner wants
/// (no hash verification on read, no blob caching). Thread-safe.
void ensure_libgit2();

/// The last libgit2 error message, or a description of code.
std::string last_error_message(int code);

/// An Error of kind kGit for a failed libgit2 call.
Error git_failure(int code, std::string what, std::string input,
                std::string place = {});

inline std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof(buf), &oid);
  return std::string(buf, GIT_OID_HEXSZ);
}

struct OidHash {
  std::size_t operator()(const git_oid& oid) const {
    // Perf: object ids are already uniformly distributed.
    std::size_t h;
    std::memcpy(&h, oid.id, sizeof(h));
    return h;
  }
};

struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const {
    return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) == 0;
  }
};

using OidSet = std::unordered_set<git_oid, OidHash, OidEqual>;

/// Commits at the boundary of a shallow clone (listed in .git/shallow):
/// their parents are absent by design, not by corruption.
OidSet shallow_commits(git_repository* repo);

/// The commit's id, author and summary as provenance (counts left at 0).
model::Provenance commit_provenance(git_commit* commit);

/// Opens a repository at exactly path (a working tree top or a git dir), or,
/// when search is true, the repository containing path.
RepoPtr open_repository(const std::string& path, bool search, int* code);

/// git_odb_read, except that a loose object is first inflated whole with
/// zlib and its header checked: libgit2 1.5 loops forever on a truncated
/// loose object. Returns a libgit2 error code (with git_error_set_str) for a
/// corrupt one. objects_dir: the repository's common dir + "objects".
int read_object(git_odb_object** out, git_odb* odb, const git_oid& id,
                const std::string& objects_dir);

/// The objects directory of repo (shared by linked worktrees).
std::string objects_dir(git_repository* repo);

}  // namespace sprawl::sources::git
