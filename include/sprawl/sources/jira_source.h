// The Jira export source (issue 5): REST API JSON (an issue, a search page,
// a folder or JSONL of them), the backup's entities.xml (alone or in the
// backup zip, streamed) and the "CSV (all fields)" export.
#pragma once

#include <memory>
#include <string>

#include "sprawl/sources/open.h"
#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::sources {

/// True when path looks like a Jira export: a JSON file whose start holds
/// "issues" or "key" and "fields", a JSONL of issues, a folder whose first
/// JSON file is one, an entities.xml, a zip holding entities.xml, or a CSV
/// whose header has "Issue key". Reads at most the first 64 KB of a file
/// (and a zip's entry names). Never fails.
[[nodiscard]] bool is_jira_export(const std::string& path);

/// Opens a Jira export. Blobs carry SourceKind::kJira locations: path =
/// the issue key (or the export entry when there is none), attributes
/// issue, field (summary, description, comment:ID, worklog:ID,
/// attachment:ID, "customfield_N (Name)", changelog:GROUP/FIELD.from|to,
/// property:KEY, xml-comment), author, created, and a link
/// https://SITE/browse/KEY (?focusedCommentId=ID for comments). SITE is
/// options.jira_site, else the issue's `self` URL, else the backup's
/// jira.baseurl; finish() fills links and keys learnt late. JSON files are
/// parsed per file (memory bounded by the largest file or JSONL line);
/// entities.xml and CSV are streamed in 1 MB chunks. Errors name the path.
[[nodiscard]] Expected<std::unique_ptr<Source>> make_jira_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics);

}  // namespace sprawl::sources
