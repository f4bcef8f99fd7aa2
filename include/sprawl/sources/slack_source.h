// The Slack workspace export source (issue 5): a zip or unpacked folder of
// channels.json, users.json and per-conversation day files, scanned as
// decoded message text with permalinks to every message.
#pragma once

#include <memory>
#include <string>

#include "sprawl/sources/open.h"
#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

/// True when path is a folder holding channels.json and users.json, or a
/// zip whose entries include both at its root. Reads only the zip's
/// directory. Never fails: unreadable paths are simply not Slack.
[[nodiscard]] bool is_slack_export(const std::string& path);

/// Opens a Slack export. Reads the conversation and user lists up front
/// (one pass over a zip, skipping day files), then yields one task per
/// day file and per metadata file. Blobs carry SourceKind::kSlack
/// locations with the attributes workspace, channel, channel_id, ts,
/// thread_ts (replies), user_id or bot_id, user_name, field, and the
/// message permalink. The workspace comes from options.slack_workspace or
/// the host of a file permalink; when it is only learnt while loading,
/// finish() fills it and the link in. finish() also reports the export
/// token Slack appends to file URLs once per export and keeps one finding
/// per secret per message. Errors name the path.
[[nodiscard]] Expected<std::unique_ptr<Source>> make_slack_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

/// The permalink of a message: https://WORKSPACE.slack.com/archives/
/// CHANNEL/pTS, with ?thread_ts=PARENT&cid=CHANNEL for replies. Empty when
/// workspace or channel_id is empty.
[[nodiscard]] std::string slack_permalink(const std::string& workspace,
                                          const std::string& channel_id,
                                          const std::string& ts,
                                          const std::string& thread_ts);

}  // namespace sprawl::sources
