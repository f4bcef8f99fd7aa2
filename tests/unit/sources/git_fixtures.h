// Test fixtures for the git source: repositories with a known history built
// with libgit2 in a temporary directory, and a runner that collects the
// blobs a GitSource yields.
#pragma once

#include <git2.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sprawl/sources/git_source.h"

namespace sprawl::testing {

inline std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof(buf), &oid);
  return buf;
}

inline void check_git(int rc) {
  if (rc != 0) {
    const git_error* e = git_error_last();
    FAIL("libgit2: " << (e != nullptr ? e->message : "?"));
  }
}

/// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sprawl-git-XXXXXX")
            .string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A repository whose commits are made from explicit file changes.
class TestRepo {
 public:
  using Changes = std::map<std::string, std::optional<std::string>>;

  explicit TestRepo(bool bare = false) {
    git_libgit2_init();
    path_ = dir_.path() + "/repo";
    check_git(git_repository_init(&repo_, path_.c_str(), bare ? 1 : 0));
  }
  ~TestRepo() {
    git_repository_free(repo_);
    git_libgit2_shutdown();
  }
  const std::string& path() const { return path_; }
  git_repository* repo() const { return repo_; }

  /// Commits the tree of parents[0] (or empty) with changes applied
  /// (nullopt deletes) and points ref at it ("" leaves refs alone).
  git_oid commit(const std::string& ref, const std::vector<git_oid>& parents,
                 const Changes& changes, const std::string& message,
                 int64_t time) {
    git_index* index = nullptr;
    check_git(git_index_new(&index));
    if (!parents.empty()) {
      git_commit* parent = nullptr;
      git_tree* tree = nullptr;
      check_git(git_commit_lookup(&parent, repo_, &parents[0]));
      check_git(git_commit_tree(&tree, parent));
      check_git(git_index_read_tree(index, tree));
      git_tree_free(tree);
      git_commit_free(parent);
    }
    apply(index, changes);
    git_oid tree_id;
    check_git(git_index_write_tree_to(&tree_id, index, repo_));
    git_index_free(index);
    git_tree* tree = nullptr;
    check_git(git_tree_lookup(&tree, repo_, &tree_id));
    git_signature* sig = nullptr;
    check_git(git_signature_new(&sig, "Dev Eloper", "dev@corp.invalid", time,
                                0));
    std::vector<const git_commit*> ps;
    for (const auto& p : parents) {
      git_commit* c = nullptr;
      check_git(git_commit_lookup(&c, repo_, &p));
      ps.push_back(c);
    }
    git_oid id;
    check_git(git_commit_create(&id, repo_, nullptr, sig, sig, nullptr,
                                message.c_str(), tree, ps.size(),
                                ps.data()));
    for (auto* c : ps) git_commit_free(const_cast<git_commit*>(c));
    git_signature_free(sig);
    git_tree_free(tree);
    if (!ref.empty()) set_ref(ref, id);
    return id;
  }

  void set_ref(const std::string& ref, const git_oid& id) {
    git_reference* r = nullptr;
    check_git(git_reference_create(&r, repo_, ref.c_str(), &id, 1, "test"));
    git_reference_free(r);
  }

  void set_head(const std::string& ref) {
    check_git(git_repository_set_head(repo_, ref.c_str()));
  }

  void annotated_tag(const std::string& name, const git_oid& target) {
    git_object* obj = nullptr;
    check_git(git_object_lookup(&obj, repo_, &target, GIT_OBJECT_ANY));
    git_signature* sig = nullptr;
    check_git(git_signature_new(&sig, "Tagger", "tag@corp.invalid", 5000, 0));
    git_oid tag;
    check_git(git_tag_create(&tag, repo_, name.c_str(), obj, sig, "tag", 1));
    git_signature_free(sig);
    git_object_free(obj);
  }

  git_oid blob(const std::string& content) {
    git_oid id;
    check_git(git_blob_create_from_buffer(&id, repo_, content.data(),
                                          content.size()));
    return id;
  }

  /// Stages changes in the repository's real index (on top of what is
  /// staged already).
  void stage(const Changes& changes) {
    git_index* index = nullptr;
    check_git(git_repository_index(&index, repo_));
    apply(index, changes);
    check_git(git_index_write(index));
    git_index_free(index);
  }

  /// Resets the real index to the tree of commit.
  void reset_index(const git_oid& commit) {
    git_index* index = nullptr;
    git_commit* c = nullptr;
    git_tree* tree = nullptr;
    check_git(git_repository_index(&index, repo_));
    check_git(git_commit_lookup(&c, repo_, &commit));
    check_git(git_commit_tree(&tree, c));
    check_git(git_index_read_tree(index, tree));
    check_git(git_index_write(index));
    git_tree_free(tree);
    git_commit_free(c);
    git_index_free(index);
  }

  std::string git_dir() const { return git_repository_path(repo_); }

 private:
  void apply(git_index* index, const Changes& changes) {
    for (const auto& [path, content] : changes) {
      if (!content) {
        check_git(git_index_remove_bypath(index, path.c_str()));
        continue;
      }
      git_index_entry entry{};
      entry.mode = GIT_FILEMODE_BLOB;
      entry.path = path.c_str();
      entry.id = blob(*content);
      entry.file_size = static_cast<uint32_t>(content->size());
      check_git(git_index_add(index, &entry));
    }
  }

  TempDir dir_;
  std::string path_;
  git_repository* repo_ = nullptr;
};

/// What a GitSource yielded for one blob (chunks joined by the runner).
struct Seen {
  std::string path;
  std::string blob_id;
  std::string bytes;  ///< first chunk
  std::vector<model::LineRange> lines;
  std::optional<model::Provenance> provenance;
  model::Location origin;
  int chunks = 0;
  std::vector<uint32_t> first_lines;
};

struct RunResult {
  std::vector<Seen> blobs;
  std::unique_ptr<sources::GitSource> source;

  /// The blobs whose first chunk contains needle.
  std::vector<const Seen*> containing(const std::string& needle) const {
    std::vector<const Seen*> out;
    for (const auto& b : blobs)
      if (b.bytes.find(needle) != std::string::npos) out.push_back(&b);
    return out;
  }

  /// A finding on the first line containing needle in blob b, as the
  /// matcher would make it.
  model::Finding finding_for(const Seen& b, const std::string& needle) const {
    model::Finding f;
    f.rule_id = "test";
    f.location = b.origin;
    std::size_t at = b.bytes.find(needle);
    f.location.line = 1 + static_cast<uint32_t>(
        std::count(b.bytes.begin(), b.bytes.begin() + at, '\n'));
    f.location.end_line = f.location.line;
    f.location.column = 1;
    f.location.end_column = static_cast<uint32_t>(needle.size());
    f.offset = at;
    return f;
  }
};

/// Opens a GitSource on path and loads every task serially.
inline RunResult run_source(const std::string& path,
                            const sources::SourceOptions& options,
                            Diagnostics& diagnostics) {
  RunResult result;
  auto source = sources::make_git_source(path, options, diagnostics);
  if (!source) FAIL("make_git_source: " << source.error().describe());
  sources::Task task;
  while ((*source)->next(task)) {
    Seen seen;
    (*source)->load(task, [&](const model::Blob& blob) {
      if (seen.chunks == 0) {
        seen.path = blob.origin->path;
        seen.blob_id = blob.origin->blob_id;
        seen.bytes = std::string(blob.bytes);
        seen.origin = *blob.origin;
        seen.provenance = blob.origin->provenance;
        if (blob.only_lines != nullptr) seen.lines = *blob.only_lines;
      }
      seen.first_lines.push_back(blob.first_line);
      ++seen.chunks;
    });
    if (seen.chunks > 0) result.blobs.push_back(std::move(seen));
  }
  result.source = std::move(*source);
  return result;
}

inline bool mentions(const Diagnostics& diagnostics, const std::string& text) {
  for (const auto& d : diagnostics.diagnostics())
    if (d.error.describe().find(text) != std::string::npos) return true;
  return false;
}

}  // namespace sprawl::testing
