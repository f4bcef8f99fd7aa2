// Location: where a finding is, in terms a person can follow — file and
// line, commit and path, Slack message permalink, Jira issue link.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sprawl::model {

/// Which kind of source produced a blob.
enum class SourceKind { kFile, kStdin, kGit, kSlack, kJira, kJsonl };

std::string_view source_kind_name(SourceKind kind);

/// The commit that first introduced a blob at a path (issue 3).
struct Provenance {
  std::string commit;        ///< full hex id
  std::string author_name;
  std::string author_email;
  int64_t author_time = 0;   ///< seconds since the epoch, UTC
  std::string summary;       ///< first line of the message
  uint32_t other_commits = 0;  ///< further commits carrying the same blob
  uint32_t other_paths = 0;    ///< further paths carrying the same blob
};

struct Location {
  SourceKind source = SourceKind::kFile;
  /// File path (repository-relative for git), or the export entry.
  std::string path;
  uint32_t line = 0;        ///< 1-based; 0 when not applicable
  uint32_t column = 0;      ///< 1-based, in bytes
  uint32_t end_line = 0;
  uint32_t end_column = 0;  ///< 1-based, inclusive
  /// Git: blob id, when the finding comes from an object.
  std::string blob_id;
  std::optional<Provenance> provenance;
  /// A link a person can open (Slack permalink, Jira browse link).
  std::string url;
  /// Source-specific fields in a stable order: ("channel", "#deploys"),
  /// ("ts", "1694174625.423609"), ("field", "text"), ("issue", "OPS-12").
  std::vector<std::pair<std::string, std::string>> attributes;

  /// The value of an attribute, or empty.
  const std::string& attribute(std::string_view key) const;
  void set_attribute(std::string key, std::string value);
};

}  // namespace sprawl::model
