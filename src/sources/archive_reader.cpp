// Sequential zip reading with libarchive (see archive_reader.h). The format
// handler bids between the seekable reader (central directory) and the
// streaming one, so a truncated zip is still read up to the damage.
#include "sources/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <simdjson.h>

#include <fstream>
#include <vector>

namespace sprawl::sources {

bool is_zip_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  if (!in.read(magic, 4)) return false;
  return magic[0] == 'P' && magic[1] == 'K' &&
         ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

std::string sanitize_entry_name(std::string_view name, bool& unsafe) {
  unsafe = false;
  std::string normalized(name);
  for (char& c : normalized)
    if (c == '\\') c = '/';
  if (normalized.size() >= 2 && normalized[1] == ':') {
    normalized.erase(0, 2);
    unsafe = true;
  }
  if (!normalized.empty() && normalized[0] == '/') unsafe = true;
  std::string out;
  std::size_t i = 0;
  while (i <= normalized.size()) {
    std::size_t slash = normalized.find('/', i);
    if (slash == std::string::npos) slash = normalized.size();
    std::string_view part(normalized.data() + i, slash - i);
    if (part == "..") unsafe = true;
    if (!part.empty() && part != "." && part != "..") {
      if (!out.empty()) out.push_back('/');
      out.append(part);
    }
    i = slash + 1;
  }
  return out;
}

ArchiveReader::~ArchiveReader() {
  if (archive_) archive_read_free(archive_);
}

std::unique_ptr<ArchiveReader> ArchiveReader::make(const std::string& path,
                                                   uint64_t max_total_bytes,
                                                   bool any_format) {
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader());
  reader->path_ = path;
  reader->max_total_bytes_ = max_total_bytes;
  reader->kind_ = any_format ? "archive" : "zip";
  reader->entry_separator_ = any_format ? "!/" : ":";
  reader->archive_ = archive_read_new();
  if (any_format) {
    archive_read_support_format_all(reader->archive_);
    // A bare .gz/.bz2/.xz file is one stream, not an archive: raw format
    // reads it as a single entry. It must come after the real formats.
    archive_read_support_format_raw(reader->archive_);
    archive_read_support_filter_all(reader->archive_);
  } else {
    archive_read_support_format_zip(reader->archive_);
    archive_read_support_filter_none(reader->archive_);
  }
  return reader;
}

Expected<std::unique_ptr<ArchiveReader>> ArchiveReader::open_memory(
    std::string_view data, const std::string& label,
    uint64_t max_total_bytes) {
  auto reader = make(label, max_total_bytes, true);
  if (archive_read_open_memory(reader->archive_, data.data(), data.size()) !=
      ARCHIVE_OK) {
    return fail(make_error(ErrorCode::kArchive,
                           "cannot open archive: " +
                               std::string(archive_error_string(reader->archive_)),
                           label));
  }
  return reader;
}

Expected<std::unique_ptr<ArchiveReader>> ArchiveReader::open(
    const std::string& path, uint64_t max_total_bytes, bool any_format) {
  auto reader = make(path, max_total_bytes, any_format);
  if (archive_read_open_filename(reader->archive_, path.c_str(), 1 << 16) !=
      ARCHIVE_OK) {
    return fail(make_error(ErrorCode::kArchive,
                           "cannot open " + reader->kind_ + ": " +
                               archive_error_string(reader->archive_),
                           path));
  }
  return reader;
}

bool ArchiveReader::next_entry(std::string& name, uint64_t& size_hint,
                               Diagnostics& diagnostics) {
  if (failed_ || limit_hit_ || at_end_) return false;
  for (;;) {
    struct archive_entry* entry = nullptr;
    int rc = archive_read_next_header(archive_, &entry);
    if (rc == ARCHIVE_EOF) {
      at_end_ = true;  // libarchive must not be asked again after EOF
      return false;
    }
    if (rc < ARCHIVE_WARN) {
      failed_ = true;
      diagnostics.error(make_error(
          ErrorCode::kArchive,
          kind_ + " is damaged or truncated; entries after this point "
                  "were not scanned: " +
              archive_error_string(archive_),
          path_, name.empty() ? std::string() : "after entry " + name));
      return false;
    }
    const char* raw = archive_entry_pathname(entry);
    std::string_view raw_name = raw ? raw : "";
    bool unsafe = false;
    const auto type = archive_entry_filetype(entry);
    if (type != AE_IFREG || archive_entry_hardlink(entry) != nullptr) {
      // Folders are structure; anything else is an input not read.
      if (type != AE_IFDIR) {
        const std::string shown = sanitize_entry_name(raw_name, unsafe);
        const bool link =
            type == AE_IFLNK || archive_entry_hardlink(entry) != nullptr;
        diagnostics.skipped(path_ + entry_separator_ + shown,
                            link ? SkipReason::kSymlink : SkipReason::kOther,
                            link ? "link inside the archive not followed"
                                 : "not a regular file");
      }
      continue;
    }
    name = sanitize_entry_name(raw_name, unsafe);
    if (unsafe) {
      diagnostics.warning(make_error(
          ErrorCode::kArchive,
          "entry name escapes the archive ('..' or absolute path); read in "
          "memory as '" +
              name + "', nothing is written to disk",
          path_, std::string(raw_name)));
    }
    size_hint = archive_entry_size_is_set(entry)
                    ? static_cast<uint64_t>(archive_entry_size(entry))
                    : 0;
    return true;
  }
}

EntryRead ArchiveReader::account(std::size_t bytes) {
  total_bytes_ += bytes;
  if (max_total_bytes_ != 0 && total_bytes_ > max_total_bytes_) {
    limit_hit_ = true;
    return EntryRead::kLimit;
  }
  return EntryRead::kOk;
}

EntryRead ArchiveReader::read_all_reported(std::string& out,
                                           uint64_t max_entry_bytes,
                                           const std::string& place,
                                           const std::string& entry,
                                           Diagnostics& diagnostics) {
  const EntryRead status = read_all(out, max_entry_bytes);
  if (status == EntryRead::kTooLarge) {
    diagnostics.skipped(place, SkipReason::kTooLarge,
                        "entry larger than " + std::to_string(max_entry_bytes) +
                            " bytes");
  } else if (status != EntryRead::kOk) {
    diagnostics.error(make_error(status == EntryRead::kLimit
                                     ? ErrorCode::kLimit
                                     : ErrorCode::kArchive,
                                 error_message(), path_, entry));
  }
  return status;
}

EntryRead ArchiveReader::read_all(std::string& out, uint64_t max_entry_bytes) {
  out.clear();
  bool too_large = false;
  EntryRead status = read_chunks([&](std::string_view chunk) {
    if (max_entry_bytes != 0 && out.size() + chunk.size() > max_entry_bytes) {
      too_large = true;
      return false;
    }
    out.append(chunk);
    return true;
  });
  if (status == EntryRead::kOk && too_large) {
    archive_read_data_skip(archive_);
    out.clear();
    out.shrink_to_fit();
    return EntryRead::kTooLarge;
  }
  out.reserve(out.size() + simdjson::SIMDJSON_PADDING);
  return status;
}

EntryRead ArchiveReader::read_chunks(
    const std::function<bool(std::string_view)>& sink) {
  thread_local std::vector<char> buffer(1 << 20);
  for (;;) {
    la_ssize_t n = archive_read_data(archive_, buffer.data(), buffer.size());
    if (n == 0) return EntryRead::kOk;
    if (n < 0) {
      failed_ = true;
      return EntryRead::kError;
    }
    if (account(static_cast<std::size_t>(n)) == EntryRead::kLimit)
      return EntryRead::kLimit;
    if (!sink(std::string_view(buffer.data(), static_cast<std::size_t>(n))))
      return EntryRead::kOk;
  }
}

std::string ArchiveReader::error_message() const {
  if (limit_hit_) {
    return kind_ + " expands past the limit of " +
           std::to_string(max_total_bytes_) +
           " bytes of expanded content; the rest was not read";
  }
  const char* message = archive_error_string(archive_);
  return message ? message : "unknown archive error";
}

}  // namespace sprawl::sources
