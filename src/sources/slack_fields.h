// Private to the Slack source: the export's conversation and user lists,
// the per-message field walk, and the post-scan fix-ups (workspace, export
// token, one finding per secret per message).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/sources/source.h"

namespace sprawl::sources {

struct Conversation {
  std::string id;
  std::string name;  ///< "#deploys" for channels, the mpdm name, or the id
};

/// The token Slack appends to every file URL of an export (`?t=xoxe-…`):
/// scanned once, not once per file, so that findings stay bounded.
struct ExportToken {
  uint64_t occurrences = 0;
  /// The first occurrence in (path, ts, field) order, whatever order the
  /// threads load in; finish() reports the token here.
  model::Location first;
};

/// State shared by the worker threads of one Slack source. The maps are
/// filled before the first task and read-only afterwards; the fields below
/// mutex are written while loading.
struct SlackShared {
  std::string workspace;  ///< from the user; empty = infer
  std::unordered_map<std::string, Conversation> conversations;  ///< by folder
  std::unordered_map<std::string, std::string> user_names;      ///< user/bot id

  std::mutex mutex;
  std::string inferred_workspace;  ///< host of the first file permalink
  std::map<std::string, ExportToken> export_tokens;
};

/// Visits the text fields of every message of a parsed day file.
void scan_slack_day(const std::string& entry, const std::string& folder,
                    simdjson::dom::element messages, SlackShared& shared,
                    const BlobVisitor& visit);

/// Visits channel topics and purposes, user profiles and the strings of
/// other root files (integration_logs.json, canvases.json).
void scan_slack_metadata(const std::string& entry, simdjson::dom::element root,
                         SlackShared& shared, const BlobVisitor& visit);

/// Fills an inferred workspace and its links, collapses the file-URL export
/// token to one finding, and keeps one finding per secret per message.
void finish_slack_findings(SlackShared& shared,
                           std::vector<model::Finding>& findings);

}  // namespace sprawl::sources
