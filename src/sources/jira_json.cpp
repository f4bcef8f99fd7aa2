// Jira REST JSON (issue 5): the fields of an issue that hold text, v2 wiki
// strings and v3 Atlassian Document Format alike, with comments, worklogs,
// attachments, custom fields and the changelog.
#include <string>

#include "sources/jira_fields.h"
#include "sources/text_decode.h"

namespace sprawl::sources {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view person(element parent, std::string_view key) {
  element who;
  if (parent[key].get(who) || who.type() != element_type::OBJECT) return {};
  for (std::string_view name :
       {"displayName", "name", "emailAddress", "accountId"}) {
    std::string_view value = text::get_string(who, name);
    if (!value.empty()) return value;
  }
  return {};
}

// A field value as text: a string (wiki markup is scanned as written), an
// ADF document, an option object or an array of those.
void append_value(element value, std::string& out) {
  switch (value.type()) {
    case element_type::STRING:
      out.append(value.get_string().value_unsafe());
      out.push_back('\n');
      return;
    case element_type::OBJECT:
      if (text::is_adf(value))
        text::append_adf(value, out);
      else
        text::append_all_strings(value, out);
      return;
    case element_type::ARRAY:
      for (element child : text::array_of(value)) append_value(child, out);
      return;
    default:
      return;
  }
}

class IssueScanner {
 public:
  IssueScanner(const std::string& entry, JiraShared& shared,
               const BlobVisitor& visit)
      : entry_(entry), shared_(shared), visit_(visit) {
    location_.source = model::SourceKind::kJira;
  }

  void scan(element issue, const element* names);

 private:
  void emit(std::string field, std::string_view author,
            std::string_view created, std::string_view bytes);
  void emit_value(std::string field, std::string_view author,
                  std::string_view created, element value) {
    text_.clear();
    append_value(value, text_);
    emit(std::move(field), author, created, text_);
  }
  void scan_comments(element fields);
  void scan_worklogs(element fields);
  void scan_attachments(element fields);
  void scan_custom_fields(element fields, const element* names);
  void scan_changelog(element issue);

  const std::string& entry_;
  JiraShared& shared_;
  const BlobVisitor& visit_;
  model::Location location_;
  std::string key_;
  std::string site_;
  std::string text_;
  uint64_t group_id_ = 0;
};

void IssueScanner::emit(std::string field, std::string_view author,
                        std::string_view created, std::string_view bytes) {
  if (bytes.empty()) return;
  location_.url = jira_link(site_, key_, field);
  location_.attributes = {{"issue", key_},
                          {"field", std::move(field)},
                          {"author", std::string(author)},
                          {"created", std::string(created)},
                          {"entry", entry_}};
  model::Blob blob;
  blob.bytes = bytes;
  blob.origin = &location_;
  blob.owned_bytes = bytes.size();
  blob.group_id = group_id_;
  visit_(blob);
}

void IssueScanner::scan_comments(element fields) {
  element comments;
  if (fields["comment"]["comments"].get(comments) ||
      comments.type() != element_type::ARRAY)
    return;
  for (element comment : text::array_of(comments)) {
    element body;
    if (comment["body"].get(body)) continue;
    emit_value("comment:" + std::string(text::get_string(comment, "id")),
               person(comment, "author"), text::get_string(comment, "created"),
               body);
  }
}

void IssueScanner::scan_worklogs(element fields) {
  element worklogs;
  if (fields["worklog"]["worklogs"].get(worklogs) ||
      worklogs.type() != element_type::ARRAY)
    return;
  for (element worklog : text::array_of(worklogs)) {
    element body;
    if (worklog["comment"].get(body)) continue;
    emit_value("worklog:" + std::string(text::get_string(worklog, "id")),
               person(worklog, "author"), text::get_string(worklog, "started"),
               body);
  }
}

void IssueScanner::scan_attachments(element fields) {
  element attachments;
  if (fields["attachment"].get(attachments) ||
      attachments.type() != element_type::ARRAY)
    return;
  for (element attachment : text::array_of(attachments)) {
    text_.clear();
    for (std::string_view key : {"filename", "content", "thumbnail"}) {
      text_.append(text::get_string(attachment, key));
      text_.push_back('\n');
    }
    emit("attachment:" + std::string(text::get_string(attachment, "id")),
         person(attachment, "author"), text::get_string(attachment, "created"),
         text_);
  }
}

void IssueScanner::scan_custom_fields(element fields, const element* names) {
  for (auto field : text::object_of(fields)) {
    if (!field.key.starts_with("customfield_")) continue;
    std::string name(field.key);
    std::string_view label =
        names ? text::get_string(*names, field.key) : std::string_view{};
    if (!label.empty()) name += " (" + std::string(label) + ")";
    emit_value(std::move(name), {}, {}, field.value);
  }
}

void IssueScanner::scan_changelog(element issue) {
  element histories;
  if (issue["changelog"]["histories"].get(histories) ||
      histories.type() != element_type::ARRAY)
    return;
  for (element history : text::array_of(histories)) {
    std::string id(text::get_string(history, "id"));
    std::string_view author = person(history, "author");
    std::string_view created = text::get_string(history, "created");
    element items;
    if (history["items"].get(items) || items.type() != element_type::ARRAY)
      continue;
    for (element item : text::array_of(items)) {
      std::string base = "changelog:" + id + "/" +
                         std::string(text::get_string(item, "field"));
      emit(base + ".from", author, created,
           text::get_string(item, "fromString"));
      emit(base + ".to", author, created, text::get_string(item, "toString"));
    }
  }
}

void IssueScanner::scan(element issue, const element* names) {
  key_ = std::string(text::get_string(issue, "key"));
  std::string_view self = text::get_string(issue, "self");
  site_ =
      shared_.site.empty() ? std::string(text::url_origin(self)) : shared_.site;
  if (!site_.empty() && shared_.site.empty()) {
    std::lock_guard<std::mutex> lock(shared_.mutex);
    if (shared_.inferred_site.empty()) shared_.inferred_site = site_;
  }
  location_.path = key_.empty() ? entry_ : key_;
  group_id_ = text::hash64("jira", key_.empty() ? entry_ : key_);
  element inner_names;
  if (!issue["names"].get(inner_names)) names = &inner_names;

  element fields;
  if (issue["fields"].get(fields) || fields.type() != element_type::OBJECT)
    return;
  std::string_view reporter = person(fields, "reporter");
  if (reporter.empty()) reporter = person(fields, "creator");
  std::string_view created = text::get_string(fields, "created");
  for (std::string_view name : {"summary", "description", "environment"}) {
    element value;
    if (!fields[name].get(value))
      emit_value(std::string(name), reporter, created, value);
  }
  scan_comments(fields);
  scan_worklogs(fields);
  scan_attachments(fields);
  scan_custom_fields(fields, names);
  scan_changelog(issue);
}

bool looks_like_issue(element value) {
  element fields;
  return value.type() == element_type::OBJECT && !value["fields"].get(fields);
}

}  // namespace

std::string jira_link(std::string_view site, std::string_view key,
                      std::string_view field) {
  if (site.empty() || key.empty()) return {};
  std::string url(site);
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/browse/";
  url += key;
  if (field.starts_with("comment:") && field.size() > 8)
    url += "?focusedCommentId=" + std::string(field.substr(8));
  else if (field.starts_with("worklog:") && field.size() > 8)
    url += "?focusedWorklogId=" + std::string(field.substr(8));
  return url;
}

bool scan_jira_json(const std::string& entry, element root, JiraShared& shared,
                    const BlobVisitor& visit) {
  IssueScanner scanner(entry, shared, visit);
  element names_value;
  const element* names = nullptr;
  if (root.type() == element_type::OBJECT && !root["names"].get(names_value))
    names = &names_value;
  element issues;
  if (root.type() == element_type::OBJECT && !root["issues"].get(issues) &&
      issues.type() == element_type::ARRAY) {
    for (element issue : text::array_of(issues)) scanner.scan(issue, names);
    return true;
  }
  if (looks_like_issue(root)) {
    scanner.scan(root, names);
    return true;
  }
  if (root.type() != element_type::ARRAY) return false;
  bool any = false;
  for (element issue : text::array_of(root)) {
    if (!looks_like_issue(issue)) continue;
    scanner.scan(issue, names);
    any = true;
  }
  return any;
}

}  // namespace sprawl::sources
