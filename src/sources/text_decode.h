// Text helpers shared by the export sources (Slack, Jira, JSONL): undoing
// Slack mrkdwn, flattening Slack blocks and Atlassian Document Format into
// scannable text, UTF-8 repair, base64, and small JSON utilities.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "sprawl/util/diagnostics.h"
#include "sprawl/util/log.h"

namespace sprawl::sources::text {

/// The array of an element whose type() is ARRAY, by value. (A range-for
/// over `e.get_array().value_unsafe()` would iterate a reference into a
/// destroyed temporary.)
inline simdjson::dom::array array_of(simdjson::dom::element e) {
  simdjson::dom::array array;
  simdjson::error_code error = e.get_array().get(array);
  SPRAWL_ASSERT(error == simdjson::SUCCESS);
  (void)error;
  return array;
}

/// The object of an element whose type() is OBJECT, by value.
inline simdjson::dom::object object_of(simdjson::dom::element e) {
  simdjson::dom::object object;
  simdjson::error_code error = e.get_object().get(object);
  SPRAWL_ASSERT(error == simdjson::SUCCESS);
  (void)error;
  return object;
}

/// Appends in with Slack's escapes undone: `&amp; &lt; &gt;` become the
/// characters, `<url|label>` becomes "url label", `<url>` becomes url.
void append_mrkdwn(std::string_view in, std::string& out);

/// Appends the text of Slack `blocks` (an array) or one block. Adjacent
/// rich-text leaves are joined without a separator so that a token split by
/// bold or code styling reads as one string; sections end with a newline.
void append_slack_blocks(simdjson::dom::element blocks, std::string& out);

/// Appends the text of an Atlassian Document Format node tree. Adjacent
/// text nodes are joined; block nodes end with a newline; link hrefs and
/// card URLs follow the text they belong to.
void append_adf(simdjson::dom::element node, std::string& out);

/// True when element is an ADF document ({"type": "doc", ...}).
bool is_adf(simdjson::dom::element element);

/// Appends every string value under element as "key: value" lines (keys of
/// the innermost object); numbers are skipped. For files with no known
/// structure (canvases.json, integration logs, unknown XML rows).
void append_all_strings(simdjson::dom::element element, std::string& out);

/// Copies in to out replacing each invalid UTF-8 sequence with U+FFFD.
/// Returns the number of replacements. out keeps simdjson padding room.
std::size_t repair_utf8(std::string_view in, std::string& out);

/// Decodes standard or URL-safe base64 (padding optional, whitespace
/// ignored). False on an invalid character.
bool decode_base64(std::string_view in, std::string& out);

/// The string value of obj[key], or empty when absent or not a string.
std::string_view get_string(simdjson::dom::element obj, std::string_view key);

/// "scheme://host" of a URL, or empty.
std::string_view url_origin(std::string_view url);

/// A stable 64-bit hash (FNV-1a) for group ids.
uint64_t hash64(std::string_view a, std::string_view b = {});

/// Parses data with this thread's DOM parser; the element is valid until
/// the next parse_json on the same thread. `padded` says that
/// SIMDJSON_PADDING readable bytes follow data (else it is copied). On
/// invalid UTF-8 it repairs a copy, warns naming entry and parses again.
/// Other failures (malformed JSON, nesting past simdjson's depth limit of
/// 1024) are reported as skips naming entry and returned as the error.
simdjson::simdjson_result<simdjson::dom::element> parse_json(
    std::string_view data, bool padded, const std::string& entry,
    Diagnostics& diagnostics);

}  // namespace sprawl::sources::text
