// Exposure: the place a finding shows a credential — the columns the store
// keeps per exposure and the inventory shows — derived from a finding's
// location in the same way for every source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sprawl/model/finding.h"

namespace sprawl::store {

/// How visible a place is, from most to least private.
enum class Visibility { kUnknown, kPrivate, kInternal, kPublic };

/// "unknown", "private", "internal" or "public".
std::string_view visibility_name(Visibility visibility);

/// The source-independent description of where a finding is.
struct ExposurePlace {
  std::string source;     ///< "git", "slack", "jira", "file", ...
  std::string repo;       ///< repository key (git), empty otherwise
  std::string commit;     ///< introducing commit (git)
  std::string path;       ///< file or export entry
  uint32_t line = 0;
  std::string blob_id;
  std::string channel;    ///< Slack channel name or id
  std::string issue;      ///< Jira issue key
  std::string link;       ///< permalink / browse link / url
  std::string exposed_by; ///< commit author, message user, comment author
  int64_t exposed_at = 0; ///< seconds since the epoch; 0 when unknown
  /// Whether the secret is still at the repository's HEAD (git sources set
  /// the location attribute at_head = "true"/"false"); unknown otherwise.
  std::optional<bool> still_at_head;
  Visibility visibility = Visibility::kUnknown;
};

/// Derives the place from finding.location: provenance for git, attributes
/// channel/ts/user_name/user/channel_type for Slack, issue/author/created
/// for Jira. Pure; never throws.
ExposurePlace exposure_place(const model::Finding& finding);

/// A key naming one exposure of one identity: the same credential at the
/// same place gives the same key in every scan (attributes that change
/// between scans, such as at_head, are left out). 64 hex digits.
std::string exposure_key(std::string_view identity,
                         const model::Location& location);

/// Parses a time as sources write it: seconds since the epoch with an
/// optional fraction ("1694174625.423609") or ISO 8601 with an optional
/// fraction and zone ("2023-09-08T12:03:45.123+0000", "...Z"). 0 when it
/// cannot be parsed.
int64_t parse_time(std::string_view text);

/// The finding as the store may keep it: secret replaced by replacement
/// (the redacted form), captures that hold (part of) the secret dropped.
model::Finding scrub_finding(const model::Finding& finding,
                             std::string_view replacement);

}  // namespace sprawl::store
