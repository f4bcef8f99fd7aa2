// GitSource: hands blobs of a repository to the pipeline — every distinct
// blob of the history, or the staged/range files with their added lines —
// reading them on worker threads with one libgit2 handle per thread.
#include "sprawl/sources/git_source.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "sources/archive_reader.h"
#include "sources/encoding.h"
#include "sources/git_diff.h"
#include "sources/git_history.h"
#include "sources/git_repo.h"
#include "sprawl/sources/archive_source.h"
#include "sprawl/util/log.h"

namespace sprawl::sources {

using git::kNone;

namespace {

constexpr std::size_t kBinarySniffBytes = 8192;
// Blobs found by the walk are handed out in batches sorted by pack offset.
constexpr std::size_t kBatchBlobs = 4096;

struct ThreadRepo {
  git::RepoPtr repo;
  git::OdbPtr odb;
  std::vector<git_oid> scanned;  ///< blobs this thread read
};

// A blob found by the walk and not yet handed out. The path points into the
// walk's path table, whose bytes never move.
struct PendingBlob {
  git_oid oid;
  std::string_view path;
};

bool is_binary(const char* data, std::size_t size) {
  return std::memchr(data, '\0', std::min(size, kBinarySniffBytes)) !=
         nullptr;
}

}  // namespace

struct GitSource::Impl {
  explicit Impl(Diagnostics& d) : diagnostics(d) {}
  ~Impl() {
    cancel.store(true);
    if (walker.joinable()) walker.join();
  }

  Diagnostics& diagnostics;
  std::string label;     ///< the path as the user gave it
  std::string git_dir;   ///< for opening per-thread handles
  std::string objects;   ///< objects directory, for git::read_object
  GitMode mode = GitMode::kHistory;
  uint64_t chunk_bytes = 8u << 20;
  uint64_t max_blob_bytes = 0;  ///< --max-file-size; 0 = no limit
  uint64_t overlap_bytes = 64u << 10;
  uint64_t max_archive_bytes = 4ull << 30;  ///< expanded total per archive
  git::RepoPtr repo;     ///< the walk's handle, then finish()'s
  tbb::enumerable_thread_specific<ThreadRepo> thread_repos;

  // History: the walk runs on its own thread and queues blobs as it finds
  // them, so that reading and scanning start at once and overlap the walk.
  git::HistoryIndex history;
  git::OidTable known;               ///< blobs of earlier sweeps
  std::unique_ptr<git::PackOffsets> pack_offsets;
  std::vector<PendingBlob> batch;    ///< walk thread only
  std::mutex queue_mutex;
  std::condition_variable queue_ready;
  std::deque<PendingBlob> queue;
  bool walk_done = false;            ///< guarded by queue_mutex
  std::atomic<bool> cancel{false};
  std::atomic<std::size_t> queued{0};
  std::thread walker;

  git::RangeScan diff;               ///< staged (files only) or range
  std::size_t cursor = 0;
  std::atomic<uint64_t> bytes{0};

  void start_walk(const SourceOptions& options);
  void found_blob(const git_oid& oid, std::string_view path);
  void flush_batch(bool done);
  git_odb* thread_odb();
  void visit_chunks(std::string_view data, const model::Location& origin,
                    const std::vector<model::LineRange>* only_lines,
                    uint64_t group_id, const BlobVisitor& visit) const;
  bool read_blob(const git_oid& oid, const std::string& path,
                 git::OdbObjectPtr& out);
  void visit_archive_blob(std::string_view data, const model::Location& origin,
                          uint64_t group, const BlobVisitor& visit);
  bool next_history(Task& task);
  void load_history(Task& task, const BlobVisitor& visit);
  void load_diff(Task& task, const BlobVisitor& visit);
  void finish_history(std::vector<model::Finding>& findings);
  void mark_at_head(std::vector<model::Finding>& findings,
                    const std::vector<uint32_t>& slots);
  void finish_range(std::vector<model::Finding>& findings);
};

void GitSource::Impl::start_walk(const SourceOptions& options) {
  if (options.known_blobs != nullptr) {
    for (const auto& hex : *options.known_blobs) {
      git_oid oid;
      if (git_oid_fromstr(&oid, hex.c_str()) == 0) known.insert(oid, 1);
    }
  }
  // Linked worktrees keep their objects in the common directory.
  pack_offsets = std::make_unique<git::PackOffsets>(
      git_repository_commondir(repo.get()));
  git::HistoryOptions ho;
  ho.refs = options.refs;
  ho.all_objects = options.all_objects;
  ho.label = label;
  ho.cancel = &cancel;
  ho.on_blob = [this](const git_oid& oid, std::string_view path) {
    found_blob(oid, path);
  };
  walker = std::thread([this, ho = std::move(ho)] {
    // No exception may leave the thread: report it and end the walk.
    try {
      history.build(repo.get(), ho, diagnostics);
    } catch (const std::exception& e) {
      diagnostics.error(make_error(ErrorCode::kGit,
                                   std::string("history walk failed: ") +
                                       e.what(),
                                   label));
    }
    flush_batch(true);
    log::debug("git history walked repo={} commits={} blobs={} queued={} "
               "paths={}",
               label, history.commits().size(), history.blobs().size(),
               queued.load(), history.paths().size());
  });
}

void GitSource::Impl::found_blob(const git_oid& oid, std::string_view path) {
  if (known.size() != 0 && known.find(oid) != git::OidTable::kAbsent) return;
  batch.push_back({oid, path});
  if (batch.size() >= kBatchBlobs) flush_batch(false);
}

// Perf: sorting each batch by pack offset reads delta bases before their
// deltas; whole-history pack order would delay the first blob until the
// walk ends, and on 2 cores overlapping the walk with scanning wins more.
void GitSource::Impl::flush_batch(bool done) {
  std::vector<std::pair<uint64_t, std::size_t>> keys;
  keys.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i)
    keys.emplace_back(pack_offsets->key(batch[i].oid), i);
  std::sort(keys.begin(), keys.end());
  {
    std::lock_guard<std::mutex> lock(queue_mutex);
    for (const auto& k : keys) queue.push_back(batch[k.second]);
    if (done) walk_done = true;
  }
  queued.fetch_add(batch.size());
  batch.clear();
  queue_ready.notify_all();
}

bool GitSource::Impl::next_history(Task& task) {
  PendingBlob blob;
  {
    std::unique_lock<std::mutex> lock(queue_mutex);
    queue_ready.wait(lock, [&] { return !queue.empty() || walk_done; });
    if (queue.empty()) return false;
    blob = queue.front();
    queue.pop_front();
  }
  task = Task{};
  task.id = cursor++;
  task.path.assign(blob.path);
  task.data.assign(reinterpret_cast<const char*>(blob.oid.id),
                   GIT_OID_RAWSZ);
  return true;
}

git_odb* GitSource::Impl::thread_odb() {
  ThreadRepo& local = thread_repos.local();
  if (local.odb) return local.odb.get();
  int rc = 0;
  local.repo = git::open_repository(git_dir, false, &rc);
  git_odb* odb = nullptr;
  if (local.repo) rc = git_repository_odb(&odb, local.repo.get());
  if (rc != 0 || odb == nullptr) {
    diagnostics.error(git::git_failure(rc, "cannot open repository", label));
    return nullptr;
  }
  local.odb.reset(odb);
  return odb;
}

bool GitSource::Impl::read_blob(const git_oid& oid, const std::string& path,
                                git::OdbObjectPtr& out) {
  git_odb* odb = thread_odb();
  if (odb == nullptr) return false;
  git_odb_object* obj = nullptr;
  int rc = git::read_object(&obj, odb, oid, objects);
  if (rc != 0) {
    std::string place = "blob " + git::oid_hex(oid);
    if (!path.empty()) place += " (" + path + ")";
    diagnostics.error(git::git_failure(rc, "cannot read object", label, place));
    return false;
  }
  out.reset(obj);
  const std::size_t size = git_odb_object_size(obj);
  if (max_blob_bytes != 0 && size > max_blob_bytes) {
    diagnostics.skipped(label + ":" + path, SkipReason::kTooLarge,
                        "blob " + git::oid_hex(oid) + ", " +
                            std::to_string(size) + " bytes > --max-file-size");
    return false;
  }
  bytes.fetch_add(size, std::memory_order_relaxed);
  return true;
}

void GitSource::Impl::visit_chunks(
    std::string_view data, const model::Location& origin,
    const std::vector<model::LineRange>* only_lines, uint64_t group_id,
    const BlobVisitor& visit) const {
  visit_in_chunks(data, origin, only_lines, group_id, chunk_bytes,
                  overlap_bytes, visit);
}

void GitSource::Impl::load_history(Task& task, const BlobVisitor& visit) {
  git_oid oid;
  SPRAWL_ASSERT(task.data.size() == GIT_OID_RAWSZ);
  std::memcpy(oid.id, task.data.data(), GIT_OID_RAWSZ);
  git::OdbObjectPtr obj;
  if (!read_blob(oid, task.path, obj)) return;
  thread_repos.local().scanned.push_back(oid);
  const char* data = static_cast<const char*>(git_odb_object_data(obj.get()));
  std::size_t size = git_odb_object_size(obj.get());
  model::Location origin;
  origin.source = model::SourceKind::kGit;
  origin.path = task.path;
  origin.blob_id = git::oid_hex(oid);
  uint64_t group;
  std::memcpy(&group, oid.id, sizeof(group));
  const std::string shown = label + ":" + task.path;
  // A deleted backup.zip or app.log.gz in history is a classic leak: its
  // entries are scanned as PATH!/ENTRY of the same blob.
  if (is_archive_path(task.path) && size > 0) {
    visit_archive_blob({data, size}, origin, group, visit);
    return;
  }
  // UTF-16 text (Windows .reg, .ps1, .config exports) is transcoded as in
  // the filesystem source; anything else with NULs is binary.
  visit_text({data, size}, origin, nullptr, group, chunk_bytes, overlap_bytes,
             shown, "blob " + origin.blob_id, diagnostics, visit);
}

void GitSource::Impl::visit_archive_blob(std::string_view data,
                                         const model::Location& origin,
                                         uint64_t group,
                                         const BlobVisitor& visit) {
  const std::string shown = label + ":" + origin.path;
  auto reader = ArchiveReader::open_memory(data, shown, max_archive_bytes);
  if (!reader) {
    diagnostics.error(reader.error());
    return;
  }
  const uint64_t max_entry =
      max_blob_bytes != 0 ? std::min(max_blob_bytes, kMaxArchiveEntryBytes)
                          : kMaxArchiveEntryBytes;
  std::string name, entry_data;
  uint64_t size_hint = 0;
  while ((*reader)->next_entry(name, size_hint, diagnostics)) {
    model::Location inner = origin;
    inner.path = origin.path + "!/" + name;
    const std::string place = label + ":" + inner.path;
    if (is_archive_path(name)) {
      diagnostics.skipped(place, SkipReason::kOther,
                          "archive inside an archive is not opened");
      continue;
    }
    const EntryRead status = (*reader)->read_all_reported(
        entry_data, max_entry, place, name, diagnostics);
    if (status == EntryRead::kTooLarge) continue;
    if (status != EntryRead::kOk) return;
    visit_text(entry_data, inner, nullptr, group, chunk_bytes, overlap_bytes,
               place, "blob " + origin.blob_id, diagnostics, visit);
  }
}

void GitSource::Impl::load_diff(Task& task, const BlobVisitor& visit) {
  const git::DiffFile& file = diff.files[task.id];
  git::OdbObjectPtr obj;
  if (!read_blob(file.blob, file.path, obj)) return;
  const char* data = static_cast<const char*>(git_odb_object_data(obj.get()));
  std::size_t size = git_odb_object_size(obj.get());
  if (is_binary(data, size)) {
    diagnostics.skipped(label + ":" + file.path, SkipReason::kBinary,
                        "blob " + git::oid_hex(file.blob));
    return;
  }
  model::Location origin;
  origin.source = model::SourceKind::kGit;
  origin.path = file.path;
  origin.blob_id = git::oid_hex(file.blob);
  if (file.commit != kNone) origin.provenance = diff.commits[file.commit];
  visit_chunks({data, size}, origin, &file.lines, task.id + 1, visit);
}

void GitSource::Impl::finish_history(std::vector<model::Finding>& findings) {
  // Distinct blobs with findings, in first-seen order.
  std::vector<uint32_t> targets;
  std::unordered_map<uint32_t, uint32_t> slot_of;
  std::vector<uint32_t> finding_slot(findings.size(), kNone);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& loc = findings[i].location;
    git_oid oid;
    if (loc.source != model::SourceKind::kGit || loc.blob_id.empty() ||
        git_oid_fromstr(&oid, loc.blob_id.c_str()) != 0)
      continue;
    uint32_t blob = history.find(oid);
    if (blob == kNone) continue;
    auto [it, inserted] =
        slot_of.emplace(blob, static_cast<uint32_t>(targets.size()));
    if (inserted) targets.push_back(blob);
    finding_slot[i] = it->second;
  }
  if (targets.empty()) return;

  auto start = std::chrono::steady_clock::now();
  auto counts = history.count_occurrences(repo.get(), targets, diagnostics);
  log::debug("git provenance counted blobs={} ms={}", targets.size(),
             std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - start)
                 .count());
  std::vector<std::optional<model::Provenance>> provenance(targets.size());
  std::unordered_map<uint32_t, model::Provenance> by_commit;
  for (std::size_t s = 0; s < targets.size(); ++s) {
    uint32_t commit_idx = history.blobs()[targets[s]].commit_idx;
    if (commit_idx == kNone) continue;
    auto it = by_commit.find(commit_idx);
    if (it == by_commit.end()) {
      git_commit* commit = nullptr;
      const git_oid& id = history.commits()[commit_idx];
      int rc = git_commit_lookup(&commit, repo.get(), &id);
      if (rc != 0) {
        diagnostics.error(git::git_failure(rc, "cannot read commit", label,
                                         "commit " + git::oid_hex(id)));
        continue;
      }
      git::CommitPtr owned(commit);
      it = by_commit.emplace(commit_idx, git::commit_provenance(commit)).first;
    }
    model::Provenance p = it->second;
    p.other_commits = counts[s].commits > 0 ? counts[s].commits - 1 : 0;
    p.other_paths = counts[s].paths > 0 ? counts[s].paths - 1 : 0;
    provenance[s] = std::move(p);
  }
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (finding_slot[i] != kNone && provenance[finding_slot[i]])
      findings[i].location.provenance = provenance[finding_slot[i]];
  mark_at_head(findings, finding_slot);
}

// Whether each credential is still exposed at HEAD: the file at the same
// path in HEAD's tree still holds the secret. Reads one blob per path with
// findings, never the history.
void GitSource::Impl::mark_at_head(std::vector<model::Finding>& findings,
                                   const std::vector<uint32_t>& slots) {
  git_tree* tree = nullptr;
  git_object* head = nullptr;
  if (git_revparse_single(&head, repo.get(), "HEAD^{tree}") == 0)
    tree = reinterpret_cast<git_tree*>(head);
  git::TreePtr head_tree(tree);
  std::unordered_map<std::string, std::string> head_content;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (slots[i] == kNone) continue;
    auto& loc = findings[i].location;
    loc.set_attribute("repo", label);
    auto it = head_content.find(loc.path);
    if (it == head_content.end()) {
      std::string content;
      git_tree_entry* entry = nullptr;
      if (head_tree &&
          git_tree_entry_bypath(&entry, head_tree.get(), loc.path.c_str()) ==
              0) {
        git_blob* blob = nullptr;
        if (git_blob_lookup(&blob, repo.get(), git_tree_entry_id(entry)) ==
            0) {
          content.assign(static_cast<const char*>(git_blob_rawcontent(blob)),
                         static_cast<std::size_t>(git_blob_rawsize(blob)));
          git_blob_free(blob);
        }
        git_tree_entry_free(entry);
      }
      it = head_content.emplace(loc.path, std::move(content)).first;
    }
    const bool present = !findings[i].secret.empty() &&
                         it->second.find(findings[i].secret) !=
                             std::string::npos;
    loc.set_attribute("at_head", present ? "true" : "false");
  }
}

// SARIF of a range scan must point at lines that exist at HEAD: a line that
// survives to HEAD gets its HEAD number; one changed or removed later in the
// range points at the HEAD lines that replaced it; a file deleted by HEAD
// keeps the commit's numbering. The commit's line stays in attributes.
void GitSource::Impl::finish_range(std::vector<model::Finding>& findings) {
  git_commit* head = nullptr;
  if (git_commit_lookup(&head, repo.get(), &diff.head) != 0) return;
  git::CommitPtr owned_head(head);
  git_tree* tree = nullptr;
  if (git_commit_tree(&tree, head) != 0) return;
  git::TreePtr head_tree(tree);
  std::map<std::pair<std::string, std::string>, std::vector<git::Hunk>> memo;
  for (auto& f : findings) {
    auto& loc = f.location;
    if (loc.source != model::SourceKind::kGit || loc.line == 0) continue;
    git_tree_entry* entry = nullptr;
    if (git_tree_entry_bypath(&entry, head_tree.get(), loc.path.c_str()) !=
        0) {
      loc.set_attribute("head", "file deleted");
      continue;
    }
    git::TreeEntryPtr owned_entry(entry);
    std::string head_blob = git::oid_hex(*git_tree_entry_id(entry));
    if (head_blob == loc.blob_id) continue;
    auto key = std::pair{loc.blob_id, head_blob};
    auto it = memo.find(key);
    if (it == memo.end()) {
      git_oid old_id;
      if (git_oid_fromstr(&old_id, loc.blob_id.c_str()) != 0) continue;
      auto hunks = git::blob_hunks(repo.get(), old_id,
                                   *git_tree_entry_id(entry));
      if (!hunks) continue;
      it = memo.emplace(key, std::move(*hunks)).first;
    }
    git::MappedLine mapped = git::map_line(it->second, loc.line);
    if (mapped.line == loc.line && mapped.survived) continue;
    loc.set_attribute("commit_line", std::to_string(loc.line));
    uint32_t span = loc.end_line >= loc.line ? loc.end_line - loc.line : 0;
    loc.line = mapped.line;
    loc.end_line = loc.end_line == 0 ? 0 : mapped.line + span;
    if (!mapped.survived) {
      loc.set_attribute("head", "line changed");
      loc.column = 1;
      loc.end_column = 1;
      loc.end_line = loc.end_line == 0 ? 0 : mapped.line;
    }
  }
}

GitSource::GitSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GitSource::~GitSource() = default;

bool GitSource::next(Task& task) {
  Impl& s = *impl_;
  if (s.mode == GitMode::kHistory) return s.next_history(task);
  if (s.cursor >= s.diff.files.size()) return false;
  task = Task{};
  task.id = s.cursor;
  task.path = s.diff.files[s.cursor].path;
  ++s.cursor;
  return true;
}

void GitSource::load(Task& task, const BlobVisitor& visit) {
  if (impl_->mode == GitMode::kHistory)
    impl_->load_history(task, visit);
  else
    impl_->load_diff(task, visit);
}

void GitSource::finish(std::vector<model::Finding>& findings) {
  // The walk has queued its last blob; let it finish before reading it.
  if (impl_->walker.joinable()) impl_->walker.join();
  if (impl_->mode == GitMode::kHistory) impl_->finish_history(findings);
  if (impl_->mode == GitMode::kRange) impl_->finish_range(findings);
}

uint64_t GitSource::bytes_read() const {
  return impl_->bytes.load(std::memory_order_relaxed);
}

GitMode GitSource::mode() const { return impl_->mode; }

std::size_t GitSource::task_count() const {
  return impl_->mode == GitMode::kHistory ? impl_->queued.load()
                                          : impl_->diff.files.size();
}

std::vector<std::string> GitSource::scanned_blob_ids() const {
  std::vector<std::string> out;
  for (const auto& local : impl_->thread_repos)
    for (const auto& oid : local.scanned) out.push_back(git::oid_hex(oid));
  return out;
}

bool is_git_repository(const std::string& path) {
  std::error_code ec;
  namespace fs = std::filesystem;
  fs::path p(path);
  if (fs::exists(p / ".git", ec)) return true;
  // A bare repository: HEAD, objects/ and refs/ at the top.
  return fs::is_regular_file(p / "HEAD", ec) &&
         fs::is_directory(p / "objects", ec) &&
         fs::is_directory(p / "refs", ec);
}

Expected<std::unique_ptr<GitSource>> make_git_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics) {
  auto impl = std::make_unique<GitSource::Impl>(diagnostics);
  impl->label = path;
  impl->chunk_bytes = options.chunk_bytes;
  impl->max_blob_bytes = options.max_file_bytes;
  impl->overlap_bytes = options.chunk_overlap_bytes;
  impl->max_archive_bytes = options.max_archive_bytes;
  bool diff_mode = options.staged || !options.range.empty() ||
                   !options.since_commit.empty();
  int rc = 0;
  impl->repo = git::open_repository(path, diff_mode, &rc);
  if (!impl->repo)
    return fail(make_error(ErrorCode::kGit,
                           "not a git repository (" +
                               git::last_error_message(rc) + ")",
                           path));
  impl->git_dir = git_repository_path(impl->repo.get());
  impl->objects = git::objects_dir(impl->repo.get());

  if (options.staged) {
    impl->mode = GitMode::kStaged;
    auto files = git::staged_files(impl->repo.get(), path, diagnostics);
    if (!files) return fail(files.error());
    impl->diff.files = std::move(*files);
  } else if (diff_mode) {
    impl->mode = GitMode::kRange;
    std::string base = options.since_commit, head = "HEAD";
    if (!options.range.empty()) {
      auto ends = git::parse_range(options.range);
      if (!ends) return fail(ends.error());
      std::tie(base, head) = *ends;
    }
    auto scan = git::range_files(impl->repo.get(), base, head, path,
                                 diagnostics);
    if (!scan) return fail(scan.error());
    impl->diff = std::move(*scan);
  } else {
    impl->start_walk(options);
  }
  return std::unique_ptr<GitSource>(new GitSource(std::move(impl)));
}

}  // namespace sprawl::sources
