// Text helpers shared by the export sources: Slack mrkdwn and blocks, ADF,
// UTF-8 repair and base64. Output always appends to a caller-owned buffer
// so that the per-message cost is one reused string, not one per field.
#include "sources/text_decode.h"

#include <array>
#include <optional>
#include <string>

#include "sprawl/util/codec.h"
#include "sprawl/util/error.h"

namespace sprawl::sources::text {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

void append_entities(std::string_view in, std::string& out) {
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t amp = in.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(in.substr(i));
      return;
    }
    out.append(in.substr(i, amp - i));
    std::string_view rest = in.substr(amp);
    if (rest.starts_with("&amp;")) {
      out.push_back('&');
      i = amp + 5;
    } else if (rest.starts_with("&lt;")) {
      out.push_back('<');
      i = amp + 4;
    } else if (rest.starts_with("&gt;")) {
      out.push_back('>');
      i = amp + 4;
    } else if (rest.starts_with("&quot;")) {
      out.push_back('"');
      i = amp + 6;
    } else {
      out.push_back('&');
      i = amp + 1;
    }
  }
}

// Slack writes a link as <target|label> or <target>; targets starting with
// @, # or ! are mentions, which read best as the mention itself.
void append_link(std::string_view inner, std::string& out) {
  std::size_t bar = inner.find('|');
  std::string_view target = inner.substr(0, bar);
  std::string_view label = bar == std::string_view::npos
                               ? std::string_view{}
                               : inner.substr(bar + 1);
  if (!target.empty() &&
      (target[0] == '@' || target[0] == '#' || target[0] == '!')) {
    append_entities(label.empty() ? target : label, out);
    return;
  }
  append_entities(target, out);
  if (!label.empty() && label != target) {
    out.push_back(' ');
    append_entities(label, out);
  }
}

std::string_view string_or_empty(element e) {
  std::string_view s;
  if (e.get_string().get(s)) return {};
  return s;
}

void append_text_object(element obj, std::string& out) {
  std::string_view type = get_string(obj, "type");
  std::string_view value = get_string(obj, "text");
  if (type == "mrkdwn")
    append_mrkdwn(value, out);
  else
    out.append(value);
  out.push_back('\n');
}

constexpr std::array<std::string_view, 8> kBlockStringKeys = {
    "url",           "image_url",        "value",        "alt_text", "fallback",
    "initial_value", "placeholder_text", "action_id_url"};

void append_block_node(element node, std::string& out);

void append_block_children(element node, std::string& out) {
  simdjson::dom::object obj;
  if (node.get_object().get(obj)) return;
  for (auto field : obj) {
    if (field.key == "type") continue;
    element value = field.value;
    if (value.type() == element_type::STRING) {
      for (std::string_view key : kBlockStringKeys) {
        if (field.key == key) {
          out.append(string_or_empty(value));
          out.push_back('\n');
        }
      }
      continue;
    }
    if (field.key == "text" && value.type() == element_type::OBJECT) {
      append_text_object(value, out);
      continue;
    }
    append_block_node(value, out);
  }
}

void append_rich_leaf(element node, std::string_view type, std::string& out) {
  if (type == "text") {
    out.append(get_string(node, "text"));
  } else if (type == "link") {
    std::string_view label = get_string(node, "text");
    out.append(get_string(node, "url"));
    if (!label.empty()) {
      out.push_back(' ');
      out.append(label);
    }
  } else if (type == "user") {
    out.push_back('@');
    out.append(get_string(node, "user_id"));
  } else if (type == "channel") {
    out.push_back('#');
    out.append(get_string(node, "channel_id"));
  } else if (type == "emoji") {
    out.push_back(':');
    out.append(get_string(node, "name"));
    out.push_back(':');
  } else if (type == "date") {
    out.append(get_string(node, "fallback"));
  }
}

void append_block_node(element node, std::string& out) {
  if (node.type() == element_type::ARRAY) {
    for (element child : array_of(node)) append_block_node(child, out);
    return;
  }
  if (node.type() != element_type::OBJECT) return;
  std::string_view type = get_string(node, "type");
  if (type == "text" || type == "link" || type == "user" || type == "channel" ||
      type == "emoji" || type == "date") {
    element text_value;
    if (!node["text"].get(text_value) &&
        text_value.type() == element_type::OBJECT)
      append_block_children(node, out);
    else
      append_rich_leaf(node, type, out);
    return;
  }
  if (type == "mrkdwn" || type == "plain_text") {
    append_text_object(node, out);
    return;
  }
  if (type == "rich_text_section" || type == "rich_text_preformatted" ||
      type == "rich_text_quote") {
    element elements;
    if (!node["elements"].get(elements)) append_block_node(elements, out);
    out.push_back('\n');
    return;
  }
  append_block_children(node, out);
}

constexpr std::array<std::string_view, 9> kAdfBlocks = {
    "paragraph",   "codeBlock",  "heading", "listItem",   "tableCell",
    "tableHeader", "blockquote", "panel",   "mediaSingle"};

void append_adf_node(element node, std::string& out) {
  if (node.type() == element_type::ARRAY) {
    for (element child : array_of(node)) append_adf_node(child, out);
    return;
  }
  if (node.type() != element_type::OBJECT) return;
  std::string_view type = get_string(node, "type");
  element attrs;
  bool has_attrs = !node["attrs"].get(attrs);
  if (type == "text") {
    out.append(get_string(node, "text"));
    element marks;
    if (!node["marks"].get(marks) && marks.type() == element_type::ARRAY) {
      for (element mark : array_of(marks)) {
        std::string_view href;
        element mark_attrs;
        if (!mark["attrs"].get(mark_attrs))
          href = get_string(mark_attrs, "href");
        if (!href.empty()) {
          out.push_back(' ');
          out.append(href);
          out.push_back(' ');
        }
      }
    }
    return;
  }
  if (type == "hardBreak") {
    out.push_back('\n');
    return;
  }
  if (has_attrs) {
    std::string_view url = get_string(attrs, "url");
    std::string_view label = get_string(attrs, "text");
    if (!url.empty()) {
      out.push_back(' ');
      out.append(url);
      out.push_back(' ');
    }
    if (type == "mention" || type == "emoji" || type == "status" ||
        type == "date") {
      out.append(label.empty() ? get_string(attrs, "shortName") : label);
    }
  }
  element content;
  if (!node["content"].get(content)) append_adf_node(content, out);
  for (std::string_view block : kAdfBlocks) {
    if (type == block) {
      out.push_back('\n');
      break;
    }
  }
}

void append_strings_at(element node, std::string_view key, std::string& out) {
  switch (node.type()) {
    case element_type::STRING:
      if (!key.empty()) {
        out.append(key);
        out.append(": ");
      }
      out.append(string_or_empty(node));
      out.push_back('\n');
      return;
    case element_type::ARRAY:
      for (element child : array_of(node)) append_strings_at(child, key, out);
      return;
    case element_type::OBJECT:
      for (auto field : object_of(node))
        append_strings_at(field.value, field.key, out);
      return;
    default:
      return;
  }
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

void append_mrkdwn(std::string_view in, std::string& out) {
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t open = in.find('<', i);
    if (open == std::string_view::npos) break;
    std::size_t close = in.find('>', open + 1);
    if (close == std::string_view::npos) break;
    append_entities(in.substr(i, open - i), out);
    append_link(in.substr(open + 1, close - open - 1), out);
    i = close + 1;
  }
  if (i < in.size()) append_entities(in.substr(i), out);
}

void append_slack_blocks(element blocks, std::string& out) {
  append_block_node(blocks, out);
}

void append_adf(element node, std::string& out) { append_adf_node(node, out); }

bool is_adf(element element) {
  return element.type() == element_type::OBJECT &&
         get_string(element, "type") == "doc";
}

void append_all_strings(element element, std::string& out) {
  append_strings_at(element, {}, out);
}

std::size_t repair_utf8(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size() + simdjson::SIMDJSON_PADDING + 64);
  std::size_t replaced = 0;
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t n = utf8_sequence(in, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++replaced;
      ++i;
      continue;
    }
    out.append(in.substr(i, n));
    i += n;
  }
  return replaced;
}

bool decode_base64(std::string_view in, std::string& out) {
  std::string compact;
  compact.reserve(in.size());
  for (char c : in)
    if (c != '\n' && c != '\r' && c != ' ') compact.push_back(c);
  const std::optional<std::string> decoded = codec::base64_decode(compact);
  if (!decoded) return false;
  out.append(*decoded);
  return true;
}

std::string_view get_string(element obj, std::string_view key) {
  element value;
  if (obj.type() != element_type::OBJECT) return {};
  if (obj[key].get(value)) return {};
  return string_or_empty(value);
}

std::string_view url_origin(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::size_t end = url.find('/', scheme + 3);
  return url.substr(0, end);
}

uint64_t hash64(std::string_view a, std::string_view b) {
  uint64_t h = 1469598103934665603ull;
  for (char c : a) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  h = (h ^ 0xFF) * 1099511628211ull;
  for (char c : b) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

simdjson::simdjson_result<element> parse_json(std::string_view data,
                                              bool padded,
                                              const std::string& entry,
                                              Diagnostics& diagnostics) {
  thread_local simdjson::dom::parser parser;
  thread_local std::string repaired;
  auto result = parser.parse(data.data(), data.size(), !padded);
  if (result.error() == simdjson::UTF8_ERROR) {
    std::size_t count = repair_utf8(data, repaired);
    diagnostics.warning(
        make_error(ErrorCode::kParse,
                   "invalid UTF-8 inside JSON; " + std::to_string(count) +
                       " byte(s) replaced with U+FFFD and scanned anyway",
                   entry));
    result = parser.parse(repaired.data(), repaired.size(), true);
  }
  if (result.error() == simdjson::DEPTH_ERROR) {
    diagnostics.skipped(entry, SkipReason::kMalformed,
                        "JSON nested deeper than 1024 levels; entry skipped");
  } else if (result.error()) {
    diagnostics.skipped(entry, SkipReason::kMalformed,
                        std::string("malformed JSON: ") +
                            simdjson::error_message(result.error()));
  }
  return result;
}

}  // namespace sprawl::sources::text
