// Pack order for the git source: reads the pack index (.idx, version 2)
// files to sort blobs by (pack, offset). libgit2 1.5 exposes no pack
// offsets; the .idx format is documented in git's pack-format.txt.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "sources/git_history.h"

namespace sprawl::sources::git {

struct PackIndex {
  std::vector<unsigned char> bytes;
  uint32_t count = 0;
  std::size_t oids_at = 0;
  std::size_t offsets_at = 0;
  std::size_t large_at = 0;
};

namespace {

uint32_t read_be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

bool load_index(const std::filesystem::path& file, PackIndex& idx) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  idx.bytes.assign(std::istreambuf_iterator<char>(in), {});
  const auto& b = idx.bytes;
  constexpr std::size_t kHeader = 8 + 256 * 4;
  if (b.size() < kHeader || b[0] != 0xff || b[1] != 't' || b[2] != 'O' ||
      b[3] != 'c' || read_be32(&b[4]) != 2)
    return false;
  idx.count = read_be32(&b[8 + 255 * 4]);
  idx.oids_at = kHeader;
  idx.offsets_at = kHeader + std::size_t{idx.count} * (GIT_OID_RAWSZ + 4);
  idx.large_at = idx.offsets_at + std::size_t{idx.count} * 4;
  return b.size() >= idx.large_at;
}

// Offset of oid in the pack, or -1 when this pack does not hold it.
int64_t find_offset(const PackIndex& idx, const git_oid& oid) {
  const unsigned char* b = idx.bytes.data();
  unsigned first = oid.id[0];
  uint32_t lo = first == 0 ? 0 : read_be32(b + 8 + (first - 1) * 4);
  uint32_t hi = read_be32(b + 8 + first * 4);
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int cmp = std::memcmp(b + idx.oids_at + std::size_t{mid} * GIT_OID_RAWSZ,
                          oid.id, GIT_OID_RAWSZ);
    if (cmp == 0) {
      uint32_t off = read_be32(b + idx.offsets_at + std::size_t{mid} * 4);
      if ((off & 0x80000000u) == 0) return off;
      std::size_t at = idx.large_at + std::size_t{off & 0x7fffffffu} * 8;
      if (at + 8 > idx.bytes.size()) return -1;
      uint64_t big =
          (uint64_t{read_be32(b + at)} << 32) | read_be32(b + at + 4);
      return static_cast<int64_t>(big);
    }
    if (cmp < 0) lo = mid + 1; else hi = mid;
  }
  return -1;
}

}  // namespace

PackOffsets::PackOffsets(const std::string& git_dir) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(git_dir) / "objects/pack";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".idx") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto idx = std::make_shared<PackIndex>();
    if (load_index(f, *idx)) packs_.push_back(std::move(idx));
  }
}

PackOffsets::~PackOffsets() = default;

uint64_t PackOffsets::key(const git_oid& oid) const {
  for (std::size_t p = 0; p < packs_.size() && p < 0xffff; ++p) {
    int64_t off = find_offset(*packs_[p], oid);
    if (off >= 0) return (uint64_t{p} << 48) | static_cast<uint64_t>(off);
  }
  return ~uint64_t{0};
}

}  // namespace sprawl::sources::git
