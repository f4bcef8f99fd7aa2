// Full-history walk of the git source: tips from refs, commits in
// topological order (oldest first), each distinct tree once, blobs recorded
// at their first path and commit; occurrence counts for provenance.
#include "sources/git_history.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <queue>
#include <unordered_set>

#include "sprawl/util/log.h"

namespace sprawl::sources::git {
namespace {

constexpr std::size_t kPathBlockBytes = 1u << 20;
// seen_trees_ value of a tree first reached from a tag, not a commit
// (OidTable reserves kNone).
constexpr uint32_t kTaggedTree = kNone - 1;

std::string object_place(const char* kind, const git_oid& oid,
                         std::string_view path = {}) {
  std::string place = std::string(kind) + " " + oid_hex(oid);
  if (!path.empty()) place += " (" + std::string(path) + ")";
  return place;
}

enum class EntryKind { kBlob, kTree, kSubmodule };

// Parses a raw tree object — "<octal mode> <name>\0<20-byte id>" entries —
// calling visit(name, id, kind) for each. False when it is malformed.
// Perf: libgit2's git_tree parse allocates per entry and cost a third of
// the history walk.
template <typename Visit>
bool for_each_entry(git_odb_object* obj, Visit&& visit) {
  if (git_odb_object_type(obj) != GIT_OBJECT_TREE) return false;
  const char* p = static_cast<const char*>(git_odb_object_data(obj));
  const char* end = p + git_odb_object_size(obj);
  while (p < end) {
    const char* space = static_cast<const char*>(std::memchr(p, ' ', end - p));
    const char* nul = space == nullptr ? nullptr
        : static_cast<const char*>(std::memchr(space, '\0', end - space));
    if (nul == nullptr || end - nul < 1 + GIT_OID_RAWSZ) return false;
    // Modes: 40000 tree, 160000 submodule, else a blob (100644, 100755,
    // 120000 symlink).
    EntryKind kind = EntryKind::kBlob;
    if (space - p == 5 && p[0] == '4') kind = EntryKind::kTree;
    if (space - p == 6 && p[0] == '1' && p[1] == '6')
      kind = EntryKind::kSubmodule;
    git_oid id;
    std::memcpy(id.id, nul + 1, GIT_OID_RAWSZ);
    visit(std::string_view(space + 1, nul - space - 1), id, kind);
    p = nul + 1 + GIT_OID_RAWSZ;
  }
  return true;
}

}  // namespace

uint32_t PathTable::intern(std::string_view path) {
  auto it = ids_.find(path);
  if (it != ids_.end()) return it->second;
  if (block_used_ + path.size() > block_size_) {
    block_size_ = std::max(kPathBlockBytes, path.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* dst = blocks_.back().get() + block_used_;
  if (!path.empty()) std::memcpy(dst, path.data(), path.size());
  block_used_ += path.size();
  std::string_view stored(dst, path.size());
  auto id = static_cast<uint32_t>(views_.size());
  views_.push_back(stored);
  ids_.emplace(stored, id);
  return id;
}

uint32_t HistoryIndex::find(const git_oid& oid) const {
  return blob_ids_.find(oid);
}

void HistoryIndex::add_blob(const git_oid& oid, std::string_view path,
                            uint32_t commit_idx) {
  if (!blob_ids_.insert(oid, static_cast<uint32_t>(blobs_.size())).second)
    return;
  BlobRecord record;
  git_oid_cpy(&record.oid, &oid);
  record.path_id = paths_.intern(path);
  record.commit_idx = commit_idx;
  blobs_.push_back(record);
  if (options_ != nullptr && options_->on_blob)
    options_->on_blob(oid, paths_.at(record.path_id));
}

void HistoryIndex::build(git_repository* repo, const HistoryOptions& options,
                         Diagnostics& diagnostics) {
  options_ = &options;
  label_ = options.label;
  Tips tips = collect_tips(repo, options, diagnostics);
  if (tips.commits.empty() && tips.trees.empty() && tips.blobs.empty() &&
      !options.all_objects) {
    diagnostics.warning(make_error(ErrorCode::kGit,
                                   "repository has no commits: nothing in "
                                   "its history to scan",
                                   options.label));
  }
  auto start = std::chrono::steady_clock::now();
  auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - t)
        .count();
  };
  order_commits(repo, tips, options.label, diagnostics);
  log::debug("git commits ordered count={} ms={}", commits_.size(),
             ms_since(start));
  start = std::chrono::steady_clock::now();

  std::string prefix;
  for (uint32_t i = 0; i < commit_trees_.size(); ++i) {
    if (options.cancel != nullptr && options.cancel->load()) break;
    prefix.clear();
    walk_tree(repo, commit_trees_[i], prefix, i, options.label, diagnostics);
  }
  for (const auto& [tree, ref] : tips.trees) {
    prefix = ref + ":";
    walk_tree(repo, tree, prefix, kNone, options.label, diagnostics);
  }
  for (const auto& [blob, ref] : tips.blobs) add_blob(blob, ref, kNone);
  if (options.all_objects) add_unreachable(repo, options.label, diagnostics);
  log::debug("git trees walked trees={} blobs={} ms={}", seen_trees_.size(),
             blobs_.size(), ms_since(start));
  options_ = nullptr;
}

HistoryIndex::Tips HistoryIndex::collect_tips(git_repository* repo,
                                              const HistoryOptions& options,
                                              Diagnostics& diagnostics) {
  Tips tips;
  auto add_object = [&](git_object* peeled, const std::string& name) {
    const git_oid* id = git_object_id(peeled);
    switch (git_object_type(peeled)) {
      case GIT_OBJECT_COMMIT: tips.commits.push_back(*id); break;
      case GIT_OBJECT_TREE: tips.trees.emplace_back(*id, name); break;
      case GIT_OBJECT_BLOB: tips.blobs.emplace_back(*id, name); break;
      default: break;
    }
  };
  auto add_spec = [&](const std::string& spec, bool report) {
    git_object* obj = nullptr;
    int rc = git_revparse_single(&obj, repo, spec.c_str());
    if (rc != 0) {
      if (report)
        diagnostics.error(git_failure(rc, "cannot resolve ref", options.label,
                                    "ref " + spec));
      return;
    }
    ObjectPtr owned(obj);
    // Peel tags (of tags) only: peeling a commit would give its tree.
    while (git_object_type(obj) == GIT_OBJECT_TAG) {
      git_object* target = nullptr;
      rc = git_tag_target(&target, reinterpret_cast<git_tag*>(obj));
      if (rc != 0) {
        diagnostics.error(git_failure(rc, "cannot read tag", options.label,
                                      "ref " + spec));
        return;
      }
      owned.reset(target);
      obj = target;
    }
    add_object(obj, spec);
  };

  if (!options.refs.empty()) {
    for (const auto& ref : options.refs) add_spec(ref, true);
    return tips;
  }
  // HEAD may be detached, or unborn in an empty repository (not an error).
  add_spec("HEAD", false);
  git_reference_iterator* iter = nullptr;
  int rc = git_reference_iterator_new(&iter, repo);
  if (rc != 0) {
    diagnostics.error(git_failure(rc, "cannot list refs", options.label));
    return tips;
  }
  git_reference* ref = nullptr;
  while ((rc = git_reference_next(&ref, iter)) == 0) {
    ReferencePtr owned(ref);
    std::string name = git_reference_name(ref);
    git_object* peeled = nullptr;
    int prc = git_reference_peel(&peeled, ref, GIT_OBJECT_ANY);
    if (prc != 0) {
      diagnostics.error(git_failure(prc, "cannot read ref", options.label,
                                  "ref " + name));
      continue;
    }
    ObjectPtr owned_peeled(peeled);
    add_object(peeled, name);
  }
  if (rc != GIT_ITEROVER)
    diagnostics.error(git_failure(rc, "cannot list refs", options.label));
  git_reference_iterator_free(iter);
  return tips;
}

// Kahn's algorithm over the commit graph with the oldest ready commit first,
// so a commit comes after all its ancestors: the first commit in this order
// that holds a blob is one whose ancestors never held it.
void HistoryIndex::order_commits(git_repository* repo, const Tips& tips,
                                 const std::string& label,
                                 Diagnostics& diagnostics) {
  struct Node {
    git_oid oid;
    git_oid tree;
    int64_t time = 0;
    bool readable = false;
    std::vector<uint32_t> parents;
  };
  std::vector<Node> nodes;
  std::unordered_map<git_oid, uint32_t, OidHash, OidEqual> ids;
  auto node_of = [&](const git_oid& oid) {
    auto [it, inserted] =
        ids.emplace(oid, static_cast<uint32_t>(nodes.size()));
    if (inserted) nodes.push_back(Node{oid, {}, 0, false, {}});
    return std::pair<uint32_t, bool>{it->second, inserted};
  };
  const auto shallow = shallow_commits(repo);

  std::vector<uint32_t> stack;
  for (const auto& tip : tips.commits) {
    auto [idx, inserted] = node_of(tip);
    if (inserted) stack.push_back(idx);
  }
  while (!stack.empty()) {
    uint32_t idx = stack.back();
    stack.pop_back();
    git_commit* commit = nullptr;
    git_oid oid = nodes[idx].oid;
    int rc = git_commit_lookup(&commit, repo, &oid);
    if (rc != 0) {
      diagnostics.error(git_failure(rc, "cannot read commit", label,
                                  object_place("commit", oid)));
      continue;
    }
    CommitPtr owned(commit);
    nodes[idx].readable = true;
    nodes[idx].tree = *git_commit_tree_id(commit);
    nodes[idx].time = git_commit_time(commit);
    if (shallow.count(oid) != 0) continue;
    unsigned n = git_commit_parentcount(commit);
    for (unsigned p = 0; p < n; ++p) {
      auto [pidx, inserted] = node_of(*git_commit_parent_id(commit, p));
      nodes[idx].parents.push_back(pidx);
      if (inserted) stack.push_back(pidx);
    }
  }

  std::vector<uint32_t> pending(nodes.size(), 0);
  std::vector<std::vector<uint32_t>> children(nodes.size());
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].readable) continue;
    for (uint32_t p : nodes[i].parents) {
      if (!nodes[p].readable) continue;
      ++pending[i];
      children[p].push_back(i);
    }
  }
  using Ready = std::pair<int64_t, uint32_t>;
  std::priority_queue<Ready, std::vector<Ready>, std::greater<>> ready;
  for (uint32_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].readable && pending[i] == 0) ready.emplace(nodes[i].time, i);
  while (!ready.empty()) {
    uint32_t i = ready.top().second;
    ready.pop();
    commits_.push_back(nodes[i].oid);
    commit_trees_.push_back(nodes[i].tree);
    for (uint32_t c : children[i])
      if (--pending[c] == 0) ready.emplace(nodes[c].time, c);
  }
}

void HistoryIndex::walk_tree(git_repository* repo, const git_oid& tree_id,
                             std::string& prefix, uint32_t commit_idx,
                             const std::string& label,
                             Diagnostics& diagnostics) {
  // Perf: a tree seen before holds only blobs and trees seen before; this
  // is what keeps a full-history walk proportional to distinct trees.
  // The value is the commit the tree was first seen in (see
  // count_occurrences), or kTaggedTree for trees reached from a tag.
  const uint32_t seen_in = commit_idx == kNone ? kTaggedTree : commit_idx;
  if (!seen_trees_.insert(tree_id, seen_in).second) return;
  git_odb_object* obj = nullptr;
  int rc = 0;
  if (!odb_) {
    git_odb* odb = nullptr;
    rc = git_repository_odb(&odb, repo);
    if (rc != 0) {
      diagnostics.error(git_failure(rc, "cannot open object database",
                                    label));
      return;
    }
    odb_.reset(odb);
  }
  if (objects_.empty()) objects_ = objects_dir(repo);
  rc = read_object(&obj, odb_.get(), tree_id, objects_);
  if (rc != 0) {
    diagnostics.error(git_failure(rc, "cannot read tree", label,
                                  object_place("tree", tree_id, prefix)));
    return;
  }
  OdbObjectPtr owned(obj);
  std::size_t base = prefix.size();
  bool ok = for_each_entry(obj, [&](std::string_view name, const git_oid& id,
                                    EntryKind kind) {
    if (kind == EntryKind::kSubmodule) return;
    prefix.append(name);
    if (kind == EntryKind::kTree) {
      prefix.push_back('/');
      walk_tree(repo, id, prefix, commit_idx, label, diagnostics);
    } else {
      add_blob(id, prefix, commit_idx);
    }
    prefix.resize(base);
  });
  if (!ok)
    diagnostics.error(make_error(ErrorCode::kGit, "malformed tree", label,
                                 object_place("tree", tree_id, prefix)));
}

void HistoryIndex::add_unreachable(git_repository* repo,
                                   const std::string& label,
                                   Diagnostics& diagnostics) {
  git_odb* odb = nullptr;
  int rc = git_repository_odb(&odb, repo);
  if (rc != 0) {
    diagnostics.error(git_failure(rc, "cannot open object database", label));
    return;
  }
  OdbPtr owned(odb);
  struct Payload {
    HistoryIndex* self;
    git_odb* odb;
    std::vector<git_oid> candidates;
  } payload{this, odb, {}};
  rc = git_odb_foreach(
      odb,
      [](const git_oid* id, void* p) {
        auto* pl = static_cast<Payload*>(p);
        if (pl->self->find(*id) == kNone &&
            pl->self->seen_trees_.find(*id) == OidTable::kAbsent)
          pl->candidates.push_back(*id);
        return 0;
      },
      &payload);
  if (rc != 0)
    diagnostics.error(git_failure(rc, "cannot list all objects", label));
  for (const auto& id : payload.candidates) {
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    int hrc = git_odb_read_header(&size, &type, odb, &id);
    if (hrc != 0) {
      diagnostics.error(git_failure(hrc, "cannot read object", label,
                                  object_place("object", id)));
      continue;
    }
    if (type == GIT_OBJECT_BLOB) add_blob(id, "", kNone);
  }
}

namespace {

using SlotMap = std::unordered_map<git_oid, uint32_t, OidHash, OidEqual>;

struct Tally {
  std::vector<uint32_t> commits;                        ///< per target slot
  std::vector<std::unordered_set<std::string>> paths;   ///< per target slot
};

// Counts, over commit_trees[first, last), the commits and paths holding
// each target. Memo: tree -> index into hit lists (kNone = no target
// inside); each distinct tree is read once, and only trees holding a target
// keep a list.
Tally tally_commits(git_odb* odb, const std::string& objects,
                    const SlotMap& slot_of, std::size_t slots,
                    const std::vector<git_oid>& commit_trees,
                    const OidTable& seen_in, uint32_t first, uint32_t last) {
  struct Hit {
    std::string path;
    uint32_t slot;
  };
  std::unordered_map<git_oid, uint32_t, OidHash, OidEqual> memo;
  std::vector<std::vector<Hit>> lists;
  auto hits_of = [&](auto&& self, const git_oid& tree_id) -> uint32_t {
    auto it = memo.find(tree_id);
    if (it != memo.end()) return it->second;
    memo.emplace(tree_id, kNone);
    // Perf: a tree first seen in commit s holds only blobs that commit s
    // holds, so if s is older than every target's first commit it holds no
    // target and is not read again. Old, untouched subtrees (vendor/,
    // docs/) are most of a real repository's trees.
    const uint32_t seen = seen_in.find(tree_id);
    if (seen < first) return kNone;
    git_odb_object* obj = nullptr;
    if (read_object(&obj, odb, tree_id, objects) != 0) return kNone;
    OdbObjectPtr owned(obj);
    std::vector<Hit> hits;
    for_each_entry(obj, [&](std::string_view name, const git_oid& id,
                            EntryKind kind) {
      if (kind == EntryKind::kBlob) {
        auto s = slot_of.find(id);
        if (s != slot_of.end()) hits.push_back({std::string(name), s->second});
      } else if (kind == EntryKind::kTree) {
        uint32_t sub = self(self, id);
        if (sub == kNone) return;
        for (const auto& h : lists[sub])
          hits.push_back({std::string(name) + "/" + h.path, h.slot});
      }
    });
    if (hits.empty()) return kNone;
    lists.push_back(std::move(hits));
    auto idx = static_cast<uint32_t>(lists.size() - 1);
    memo[tree_id] = idx;
    return idx;
  };

  Tally tally{std::vector<uint32_t>(slots, 0),
              std::vector<std::unordered_set<std::string>>(slots)};
  std::vector<uint32_t> last_commit(slots, kNone);
  for (uint32_t c = first; c < last; ++c) {
    uint32_t list = hits_of(hits_of, commit_trees[c]);
    if (list == kNone) continue;
    for (const auto& h : lists[list]) {
      tally.paths[h.slot].insert(h.path);
      if (last_commit[h.slot] != c) {
        last_commit[h.slot] = c;
        ++tally.commits[h.slot];
      }
    }
  }
  return tally;
}

}  // namespace

std::vector<HistoryIndex::Counts> HistoryIndex::count_occurrences(
    git_repository* repo, const std::vector<uint32_t>& targets,
    Diagnostics& diagnostics) const {
  SlotMap slot_of;
  for (uint32_t s = 0; s < targets.size(); ++s)
    slot_of.emplace(blobs_[targets[s]].oid, s);
  // Commits older (in walk order) than every target's first commit cannot
  // hold a target: start at the oldest first commit.
  auto total = static_cast<uint32_t>(commit_trees_.size());
  uint32_t first = total;
  for (uint32_t t : targets) {
    uint32_t c = blobs_[t].commit_idx;
    first = std::min(first, c == kNone ? 0u : c);
  }

  // Perf: this pass reads every distinct tree again (a quarter of a scan
  // with findings on the benchmark). Splitting it over threads by commit
  // range measured no faster: libgit2's pack caches are shared and locked.
  git_odb* odb = nullptr;
  int rc = git_repository_odb(&odb, repo);
  if (rc != 0) {
    diagnostics.error(git_failure(rc, "cannot open object database",
                                  label_));
    return std::vector<Counts>(targets.size());
  }
  OdbPtr owned(odb);
  Tally tally = tally_commits(odb, objects_dir(repo), slot_of,
                              targets.size(), commit_trees_, seen_trees_,
                              first, total);
  std::vector<Counts> counts(targets.size());
  for (uint32_t s = 0; s < targets.size(); ++s) {
    counts[s].commits = tally.commits[s];
    counts[s].paths = static_cast<uint32_t>(tally.paths[s].size());
  }
  return counts;
}

}  // namespace sprawl::sources::git
