// Sequential archive reading for the export and archive sources (libarchive): entries are
// read into memory or streamed in chunks, never extracted to disk. Names are
// checked for `..` and absolute paths; the total expanded size is capped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

struct archive;

namespace sprawl::sources {

/// Outcome of reading one entry.
enum class EntryRead { kOk, kTooLarge, kLimit, kError };

/// True when path names a file that starts like a zip ("PK\3\4"/"PK\5\6").
bool is_zip_file(const std::string& path);

/// Returns name made safe for display and lookup: backslashes become '/',
/// leading '/' and drive letters, '.' and '..' components are dropped.
/// Sets unsafe when anything had to be dropped.
std::string sanitize_entry_name(std::string_view name, bool& unsafe);

/// One pass over a zip file. Not thread-safe; one reader per thread.
class ArchiveReader {
 public:
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  /// Opens path for reading. max_total_bytes caps the sum of expanded bytes
  /// read from all entries (zip bombs). any_format also reads tar, cpio,
  /// 7z and ar archives under any compression filter, and a lone
  /// gzip/bzip2/xz stream as one entry. Errors name the path.
  [[nodiscard]] static Expected<std::unique_ptr<ArchiveReader>> open(
      const std::string& path, uint64_t max_total_bytes,
      bool any_format = false);

  /// Opens an archive held in memory (a git blob), any format as above;
  /// `label` names it in messages. data must outlive the reader.
  [[nodiscard]] static Expected<std::unique_ptr<ArchiveReader>> open_memory(
      std::string_view data, const std::string& label,
      uint64_t max_total_bytes);

  /// Moves to the next regular file entry, listing links, devices and other
  /// non-files as skipped; false at the end (and on every
  /// later call) or on a fatal
  /// error, which is reported to diagnostics naming the archive and the
  /// last entry (a truncated zip ends here). name is sanitized; an unsafe
  /// name is reported once as a warning.
  bool next_entry(std::string& name, uint64_t& size_hint,
                  Diagnostics& diagnostics);

  /// Reads the current entry into out (cleared first), keeping simdjson
  /// padding room. Entries past max_entry_bytes are skipped (kTooLarge).
  EntryRead read_all(std::string& out, uint64_t max_entry_bytes);

  /// read_all, reporting what went wrong: an entry over max_entry_bytes is
  /// listed as skipped under place; a size-limit or read failure is an
  /// error naming the archive and entry (the caller then stops).
  EntryRead read_all_reported(std::string& out, uint64_t max_entry_bytes,
                              const std::string& place,
                              const std::string& entry,
                              Diagnostics& diagnostics);

  /// Streams the current entry through sink in chunks of up to 1 MB; sink
  /// returns false to stop early.
  EntryRead read_chunks(const std::function<bool(std::string_view)>& sink);

  /// libarchive's last error message, or why the size limit stopped us.
  std::string error_message() const;

  /// Expanded bytes read so far.
  uint64_t total_bytes() const { return total_bytes_; }

 private:
  ArchiveReader() = default;
  static std::unique_ptr<ArchiveReader> make(const std::string& path,
                                             uint64_t max_total_bytes,
                                             bool any_format);
  EntryRead account(std::size_t bytes);

  struct archive* archive_ = nullptr;
  std::string path_;
  std::string kind_ = "zip";  ///< for messages: "zip" or "archive"
  /// Between the archive's path and an entry's name in messages.
  std::string entry_separator_ = ":";
  uint64_t max_total_bytes_ = 0;
  uint64_t total_bytes_ = 0;
  bool limit_hit_ = false;
  bool failed_ = false;
  bool at_end_ = false;
};

}  // namespace sprawl::sources
