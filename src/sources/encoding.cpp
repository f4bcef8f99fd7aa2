// Text/binary detection, UTF-8 validation and UTF-16 transcoding for the
// file and stdin sources.
#include "sources/encoding.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "sprawl/util/utf8.h"

namespace sprawl::sources {
namespace {

constexpr std::size_t kSniffBytes = 8192;
// UTF-16 inputs are transcoded whole; beyond this they are skipped.
constexpr uint64_t kMaxUtf16Bytes = 256ull << 20;

}  // namespace

TextKind TextSniffer::classify(std::string_view head) const {
  const std::size_t n = std::min(head.size(), kSniffBytes);
  if (head.size() >= 4) {
    const auto b0 = static_cast<unsigned char>(head[0]);
    const auto b1 = static_cast<unsigned char>(head[1]);
    // A BOM followed by no NUL at all is not UTF-16 text (ASCII in UTF-16
    // is half NULs): two stray bytes must not hide a UTF-8 file's content.
    const bool nuls = std::memchr(head.data() + 2, '\0', n - 2) != nullptr;
    if (b0 == 0xFF && b1 == 0xFE && nuls) return TextKind::kUtf16Le;
    if (b0 == 0xFE && b1 == 0xFF && nuls) return TextKind::kUtf16Be;
  }
  if (std::memchr(head.data(), '\0', n) == nullptr) return TextKind::kText;
  return utf16_without_bom(head.substr(0, n));
}

// UTF-16 written without a BOM (PowerShell's Out-File, some Windows
// tools): in text that is mostly ASCII, one byte of every pair is NUL and
// the other a printable character. Binary data does not keep that up.
TextKind utf16_without_bom(std::string_view head) {
  const std::size_t pairs = head.size() / 2;
  if (pairs < 8) return TextKind::kBinary;
  std::size_t zero_even = 0, zero_odd = 0, text_even = 0, text_odd = 0;
  auto printable = [](unsigned char c) {
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
  };
  for (std::size_t i = 0; i < pairs; ++i) {
    const auto even = static_cast<unsigned char>(head[2 * i]);
    const auto odd = static_cast<unsigned char>(head[2 * i + 1]);
    zero_even += even == 0;
    zero_odd += odd == 0;
    text_even += odd == 0 && printable(even);
    text_odd += even == 0 && printable(odd);
  }
  // Nine in ten pairs an ASCII character, the other byte of a pair almost
  // never NUL.
  if (text_even * 10 >= pairs * 9 && zero_even * 20 <= pairs)
    return TextKind::kUtf16Le;
  if (text_odd * 10 >= pairs * 9 && zero_odd * 20 <= pairs)
    return TextKind::kUtf16Be;
  return TextKind::kBinary;
}

std::size_t utf16_bom_size(std::string_view head) {
  if (head.size() < 2) return 0;
  const auto b0 = static_cast<unsigned char>(head[0]);
  const auto b1 = static_cast<unsigned char>(head[1]);
  return (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) ? 2 : 0;
}

bool TextSniffer::note_invalid_utf8(std::string_view chunk) {
  if (reported_) return false;
  const std::size_t at = find_invalid_utf8(chunk);
  if (at == std::string_view::npos) return false;
  reported_ = true;
  invalid_offset_ = base_ + at;
  return true;
}

std::size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Perf: skip ASCII eight bytes at a time; most source text is ASCII.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 && c <= 0xF4   ? 4
                      : c >= 0xE0               ? 3
                      : c >= 0xC2 && c <= 0xDF ? 2
                                                : 0;
    if (c >= 0xF5) len = 0;
    if (len == 0) return i;
    for (std::size_t k = 1; k < len && i + k < n; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    // A sequence cut by the end of the chunk is not an error here.
    if (i + len > n) return std::string_view::npos;
    i += len;
  }
  return std::string_view::npos;
}

void utf16_to_utf8(std::string_view bytes, bool big_endian, std::string& out) {
  auto unit = [&](std::size_t i) -> uint32_t {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? (a << 8 | b) : (b << 8 | a);
  };
  out.reserve(out.size() + bytes.size() / 2);
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
      const uint32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    append_utf8(out, cp);
  }
}

void scan_utf16(int fd, std::string_view head, TextKind kind,
                const std::string& name, const model::Location& origin,
                const SourceOptions& options, Diagnostics& diagnostics,
                const BlobVisitor& visit) {
  std::string raw(head.substr(utf16_bom_size(head)));
  char buf[65536];
  for (;;) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      diagnostics.error(make_error(ErrorCode::kIo, "read failed", name));
      return;
    }
    if (r == 0) break;
    raw.append(buf, static_cast<std::size_t>(r));
    if (raw.size() > kMaxUtf16Bytes) {
      diagnostics.skipped(name, SkipReason::kTooLarge,
                          "UTF-16 input over 256 MiB is not transcoded");
      return;
    }
  }
  std::string text;
  utf16_to_utf8(raw, kind == TextKind::kUtf16Be, text);
  model::Blob blob;
  blob.bytes = text;
  blob.origin = &origin;
  blob.owned_bytes = text.size();
  (void)options;
  visit(blob);
}

// In-memory content is cut like large files: chunk k owns chunk_bytes bytes and
// carries overlap_bytes more so that a secret across the cut is still seen
// whole; the matcher drops matches that start in the overlap.
void visit_in_chunks(std::string_view data, const model::Location& origin,
                     const std::vector<model::LineRange>* only_lines,
                     uint64_t group_id, uint64_t chunk_bytes,
                     uint64_t overlap_bytes, const BlobVisitor& visit) {
  model::Blob blob;
  blob.origin = &origin;
  blob.only_lines = only_lines;
  blob.group_id = group_id;
  const std::size_t chunk = std::max<uint64_t>(chunk_bytes, 1);
  if (data.size() <= chunk) {
    blob.bytes = data;
    blob.owned_bytes = data.size();
    visit(blob);
    return;
  }
  uint32_t line = 1;
  std::size_t line_start = 0;
  std::size_t counted = 0;
  for (std::size_t start = 0; start < data.size(); start += chunk) {
    for (; counted < start; ++counted) {
      if (data[counted] == '\n') {
        ++line;
        line_start = counted + 1;
      }
    }
    std::size_t end = std::min<std::size_t>(data.size(),
                                            start + chunk + overlap_bytes);
    blob.bytes = data.substr(start, end - start);
    blob.owned_bytes = std::min<std::size_t>(chunk, data.size() - start);
    blob.first_line = line;
    blob.first_column = static_cast<uint32_t>(start - line_start + 1);
    visit(blob);
  }
}

void visit_text(std::string_view data, const model::Location& origin,
                const std::vector<model::LineRange>* only_lines,
                uint64_t group_id, uint64_t chunk_bytes,
                uint64_t overlap_bytes, const std::string& shown,
                const std::string& detail,
                Diagnostics& diagnostics, const BlobVisitor& visit) {
  if (data.empty()) {
    diagnostics.skipped(shown, SkipReason::kOther, "empty file");
    return;
  }
  std::string transcoded;
  const std::size_t head = std::min(data.size(), kSniffBytes);
  if (std::memchr(data.data(), '\0', head) != nullptr) {
    const TextKind kind = TextSniffer().classify(data);
    if (kind != TextKind::kUtf16Le && kind != TextKind::kUtf16Be) {
      diagnostics.skipped(shown, SkipReason::kBinary, detail);
      return;
    }
    const std::size_t bom = utf16_bom_size(data);
    utf16_to_utf8(data.substr(bom), kind == TextKind::kUtf16Be, transcoded);
    data = transcoded;
  }
  visit_in_chunks(data, origin, only_lines, group_id, chunk_bytes,
                  overlap_bytes, visit);
}

bool is_excluded(const std::vector<std::string>& globs, const std::string& rel,
                 const std::string& full, const std::string& name) {
  for (const auto& g : globs) {
    if (fnmatch(g.c_str(), rel.c_str(), 0) == 0) return true;
    if (fnmatch(g.c_str(), full.c_str(), 0) == 0) return true;
    if (fnmatch(g.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}


}  // namespace sprawl::sources
