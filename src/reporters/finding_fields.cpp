// Helpers shared by the reporters (see finding_fields.h).
#include "reporters/finding_fields.h"

#include <fmt/core.h>

#include <array>
#include <cctype>
#include <ctime>

#include "sprawl/reporters/reporter.h"

namespace sprawl::reporters {
namespace {

// Capture names whose values say whose credential it is, not the credential
// itself; everything else a rule captures is treated as secret.
constexpr std::array<std::string_view, 12> kIdentifyingCaptures = {
    "id",      "host",    "port",   "user",     "username",  "email",
    "account", "project", "region", "database", "client_id", "key_id"};

}  // namespace

std::string shown_secret(const model::Finding& finding, bool show_secrets) {
  // A finding re-reported from the store holds its redacted form already.
  if (!finding.stored_identity.empty()) return finding.secret;
  return show_secrets ? finding.secret : redact(finding.secret);
}

std::string scrub(std::string_view text, std::string_view secret,
                  std::size_t min_bytes) {
  if (secret.empty() || secret.size() < min_bytes ||
      text.find(secret) == std::string_view::npos)
    return std::string(text);
  const std::string replacement = redact(secret);
  std::string out;
  std::size_t pos = 0;
  for (std::size_t hit; (hit = text.find(secret, pos)) != text.npos;) {
    out.append(text.substr(pos, hit - pos));
    out += replacement;
    pos = hit + secret.size();
  }
  out.append(text.substr(pos));
  return out;
}

bool is_identifying_capture(std::string_view name) {
  for (std::string_view known : kIdentifyingCaptures)
    if (known == name) return true;
  return false;
}


std::string shown_capture(const model::Finding& finding, std::string_view name,
                          std::string_view value, bool show_secrets) {
  if (show_secrets) return std::string(value);
  if (!is_identifying_capture(name) || model::looks_like_token(value))
    return redact(value);
  return scrub(value, finding.secret);
}

std::string iso_utc(int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return fmt::format("@{}", seconds);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

std::string_view short_commit(std::string_view commit) {
  return commit.substr(0, 8);
}

bool is_export_source(model::SourceKind source) {
  return source == model::SourceKind::kSlack ||
         source == model::SourceKind::kJira ||
         source == model::SourceKind::kJsonl;
}

}  // namespace sprawl::reporters
