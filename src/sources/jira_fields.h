// Private to the Jira source: the issue field walk for REST JSON, the
// streaming scanners for entities.xml (expat) and the CSV export, and the
// post-scan fix-ups of keys and links learnt late.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/sources/source.h"
#include "sprawl/util/diagnostics.h"

namespace sprawl::sources {

/// State shared by the worker threads of one Jira source.
struct JiraShared {
  std::string site;  ///< from the user ("https://acme.atlassian.net")

  std::mutex mutex;
  std::string inferred_site;  ///< self URL or jira.baseurl seen first
  /// entities.xml issue id -> key, for rows read before their issue.
  std::unordered_map<std::string, std::string> issue_keys;
};

/// "https://SITE/browse/KEY", with ?focusedCommentId / ?focusedWorklogId
/// for comment:ID and worklog:ID fields. Empty without site or key.
std::string jira_link(std::string_view site, std::string_view key,
                      std::string_view field);

/// Visits every issue of a parsed REST document: a single issue, a search
/// page with issues[], or an array of issues. entry names the file (and
/// line) for messages. False when the document holds no issue.
bool scan_jira_json(const std::string& entry, simdjson::dom::element root,
                    JiraShared& shared, const BlobVisitor& visit);

/// Streams one entities.xml (or activeobjects.xml) through expat.
class JiraXmlScanner {
 public:
  JiraXmlScanner(std::string entry, JiraShared& shared,
                 const BlobVisitor& visit, Diagnostics& diagnostics);
  ~JiraXmlScanner();
  JiraXmlScanner(const JiraXmlScanner&) = delete;
  JiraXmlScanner& operator=(const JiraXmlScanner&) = delete;

  /// Parses the next chunk; last = true on the final one. False after a
  /// parse error, which is reported naming the entry and line.
  bool feed(std::string_view chunk, bool last);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

/// Streams the "CSV (all fields)" export: RFC 4180, multi-line cells,
/// repeated column names. One blob per non-empty cell.
class JiraCsvScanner {
 public:
  JiraCsvScanner(std::string entry, JiraShared& shared,
                 const BlobVisitor& visit, Diagnostics& diagnostics);
  ~JiraCsvScanner();

  /// Parses the next chunk; last = true on the final one.
  void feed(std::string_view chunk, bool last);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

/// Resolves issue keys and links that were unknown while loading.
void finish_jira_findings(JiraShared& shared,
                          std::vector<model::Finding>& findings);

}  // namespace sprawl::sources
