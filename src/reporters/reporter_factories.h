// Constructors of the concrete reporters, private to src/reporters; the
// public entry point is make_reporter in sprawl/reporters/reporter.h.
#pragma once

#include <memory>
#include <ostream>

#include "sprawl/reporters/reporter.h"

namespace sprawl::reporters {

std::unique_ptr<Reporter> make_text_reporter(std::ostream& out,
                                             const ReportOptions& options);
/// lines: one compact object per line (JSONL) instead of one array.
std::unique_ptr<Reporter> make_json_reporter(std::ostream& out,
                                             const ReportOptions& options,
                                             bool lines);
std::unique_ptr<Reporter> make_csv_reporter(std::ostream& out,
                                            const ReportOptions& options);
std::unique_ptr<Reporter> make_sarif_reporter(std::ostream& out,
                                              const ReportOptions& options);

}  // namespace sprawl::reporters
