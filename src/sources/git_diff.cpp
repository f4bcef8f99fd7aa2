// Staged and range diffs for the git source: which lines each changed file
// gained, computed with zero-context libgit2 diffs.
#include "sources/git_diff.h"

#include <algorithm>
#include <map>
#include <optional>
#include <queue>
#include <unordered_map>

namespace sprawl::sources::git {
namespace {

using LineRanges = std::vector<model::LineRange>;

void add_line(LineRanges& ranges, uint32_t line) {
  if (!ranges.empty() && ranges.back().last + 1 == line) {
    ranges.back().last = line;
    return;
  }
  ranges.push_back({line, line});
}

LineRanges intersect(const LineRanges& a, const LineRanges& b) {
  LineRanges out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    uint32_t lo = std::max(a[i].first, b[j].first);
    uint32_t hi = std::min(a[i].last, b[j].last);
    if (lo <= hi) out.push_back({lo, hi});
    if (a[i].last < b[j].last) ++i; else ++j;
  }
  return out;
}

git_diff_options zero_context_options() {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.interhunk_lines = 0;
  return opts;
}

struct Added {
  git_oid blob;
  LineRanges lines;
};

// Added lines per new path of a diff. Binary files are counted as skipped;
// deleted files and submodules have nothing to scan.
std::map<std::string, Added> added_lines(git_diff* diff,
                                         const std::string& label,
                                         Diagnostics& diagnostics) {
  std::map<std::string, Added> out;
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  (void)git_diff_find_similar(diff, &find);
  std::size_t n = git_diff_num_deltas(diff);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_UNMODIFIED ||
        d->new_file.mode == GIT_FILEMODE_COMMIT)
      continue;
    git_patch* patch = nullptr;
    int rc = git_patch_from_diff(&patch, diff, i);
    if (rc != 0) {
      diagnostics.error(git_failure(rc, "cannot diff", label,
                                  d->new_file.path));
      continue;
    }
    if (patch == nullptr) continue;
    const git_diff_delta* pd = git_patch_get_delta(patch);
    if ((pd->flags & GIT_DIFF_FLAG_BINARY) != 0) {
      diagnostics.skipped(label + ":" + pd->new_file.path, SkipReason::kBinary,
                          "blob " + oid_hex(pd->new_file.id));
      git_patch_free(patch);
      continue;
    }
    Added added;
    added.blob = pd->new_file.id;
    std::size_t hunks = git_patch_num_hunks(patch);
    for (std::size_t h = 0; h < hunks; ++h) {
      int lines = git_patch_num_lines_in_hunk(patch, h);
      for (int l = 0; l < lines; ++l) {
        const git_diff_line* line = nullptr;
        if (git_patch_get_line_in_hunk(&line, patch, h, l) != 0) continue;
        if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0)
          add_line(added.lines, static_cast<uint32_t>(line->new_lineno));
      }
    }
    if (!added.lines.empty()) out.emplace(pd->new_file.path, std::move(added));
    git_patch_free(patch);
  }
  return out;
}

bool is_zero_id(const std::string& spec) {
  return !spec.empty() &&
         std::all_of(spec.begin(), spec.end(), [](char c) { return c == '0'; });
}

Expected<git_oid> resolve_commit(git_repository* repo, const std::string& spec,
                                 const std::string& label, bool is_base) {
  git_object* obj = nullptr;
  int rc = git_revparse_single(&obj, repo, spec.c_str());
  if (rc != 0) {
    std::string why = is_base
        ? std::string("not in the repository (a shallow clone? fetch the "
                      "base, e.g. fetch-depth: 0 or git fetch --deepen)")
        : "cannot resolve " + spec;
    return fail(make_error(ErrorCode::kGit, why, label, "commit " + spec));
  }
  ObjectPtr owned(obj);
  git_object* peeled = nullptr;
  rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
  if (rc != 0)
    return fail(git_failure(rc, spec + " is not a commit", label,
                          "commit " + spec));
  git_oid id = *git_object_id(peeled);
  git_object_free(peeled);
  return id;
}

// The added lines of one commit; for a merge, those added relative to
// every parent, i.e. its own conflict resolution.
std::map<std::string, Added> commit_added_lines(git_repository* repo,
                                                git_commit* commit,
                                                const std::string& label,
                                                Diagnostics& diagnostics) {
  git_tree* tree = nullptr;
  int rc = git_commit_tree(&tree, commit);
  std::string place = "commit " + oid_hex(*git_commit_id(commit));
  if (rc != 0) {
    diagnostics.error(git_failure(rc, "cannot read tree", label, place));
    return {};
  }
  TreePtr owned_tree(tree);
  git_diff_options opts = zero_context_options();
  unsigned parents = git_commit_parentcount(commit);
  std::map<std::string, Added> result;
  bool first = true;
  for (unsigned p = 0; p < std::max(parents, 1u); ++p) {
    TreePtr parent_tree;
    if (parents > 0) {
      git_commit* parent = nullptr;
      rc = git_commit_parent(&parent, commit, p);
      git_tree* pt = nullptr;
      if (rc == 0) rc = git_commit_tree(&pt, parent);
      if (parent != nullptr) git_commit_free(parent);
      if (rc != 0) {
        diagnostics.warning(git_failure(rc, "cannot read parent", label,
                                      place + " parent " +
                                      std::to_string(p + 1)));
        continue;
      }
      parent_tree.reset(pt);
    }
    git_diff* diff = nullptr;
    rc = git_diff_tree_to_tree(&diff, repo, parent_tree.get(), tree, &opts);
    if (rc != 0) {
      diagnostics.error(git_failure(rc, "cannot diff", label, place));
      return {};
    }
    DiffPtr owned_diff(diff);
    auto added = added_lines(diff, label, diagnostics);
    if (first) {
      result = std::move(added);
      first = false;
      continue;
    }
    for (auto it = result.begin(); it != result.end();) {
      auto other = added.find(it->first);
      if (other == added.end()) {
        it = result.erase(it);
        continue;
      }
      it->second.lines = intersect(it->second.lines, other->second.lines);
      it = it->second.lines.empty() ? result.erase(it) : std::next(it);
    }
  }
  return result;
}

// Commits reachable from head and not from base, oldest first. libgit2
// 1.5's revwalk fails at the boundary of a shallow clone (it parses the
// missing parents of BASE), so this walks itself, the way git does: commits
// newest first from both ends, painting ancestors of base uninteresting,
// until only uninteresting commits are left to visit.
std::vector<git_oid> range_commits(git_repository* repo, const git_oid& head,
                                   const std::optional<git_oid>& base,
                                   const std::string& label,
                                   Diagnostics& diagnostics) {
  constexpr uint8_t kInteresting = 1, kUninteresting = 2;
  struct Node {
    int64_t time = 0;
    uint8_t flags = 0;
    bool in_queue = false;
    bool readable = false;
    std::vector<git_oid> parents;
  };
  const OidSet shallow = shallow_commits(repo);
  std::unordered_map<git_oid, Node, OidHash, OidEqual> nodes;
  auto load = [&](const git_oid& oid) -> Node& {
    auto [it, inserted] = nodes.try_emplace(oid);
    if (!inserted) return it->second;
    git_commit* commit = nullptr;
    int rc = git_commit_lookup(&commit, repo, &oid);
    if (rc != 0) {
      diagnostics.warning(git_failure(rc, "cannot read commit", label,
                                      "commit " + oid_hex(oid)));
      return it->second;
    }
    CommitPtr owned(commit);
    it->second.readable = true;
    it->second.time = git_commit_time(commit);
    if (shallow.count(oid) == 0)
      for (unsigned p = 0; p < git_commit_parentcount(commit); ++p)
        it->second.parents.push_back(*git_commit_parent_id(commit, p));
    return it->second;
  };

  using Entry = std::pair<int64_t, git_oid>;
  auto newer_first = [](const Entry& a, const Entry& b) {
    if (a.first != b.first) return a.first < b.first;
    return git_oid_cmp(&a.second, &b.second) < 0;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(newer_first)> queue(
      newer_first);
  std::size_t active = 0;  // queued commits not known to be uninteresting
  auto paint = [&](const git_oid& oid, uint8_t flags) {
    Node& node = load(oid);
    uint8_t merged = node.flags | flags;
    if (merged == node.flags || !node.readable) return;
    if (node.in_queue && (node.flags & kUninteresting) == 0 &&
        (merged & kUninteresting) != 0)
      --active;
    node.flags = merged;
    if (node.in_queue) return;
    node.in_queue = true;
    if ((merged & kUninteresting) == 0) ++active;
    queue.emplace(node.time, oid);
  };
  paint(head, kInteresting);
  if (base) paint(*base, kUninteresting);

  std::vector<std::pair<int64_t, git_oid>> picked;
  while (!queue.empty() && active > 0) {
    git_oid oid = queue.top().second;
    queue.pop();
    Node& node = nodes[oid];
    node.in_queue = false;
    if ((node.flags & kUninteresting) == 0) --active;
    uint8_t flags = node.flags;
    std::vector<git_oid> parents = node.parents;
    for (const auto& p : parents) paint(p, flags);
  }
  for (const auto& [oid, node] : nodes)
    if (node.readable && node.flags == kInteresting)
      picked.emplace_back(node.time, oid);
  std::sort(picked.begin(), picked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return git_oid_cmp(&a.second, &b.second) < 0;
  });
  std::vector<git_oid> out;
  for (const auto& p : picked) out.push_back(p.second);
  return out;
}

}  // namespace

Expected<std::vector<DiffFile>> staged_files(git_repository* repo,
                                             const std::string& label,
                                             Diagnostics& diagnostics) {
  git_index* index = nullptr;
  int rc = git_repository_index(&index, repo);
  if (rc != 0)
    return fail(git_failure(rc, "cannot read the index (bare repository?)",
                          label));
  IndexPtr owned_index(index);

  // An unborn HEAD (no commit yet) diffs against the empty tree.
  TreePtr head_tree;
  git_object* head = nullptr;
  rc = git_revparse_single(&head, repo, "HEAD^{tree}");
  if (rc == 0) {
    head_tree.reset(reinterpret_cast<git_tree*>(head));
  } else if (rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH) {
    return fail(git_failure(rc, "cannot read HEAD", label));
  }

  git_diff_options opts = zero_context_options();
  git_diff* diff = nullptr;
  rc = git_diff_tree_to_index(&diff, repo, head_tree.get(), index, &opts);
  if (rc != 0) return fail(git_failure(rc, "cannot diff the index", label));
  DiffPtr owned_diff(diff);
  std::vector<DiffFile> files;
  for (auto& [path, added] : added_lines(diff, label, diagnostics))
    files.push_back({added.blob, path, std::move(added.lines), kNone});
  return files;
}

Expected<std::pair<std::string, std::string>> parse_range(
    const std::string& range) {
  auto dots = range.find("..");
  if (dots == std::string::npos || range.find("...") != std::string::npos)
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "a range is BASE..HEAD", range));
  std::string base = range.substr(0, dots);
  std::string head = range.substr(dots + 2);
  if (head.empty()) head = "HEAD";
  return std::pair{base, head};
}

Expected<RangeScan> range_files(git_repository* repo, const std::string& base,
                                const std::string& head,
                                const std::string& label,
                                Diagnostics& diagnostics) {
  RangeScan scan;
  auto head_id = resolve_commit(repo, head, label, false);
  if (!head_id) return fail(head_id.error());
  scan.head = *head_id;
  std::optional<git_oid> base_id;
  if (!base.empty() && !is_zero_id(base)) {
    auto id = resolve_commit(repo, base, label, true);
    if (!id) return fail(id.error());
    base_id = *id;
    if (git_oid_equal(&*base_id, &scan.head)) return scan;
  }

  auto commits = range_commits(repo, scan.head, base_id, label, diagnostics);
  for (const auto& oid : commits) {
    git_commit* commit = nullptr;
    int rc = git_commit_lookup(&commit, repo, &oid);
    if (rc != 0) {
      diagnostics.error(git_failure(rc, "cannot read commit", label,
                                    "commit " + oid_hex(oid)));
      continue;
    }
    CommitPtr owned(commit);
    auto idx = static_cast<uint32_t>(scan.commits.size());
    auto added = commit_added_lines(repo, commit, label, diagnostics);
    if (added.empty()) continue;
    scan.commit_ids.push_back(oid);
    scan.commits.push_back(commit_provenance(commit));
    for (auto& [path, a] : added)
      scan.files.push_back({a.blob, path, std::move(a.lines), idx});
  }
  return scan;
}

Expected<std::vector<Hunk>> blob_hunks(git_repository* repo,
                                       const git_oid& old_blob,
                                       const git_oid& new_blob) {
  git_blob* a = nullptr;
  git_blob* b = nullptr;
  int rc = git_blob_lookup(&a, repo, &old_blob);
  if (rc == 0) rc = git_blob_lookup(&b, repo, &new_blob);
  BlobPtr owned_a(a), owned_b(b);
  if (rc != 0)
    return fail(git_failure(rc, "cannot read blob", "", oid_hex(old_blob)));
  std::vector<Hunk> hunks;
  git_diff_options opts = zero_context_options();
  rc = git_diff_blobs(
      a, nullptr, b, nullptr, &opts, nullptr, nullptr,
      [](const git_diff_delta*, const git_diff_hunk* h, void* payload) {
        static_cast<std::vector<Hunk>*>(payload)->push_back(
            {static_cast<uint32_t>(h->old_start),
             static_cast<uint32_t>(h->old_lines),
             static_cast<uint32_t>(h->new_start),
             static_cast<uint32_t>(h->new_lines)});
        return 0;
      },
      nullptr, &hunks);
  if (rc != 0) return fail(git_failure(rc, "cannot diff blobs", ""));
  return hunks;
}

MappedLine map_line(const std::vector<Hunk>& hunks, uint32_t line) {
  int64_t delta = 0;
  for (const auto& h : hunks) {
    if (h.old_lines == 0) {
      // Pure insertion after old line old_start.
      if (line <= h.old_start) break;
      delta += h.new_lines;
      continue;
    }
    if (line < h.old_start) break;
    if (line < h.old_start + h.old_lines)
      return {std::max<uint32_t>(1, h.new_start), false};
    delta += int64_t{h.new_lines} - int64_t{h.old_lines};
  }
  return {static_cast<uint32_t>(int64_t{line} + delta), true};
}

}  // namespace sprawl::sources::git
