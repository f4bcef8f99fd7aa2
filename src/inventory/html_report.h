// The self-contained HTML inventory report: one file with inline CSS, JS and
// SVG, the inventory embedded as JSON, no network requests.
#pragma once

#include <string>
#include <string_view>

namespace sprawl::inventory::detail {

/// The whole HTML document. json must be inventory_json() output (its '<'
/// are escaped, so it cannot close the <script> block it sits in); title is
/// HTML-escaped here.
std::string html_report(std::string_view json, std::string_view title);

}  // namespace sprawl::inventory::detail
