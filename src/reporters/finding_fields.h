// Helpers shared by the reporters: how a finding's secret, captures, times
// and places are shown, and the scrubbing that keeps a raw secret out of
// every other field when secrets are redacted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sprawl/model/finding.h"

namespace sprawl::reporters {

/// Secrets shorter than this are not scrubbed out of other fields: a short
/// string would match unrelated text. They are still redacted themselves.
inline constexpr std::size_t kMinScrubBytes = 6;

/// The secret as the reporter prints it: raw when show_secrets, otherwise
/// redact(secret).
std::string shown_secret(const model::Finding& finding, bool show_secrets);

/// text with every occurrence of secret replaced by redact(secret); text
/// unchanged when secret is shorter than min_bytes (or empty).
std::string scrub(std::string_view text, std::string_view secret,
                  std::size_t min_bytes = kMinScrubBytes);

/// True for capture names that identify rather than authenticate (id, host,
/// user, email, ...); those are printed as they are. Others are redacted.
bool is_identifying_capture(std::string_view name);

/// The value of a capture as printed: raw when show_secrets or when the
/// capture identifies, otherwise redacted; always scrubbed of the secret
/// unless show_secrets.
std::string shown_capture(const model::Finding& finding, std::string_view name,
                          std::string_view value, bool show_secrets);

/// Seconds since the epoch as ISO 8601 UTC: "2024-01-05T10:22:01Z".
std::string iso_utc(int64_t seconds);

/// The first 8 hex digits of a commit id.
std::string_view short_commit(std::string_view commit);

/// True for sources that are not repository files (Slack, Jira, JSONL).
bool is_export_source(model::SourceKind source);

}  // namespace sprawl::reporters
