// Private to sources: telling text from binary, UTF-16 detection and
// transcoding, UTF-8 validation, and the shared chunked reader.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/sources/open.h"

namespace sprawl::sources {

enum class TextKind { kText, kBinary, kUtf16Le, kUtf16Be };

/// Looks at the first bytes of an input once and then at every chunk for
/// invalid UTF-8 (reported once per input).
class TextSniffer {
 public:
  /// Classifies by BOM, by NUL bytes in the first 8 KiB, and by the
  /// alternating NULs of UTF-16 written without a BOM.
  TextKind classify(std::string_view head) const;
  /// True the first time a chunk holds invalid UTF-8; see invalid_offset().
  bool note_invalid_utf8(std::string_view chunk);
  uint64_t invalid_offset() const { return invalid_offset_; }
  /// Moves the input offset by the bytes of a chunk that were consumed.
  void advance(std::size_t consumed) { base_ += consumed; }

 private:
  uint64_t base_ = 0;
  uint64_t invalid_offset_ = 0;
  bool reported_ = false;
};

/// Classifies a head that holds NUL bytes and no UTF-16 BOM: kUtf16Le or
/// kUtf16Be for mostly-ASCII UTF-16 text, else kBinary.
TextKind utf16_without_bom(std::string_view head);

/// 2 when head starts with a UTF-16 byte-order mark, else 0.
std::size_t utf16_bom_size(std::string_view head);

/// Offset of the first invalid UTF-8 sequence in s, or npos.
std::size_t find_invalid_utf8(std::string_view s);

/// Appends the UTF-8 form of UTF-16 bytes (without BOM) to out; unpaired
/// surrogates become U+FFFD.
void utf16_to_utf8(std::string_view bytes, bool big_endian, std::string& out);

/// Scans the rest of a UTF-16 input (head already read) after transcoding.
void scan_utf16(int fd, std::string_view head, TextKind kind,
                const std::string& name, const model::Location& origin,
                const SourceOptions& options, Diagnostics& diagnostics,
                const BlobVisitor& visit);

/// Reads fd to the end in overlapping chunks (see SourceOptions), detects
/// binary and UTF-16 content, and visits each chunk as a Blob.
void read_input_chunks(int fd, const std::string& name,
                       const model::Location& origin,
                       const SourceOptions& options, Diagnostics& diagnostics,
                       const BlobVisitor& visit,
                       std::atomic<uint64_t>& bytes_read);

/// Visits in-memory content as blobs of chunk_bytes (each carrying
/// overlap_bytes more), with the line and column each chunk starts at.
void visit_in_chunks(std::string_view data, const model::Location& origin,
                     const std::vector<model::LineRange>* only_lines,
                     uint64_t group_id, uint64_t chunk_bytes,
                     uint64_t overlap_bytes, const BlobVisitor& visit);

/// Visits content held in memory as text: UTF-16 (with or without a BOM)
/// is transcoded first; other content with NULs is listed as skipped
/// binary under `shown` (with `detail`), and empty content as empty.
void visit_text(std::string_view data, const model::Location& origin,
                const std::vector<model::LineRange>* only_lines,
                uint64_t group_id, uint64_t chunk_bytes,
                uint64_t overlap_bytes, const std::string& shown,
                const std::string& detail,
                Diagnostics& diagnostics, const BlobVisitor& visit);

/// True when any --exclude glob matches the path relative to the scan root,
/// the full path or the file name (shared by the file and archive sources).
bool is_excluded(const std::vector<std::string>& globs, const std::string& rel,
                 const std::string& full, const std::string& name);

}  // namespace sprawl::sources
