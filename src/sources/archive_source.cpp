// Archive source: entries are read serially by next() (libarchive streams
// cannot be shared between threads) and scanned on worker threads.
#include "sprawl/sources/archive_source.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <string_view>

#include "sources/archive_reader.h"
#include "sources/encoding.h"

namespace sprawl::sources {
namespace {

// Perf and memory: entries are held whole while in flight, so the default
// cap is lower than for files, which are read in chunks.
constexpr uint64_t kMaxEntryBytes = kMaxArchiveEntryBytes;

bool ends_with_icase(std::string_view name, std::string_view suffix) {
  if (name.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(),
                    name.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) {
                      return a == std::tolower(static_cast<unsigned char>(b));
                    });
}

// The name of a lone compressed stream's content: app.log.gz -> app.log.
std::string stream_name(const std::string& path) {
  std::string name = path.substr(path.rfind('/') + 1);
  for (std::string_view ext : {".gz", ".bz2", ".xz"})
    if (ends_with_icase(name, ext))
      return name.substr(0, name.size() - ext.size());
  return name;
}

class ArchiveSource final : public Source {
 public:
  ArchiveSource(std::string path, const SourceOptions& options,
                Diagnostics& diagnostics,
                std::unique_ptr<ArchiveReader> reader)
      : path_(std::move(path)),
        options_(options),
        diagnostics_(diagnostics),
        reader_(std::move(reader)) {}

  bool next(Task& task) override {
    std::string name;
    uint64_t size = 0;
    while (reader_->next_entry(name, size, diagnostics_)) {
      ++entries_;
      // libarchive's raw format names a lone stream "data".
      const std::string entry =
          raw_stream() && name == "data" ? stream_name(path_) : name;
      const std::string place = path_ + "!/" + entry;
      const std::string base = entry.substr(entry.rfind('/') + 1);
      if (is_excluded(options_.exclude_globs, entry, place, base)) {
        diagnostics_.skipped(place, SkipReason::kExcluded, "--exclude");
        continue;
      }
      if (is_archive_path(entry)) {
        diagnostics_.skipped(place, SkipReason::kOther,
                             "archive inside an archive is not opened");
        continue;
      }
      const EntryRead status = reader_->read_all_reported(
          task.data, max_entry_bytes(), place, entry, diagnostics_);
      if (status == EntryRead::kTooLarge) continue;
      if (status != EntryRead::kOk) return false;
      task.path = place;
      task.size_hint = task.data.size();
      return true;
    }
    if (entries_ == 0 && !reported_empty_) {
      reported_empty_ = true;
      diagnostics_.skipped(path_, SkipReason::kOther,
                           "archive holds no entries");
    }
    return false;
  }

  void load(Task& task, const BlobVisitor& visit) override {
    bytes_read_ += task.data.size();
    model::Location origin;
    origin.source = model::SourceKind::kFile;
    origin.path = task.path;
    visit_text(task.data, origin, nullptr, task.id + 1, options_.chunk_bytes,
               options_.chunk_overlap_bytes, task.path, "", diagnostics_,
               visit);
  }

  uint64_t bytes_read() const override { return bytes_read_.load(); }

 private:
  // The smaller of --max-file-size and 64 MiB.
  uint64_t max_entry_bytes() const {
    return options_.max_file_bytes != 0
               ? std::min(options_.max_file_bytes, kMaxEntryBytes)
               : kMaxEntryBytes;
  }
  bool raw_stream() const {
    return !ends_with_icase(path_, ".zip") && !is_tar_name(path_);
  }
  static bool is_tar_name(std::string_view path) {
    for (std::string_view ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2",
                                 ".tbz2", ".tar.xz", ".txz"})
      if (ends_with_icase(path, ext)) return true;
    return false;
  }

  std::string path_;
  SourceOptions options_;
  Diagnostics& diagnostics_;
  std::unique_ptr<ArchiveReader> reader_;
  std::atomic<uint64_t> bytes_read_{0};
  uint64_t entries_ = 0;
  bool reported_empty_ = false;
};

}  // namespace

bool is_archive_path(const std::string& path) {
  for (std::string_view ext : {".zip", ".tar", ".tgz", ".tbz2", ".txz", ".gz",
                               ".bz2", ".xz"})
    if (ends_with_icase(path, ext)) return true;
  return false;
}

Expected<std::unique_ptr<Source>> make_archive_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics) {
  auto reader = ArchiveReader::open(path, options.max_archive_bytes, true);
  if (!reader) return fail(reader.error());
  return std::unique_ptr<Source>(std::make_unique<ArchiveSource>(
      path, options, diagnostics, std::move(*reader)));
}

}  // namespace sprawl::sources
