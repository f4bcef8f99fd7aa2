// Exposure places and keys: one description of "where" for every source,
// shared by the store's columns and the inventory's exposure list.
#include "sprawl/store/exposure.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <vector>

#include "store/finding_codec.h"

namespace sprawl::store {
namespace {

// Attribute names sources may use for the same thing; first present wins.
const std::string& first_attribute(const model::Location& loc,
                                   std::initializer_list<std::string_view>
                                       keys) {
  static const std::string kEmpty;
  for (std::string_view key : keys) {
    const std::string& v = loc.attribute(key);
    if (!v.empty()) return v;
  }
  return kEmpty;
}

bool is_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' &&
                                                             c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Parses the zone suffix of an ISO time into seconds east of UTC.
int64_t zone_offset(std::string_view zone) {
  if (zone.empty() || zone[0] == 'Z' || zone[0] == 'z') return 0;
  int sign = zone[0] == '-' ? -1 : 1;
  std::string digits;
  for (char c : zone.substr(1))
    if (c >= '0' && c <= '9') digits.push_back(c);
  if (digits.size() < 2) return 0;
  int hours = to_int(std::string_view(digits).substr(0, 2));
  int minutes = digits.size() >= 4
                    ? to_int(std::string_view(digits).substr(2, 2))
                    : 0;
  return sign * (hours * 3600 + minutes * 60);
}

Visibility slack_visibility(const model::Location& loc) {
  const std::string& type =
      first_attribute(loc, {"channel_type", "conversation_type"});
  const std::string& channel = first_attribute(loc, {"channel_id", "channel"});
  if (type == "im" || type == "dm" || type == "mpim" || type == "group" ||
      type == "private" || loc.attribute("is_private") == "true")
    return Visibility::kPrivate;
  if (type == "public" || type == "channel") return Visibility::kInternal;
  if (!channel.empty() && channel[0] == 'D' && channel.size() > 8 &&
      channel.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
          std::string::npos)
    return Visibility::kPrivate;
  if (channel.rfind("mpdm-", 0) == 0) return Visibility::kPrivate;
  return Visibility::kInternal;
}

Visibility visibility_of(const model::Location& loc) {
  const std::string& v = first_attribute(loc, {"visibility"});
  if (v == "public") return Visibility::kPublic;
  if (v == "private") return Visibility::kPrivate;
  if (v == "internal") return Visibility::kInternal;
  switch (loc.source) {
    case model::SourceKind::kSlack: return slack_visibility(loc);
    case model::SourceKind::kJira:
    case model::SourceKind::kGit: return Visibility::kInternal;
    default: return Visibility::kUnknown;
  }
}

}  // namespace

std::string_view visibility_name(Visibility visibility) {
  switch (visibility) {
    case Visibility::kPrivate: return "private";
    case Visibility::kInternal: return "internal";
    case Visibility::kPublic: return "public";
    case Visibility::kUnknown: break;
  }
  return "unknown";
}

int64_t parse_time(std::string_view text) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (is_digits(whole)) {
    int64_t v = 0;
    std::from_chars(whole.data(), whole.data() + whole.size(), v);
    return v;
  }
  // YYYY-MM-DD[T ]HH:MM:SS
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return 0;
  std::tm tm{};
  tm.tm_year = to_int(text.substr(0, 4)) - 1900;
  tm.tm_mon = to_int(text.substr(5, 2)) - 1;
  tm.tm_mday = to_int(text.substr(8, 2));
  std::size_t rest = 10;
  if (text.size() >= 19 && (text[10] == 'T' || text[10] == ' ')) {
    tm.tm_hour = to_int(text.substr(11, 2));
    tm.tm_min = to_int(text.substr(14, 2));
    tm.tm_sec = to_int(text.substr(17, 2));
    rest = 19;
    while (rest < text.size() &&
           (text[rest] == '.' || (text[rest] >= '0' && text[rest] <= '9')))
      ++rest;
  }
  return static_cast<int64_t>(timegm(&tm)) - zone_offset(text.substr(rest));
}

ExposurePlace exposure_place(const model::Finding& finding) {
  const model::Location& loc = finding.location;
  ExposurePlace p;
  p.source = model::source_kind_name(loc.source);
  p.path = loc.path;
  p.line = loc.line;
  p.blob_id = loc.blob_id;
  p.link = loc.url;
  p.visibility = visibility_of(loc);
  const std::string& head = loc.attribute("at_head");
  if (head == "true") p.still_at_head = true;
  if (head == "false") p.still_at_head = false;
  // Range scans name why a line is gone from HEAD (git_source.cpp).
  const std::string& gone = loc.attribute("head");
  if (gone == "file deleted" || gone == "line changed")
    p.still_at_head = false;
  if (loc.provenance) {
    p.commit = loc.provenance->commit;
    p.exposed_at = loc.provenance->author_time;
    p.exposed_by = loc.provenance->author_name;
    if (!loc.provenance->author_email.empty())
      p.exposed_by += " <" + loc.provenance->author_email + ">";
  }
  if (loc.source == model::SourceKind::kGit)
    p.repo = first_attribute(loc, {"repo", "repository", "repo_key",
                                   "remote"});
  p.channel = first_attribute(loc, {"channel", "channel_name", "channel_id"});
  p.issue = first_attribute(loc, {"issue", "issue_key"});
  if (p.exposed_by.empty())
    p.exposed_by = first_attribute(loc, {"user_name", "author", "user",
                                         "author_name", "creator"});
  if (p.exposed_at == 0) {
    const std::string& when = first_attribute(
        loc, {"created", "ts", "updated", "date", "author_time"});
    if (!when.empty()) p.exposed_at = parse_time(when);
  }
  return p;
}

std::string exposure_key(std::string_view identity,
                         const model::Location& loc) {
  std::string text(identity);
  auto add = [&text](std::string_view part) {
    text.push_back('\x1f');
    text.append(part);
  };
  add(model::source_kind_name(loc.source));
  add(loc.path);
  add(std::to_string(loc.line));
  add(std::to_string(loc.column));
  add(loc.provenance ? std::string_view(loc.provenance->commit) : "");
  add(loc.url);
  std::vector<std::pair<std::string, std::string>> attrs = loc.attributes;
  std::sort(attrs.begin(), attrs.end());
  for (const auto& [k, v] : attrs) {
    if (k == "at_head") continue;
    add(k);
    add(v);
  }
  return detail::sha256_hex(text);
}

model::Finding scrub_finding(const model::Finding& finding,
                             std::string_view replacement) {
  model::Finding out = finding;
  out.secret = std::string(replacement);
  const std::string& secret = finding.secret;
  auto leaks = [&secret](const std::pair<std::string, std::string>& kv) {
    const std::string& v = kv.second;
    if (kv.first == "secret" || kv.first == "password" ||
        kv.first == "token" || kv.first == "private_key")
      return true;
    if (secret.empty() || v.empty()) return false;
    return (v.size() >= 6 && secret.find(v) != std::string::npos) ||
           v.find(secret) != std::string::npos;
  };
  out.captures.erase(
      std::remove_if(out.captures.begin(), out.captures.end(), leaks),
      out.captures.end());
  return out;
}

}  // namespace sprawl::store
