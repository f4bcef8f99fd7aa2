// Archives found among scanned files (or named on the command line): zip,
// tar with any compression, and lone .gz/.bz2/.xz streams, read entry by
// entry in memory and scanned like files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sprawl/sources/open.h"
#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

/// Archive entries are held whole in memory while scanned: at most this
/// much (or --max-file-size when smaller) is read from one entry.
inline constexpr uint64_t kMaxArchiveEntryBytes = 64ull << 20;

/// True for names sprawl opens as archives: .zip, .tar, .tar.gz, .tgz,
/// .tar.bz2, .tbz2, .tar.xz, .txz, .gz, .bz2, .xz (any case). Java and
/// Python packages (.jar, .whl) are not: they are mostly compiled code.
bool is_archive_path(const std::string& path);

/// Opens path as an archive. Each regular entry up to the smaller of
/// options.max_file_bytes and 64 MiB is read into memory and scanned
/// as a file named ARCHIVE!/ENTRY; binary, empty and oversized entries,
/// links, devices, archives inside the archive and an archive with no
/// entries are skipped and listed; UTF-16 text is
/// transcoded. options.max_archive_bytes caps the expanded total (archive
/// bombs). A damaged archive is an error naming the last entry read.
[[nodiscard]] Expected<std::unique_ptr<Source>> make_archive_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

}  // namespace sprawl::sources
