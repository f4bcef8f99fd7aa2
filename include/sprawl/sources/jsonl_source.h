// The generic document source (issue 5): `--jsonl FILE` reads lines of
// {"data": "...", "metadata": {...}} (or "data_b64") so that any other
// system's export can be piped into the scanner.
#pragma once

#include <memory>
#include <string>

#include "sprawl/sources/open.h"
#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

/// Opens path ("-" = stdin) as JSONL documents. Lines are batched (about
/// 4 MB per task) and parsed on worker threads; a line longer than
/// options.max_file_bytes (default 256 MB) is skipped with a message. Each
/// document is one blob with a SourceKind::kJsonl location: path = the
/// file, attribute jsonl_line = its line number, then every metadata key in
/// order (non-string values as compact JSON); the location's url is
/// metadata url, link or permalink. Bad lines are reported naming
/// FILE:LINE and skipped. Errors name the path.
[[nodiscard]] Expected<std::unique_ptr<Source>> make_jsonl_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

}  // namespace sprawl::sources
