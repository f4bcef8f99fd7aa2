// Plain files, directories and stdin. Directories are walked serially in
// next() (cheap: names and sizes); file contents are read and cut into
// overlapping chunks on the worker threads in load().
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <deque>
#include <filesystem>
#include <set>

#include "sources/encoding.h"
#include "sprawl/sources/archive_source.h"
#include "sprawl/sources/jira_source.h"
#include "sprawl/sources/open.h"
#include "sprawl/sources/slack_source.h"

namespace sprawl::sources {
namespace {

namespace fs = std::filesystem;

// A glob excludes a path when it matches the path relative to the scan
// root, the path as given, or the entry's name (see docs/output.md).
std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

class FileSource final : public Source {
 public:
  FileSource(std::string root, const SourceOptions& options,
             Diagnostics& diagnostics)
      : root_(std::move(root)), options_(options), diagnostics_(diagnostics) {
    pending_.push_back(root_);
  }

  bool next(Task& task) override {
    while (!files_.empty() || !pending_.empty()) {
      if (!files_.empty()) {
        task = Task{};
        task.path = std::move(files_.front().first);
        task.size_hint = files_.front().second;
        task.id = next_id_++;
        files_.pop_front();
        return true;
      }
      std::string path = std::move(pending_.front());
      pending_.pop_front();
      visit(path);
    }
    return false;
  }

  void load(Task& task, const BlobVisitor& visit) override {
    const int fd = ::open(task.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      diagnostics_.skipped(task.path, SkipReason::kUnreadable,
                           std::strerror(errno));
      return;
    }
    read_chunks(fd, task, visit);
    ::close(fd);
  }

  uint64_t bytes_read() const override { return bytes_read_.load(); }

 private:
  std::string relative(const std::string& path) const {
    if (path == root_) return fs::path(path).filename().string();
    if (path.size() > root_.size() && path.compare(0, root_.size(), root_) == 0)
      return path.substr(root_.size() + (root_.back() == '/' ? 0 : 1));
    return path;
  }

  // Classifies one path: queue a directory, list a file, count a skip.
  void visit(const std::string& path) {
    struct stat st {};
    const bool is_root = path == root_;
    if (::lstat(path.c_str(), &st) != 0) {
      diagnostics_.skipped(path, SkipReason::kUnreadable, std::strerror(errno));
      return;
    }
    if (S_ISLNK(st.st_mode)) {
      if (!options_.follow_symlinks && !is_root) {
        diagnostics_.skipped(path, SkipReason::kSymlink,
                             "symbolic link not followed (--follow-symlinks)");
        return;
      }
      if (::stat(path.c_str(), &st) != 0) {
        diagnostics_.skipped(path, SkipReason::kUnreadable,
                             "broken symbolic link");
        return;
      }
    }
    const std::string name = fs::path(path).filename().string();
    if (!is_root && is_excluded(options_.exclude_globs, relative(path), path, name)) {
      ++excluded_;
      return;
    }
    if (!is_root && is_nested_export(path, name, st)) {
      nested_.push_back(path);
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!is_root && name == ".git") {
        // Its config can hold credentials (remote URLs with a password,
        // http.extraheader left by CI checkouts); the object store is the
        // git source's job, and saying so keeps the skip visible.
        struct stat config {};
        if (::stat((path + "/config").c_str(), &config) == 0 &&
            S_ISREG(config.st_mode))
          pending_.insert(pending_.begin(), path + "/config");
        diagnostics_.skipped(path, SkipReason::kExcluded,
                             "git object database not read as files; scan "
                             "the repository without --no-git for its "
                             "history");
        return;
      }
      if (!visited_dirs_.insert({st.st_dev, st.st_ino}).second) {
        diagnostics_.skipped(path, SkipReason::kOther,
                             "directory loop: already visited");
        return;
      }
      list_directory(path);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      diagnostics_.skipped(path, SkipReason::kOther, "not a regular file");
      return;
    }
    if (options_.max_file_bytes && static_cast<uint64_t>(st.st_size) >
                                       options_.max_file_bytes) {
      diagnostics_.skipped(path, SkipReason::kTooLarge,
                           human_bytes(st.st_size) + " > --max-file-size " +
                               human_bytes(options_.max_file_bytes));
      return;
    }
    files_.emplace_back(path, static_cast<uint64_t>(st.st_size));
  }

  void list_directory(const std::string& dir) {
    std::error_code ec;
    std::vector<std::string> children;
    fs::directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
      diagnostics_.skipped(dir, SkipReason::kUnreadable, ec.message());
      return;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      children.push_back(it->path().string());
    }
    if (ec) diagnostics_.skipped(dir, SkipReason::kUnreadable, ec.message());
    // Sorted so that output order does not depend on the file system.
    std::sort(children.begin(), children.end());
    pending_.insert(pending_.begin(), children.begin(), children.end());
  }

  void read_chunks(int fd, const Task& task, const BlobVisitor& visit);

  std::vector<std::string> nested_inputs() const override { return nested_; }

  // Exports and archives inside a tree are handed to their own source,
  // which reads them decoded. Only cheap checks: folders, zips, archive
  // names and Jira backup files; a loose Jira JSON file is scanned as text.
  static bool is_nested_export(const std::string& path,
                               const std::string& name,
                               const struct stat& st) {
    const auto ends_with = [&](std::string_view suffix) {
      return name.size() >= suffix.size() &&
             name.compare(name.size() - suffix.size(), suffix.size(),
                          suffix) == 0;
    };
    if (S_ISDIR(st.st_mode))
      return name != ".git" && (is_slack_export(path) || is_jira_export(path));
    if (!S_ISREG(st.st_mode)) return false;
    if (ends_with(".zip") && (is_slack_export(path) || is_jira_export(path)))
      return true;
    if (is_archive_path(name)) return true;  // opened by the archive source
    return name == "entities.xml" && is_jira_export(path);
  }

  std::string root_;
  const SourceOptions& options_;
  Diagnostics& diagnostics_;
  std::deque<std::string> pending_;
  std::deque<std::pair<std::string, uint64_t>> files_;
  std::set<std::pair<dev_t, ino_t>> visited_dirs_;
  std::vector<std::string> nested_;
  uint64_t next_id_ = 0;
  uint64_t excluded_ = 0;
  std::atomic<uint64_t> bytes_read_{0};
};

// Reads n bytes at most; returns bytes read or -1.
ssize_t read_full(int fd, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, buf + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

}  // namespace

// Reads the input in chunks of chunk_bytes, each followed by up to
// chunk_overlap_bytes of the next so that a secret straddling the boundary
// is seen whole; matches starting in the overlap belong to the next chunk.
void read_input_chunks(int fd, const std::string& name,
                       const model::Location& origin,
                       const SourceOptions& options, Diagnostics& diagnostics,
                       const BlobVisitor& visit,
                       std::atomic<uint64_t>& bytes_read) {
  const std::size_t chunk = std::max<uint64_t>(options.chunk_bytes, 4096);
  const std::size_t overlap =
      std::min<uint64_t>(options.chunk_overlap_bytes, chunk / 2);
  // Perf: one buffer per thread, reused across inputs; a fresh 8 MiB
  // buffer per file costs more than scanning a small file.
  thread_local std::string buf;
  if (buf.size() != chunk + overlap) buf.resize(chunk + overlap);
  std::size_t have = 0;  // bytes carried over from the previous chunk
  uint32_t line = 1;
  uint64_t column = 1;  // column of the chunk's first byte
  bool first = true, eof = false;
  TextSniffer sniffer;
  while (!eof) {
    const ssize_t r = read_full(fd, buf.data() + have, buf.size() - have);
    if (r < 0) {
      diagnostics.error(make_error(ErrorCode::kIo,
                                   std::string("read failed: ") +
                                       std::strerror(errno),
                                   name));
      return;
    }
    const std::size_t total = have + static_cast<std::size_t>(r);
    eof = total < buf.size();
    bytes_read += static_cast<uint64_t>(r);
    if (first) {
      first = false;
      if (total == 0) {
        diagnostics.skipped(name, SkipReason::kOther, "empty file");
        return;
      }
      const auto kind = sniffer.classify(std::string_view(buf.data(), total));
      if (kind == TextKind::kBinary) {
        diagnostics.skipped(name, SkipReason::kBinary,
                            "binary content (NUL bytes)");
        return;
      }
      if (kind == TextKind::kUtf16Le || kind == TextKind::kUtf16Be) {
        scan_utf16(fd, std::string_view(buf.data(), total), kind, name,
                   origin, options, diagnostics, visit);
        return;
      }
    }
    std::string_view view(buf.data(), total);
    if (sniffer.note_invalid_utf8(view)) {
      diagnostics.warning(make_error(
          ErrorCode::kParse, "invalid UTF-8; scanned as bytes", name,
          "byte " + std::to_string(sniffer.invalid_offset())));
    }
    model::Blob blob;
    blob.bytes = view;
    blob.origin = &origin;
    blob.first_line = line;
    blob.first_column = static_cast<uint32_t>(
        std::min<uint64_t>(column, UINT32_MAX));
    blob.owned_bytes = eof ? total : chunk;
    visit(blob);
    if (eof) break;
    // Carry the overlap into the next chunk and advance the line and
    // column past the bytes this chunk owned.
    line += static_cast<uint32_t>(
        std::count(buf.data(), buf.data() + chunk, '\n'));
    const void* last_nl = memrchr(buf.data(), '\n', chunk);
    column = last_nl ? chunk - (static_cast<const char*>(last_nl) -
                                buf.data())
                     : column + chunk;
    std::memmove(buf.data(), buf.data() + chunk, total - chunk);
    have = total - chunk;
    sniffer.advance(chunk);
  }
}

void FileSource::read_chunks(int fd, const Task& task,
                             const BlobVisitor& visit) {
  model::Location origin;
  origin.source = model::SourceKind::kFile;
  origin.path = task.path;
  read_input_chunks(fd, task.path, origin, options_, diagnostics_, visit,
                    bytes_read_);
}

namespace {

// Standard input, or a pipe named on the command line (a FIFO, or a shell
// process substitution such as <(cmd)): read once, front to back.
class StdinSource final : public Source {
 public:
  StdinSource(std::string path, const SourceOptions& options,
              Diagnostics& diagnostics)
      : path_(std::move(path)), options_(options), diagnostics_(diagnostics) {}

  bool next(Task& task) override {
    if (done_) return false;
    done_ = true;
    task = Task{};
    task.path = path_;
    return true;
  }

  void load(Task&, const BlobVisitor& visit) override {
    model::Location origin;
    const bool is_stdin = path_ == "-";
    origin.source = is_stdin ? model::SourceKind::kStdin
                             : model::SourceKind::kFile;
    origin.path = path_;
    const int fd = is_stdin ? 0 : ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      diagnostics_.skipped(path_, SkipReason::kUnreadable,
                           std::strerror(errno));
      return;
    }
    read_input_chunks(fd, is_stdin ? "<stdin>" : path_, origin, options_,
                      diagnostics_, visit, bytes_read_);
    if (!is_stdin) ::close(fd);
  }

  uint64_t bytes_read() const override { return bytes_read_.load(); }

 private:
  std::string path_;
  const SourceOptions& options_;
  Diagnostics& diagnostics_;
  bool done_ = false;
  std::atomic<uint64_t> bytes_read_{0};
};

}  // namespace

std::unique_ptr<Source> make_file_source(const std::string& path,
                                         const SourceOptions& options,
                                         Diagnostics& diagnostics) {
  struct stat st {};
  if (path == "-" || (::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)))
    return std::make_unique<StdinSource>(path, options, diagnostics);
  return std::make_unique<FileSource>(path, options, diagnostics);
}

}  // namespace sprawl::sources
