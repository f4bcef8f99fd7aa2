// Blob: a byte buffer a source hands to the matcher, plus what is needed to
// turn an offset in it back into a Location.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/model/location.h"

namespace sprawl::model {

/// A closed range of 1-based line numbers.
struct LineRange {
  uint32_t first = 0;
  uint32_t last = 0;
};

/// A view of bytes to scan. The bytes are owned by the source for the
/// duration of the scan call; nothing may keep the view afterwards.
struct Blob {
  std::string_view bytes;
  /// Template for the locations of findings in this blob; line and column
  /// are filled per finding.
  const Location* origin = nullptr;
  /// Line number of bytes[0] (1-based). Chunks of a large input start later.
  uint32_t first_line = 1;
  /// Column of bytes[0] when the blob starts mid-line (1-based).
  uint32_t first_column = 1;
  /// Matches starting at or past this offset belong to the next chunk (they
  /// lie in the overlap). Equal to bytes.size() for a whole input.
  std::size_t owned_bytes = 0;
  /// When not empty, only findings on these lines are reported (diffs).
  const std::vector<LineRange>* only_lines = nullptr;
  /// Identifies the unit for grouping multi-part credentials (file, message,
  /// issue); blobs with the same group id are one unit.
  uint64_t group_id = 0;
};

}  // namespace sprawl::model
