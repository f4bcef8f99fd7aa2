// JSON string escaping shared by every stage that writes JSON (reporters,
// inventory, store, baselines): valid JSON whatever bytes the input held.
#pragma once

#include <string>
#include <string_view>

namespace sprawl {

/// Appends text to out as a quoted JSON string (RFC 8259): `"` and `\`
/// escaped, control characters as \n, \t, ... or \u00XX, invalid UTF-8
/// replaced by U+FFFD. With html_safe, `<`, `>` and `&` become \u003c,
/// \u003e and \u0026 so that the JSON can sit inside an HTML <script>.
void append_json_string(std::string& out, std::string_view text,
                        bool html_safe = false);

/// text as a quoted JSON string (see append_json_string).
std::string json_quote(std::string_view text, bool html_safe = false);

}  // namespace sprawl
