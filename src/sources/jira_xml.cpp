// Jira backup entities.xml (issue 5), streamed through expat: one entity
// (database row) is held at a time. Issues, comments, worklogs, change
// items, custom field values and properties become blobs; any other row is
// scanned as "name=value" lines. The leading XML comment is scanned too.
#include <expat.h>

#include <unordered_map>

#include "sources/jira_fields.h"
#include "sources/text_decode.h"

namespace sprawl::sources {

namespace {

// A row bigger than this is not a database row we can use; it is reported
// and dropped so that memory stays bounded.
constexpr std::size_t kMaxEntityBytes = 64u << 20;

struct Entity {
  std::string name;
  std::vector<std::pair<std::string, std::string>> fields;  // attrs+children
  std::size_t bytes = 0;

  std::string_view get(std::string_view key) const {
    for (const auto& [k, v] : fields)
      if (k == key) return v;
    return {};
  }
};

struct ChangeGroup {
  std::string issue_id;
  std::string author;
  std::string created;
};

}  // namespace

struct JiraXmlScanner::State {
  std::string entry;
  JiraShared& shared;
  const BlobVisitor& visit;
  Diagnostics& diagnostics;
  XML_Parser parser = nullptr;
  int depth = 0;
  Entity entity;
  bool in_child = false;
  bool oversized = false;
  std::unordered_map<std::string, std::string> project_keys;
  std::unordered_map<std::string, std::string> custom_field_names;
  std::unordered_map<std::string, std::string> property_keys;
  std::unordered_map<std::string, ChangeGroup> change_groups;
  model::Location location;
  std::string text;

  State(std::string e, JiraShared& s, const BlobVisitor& v, Diagnostics& d)
      : entry(std::move(e)), shared(s), visit(v), diagnostics(d) {
    location.source = model::SourceKind::kJira;
  }

  void emit(std::string_view issue_id, std::string field,
            std::string_view author, std::string_view created,
            std::string_view bytes);
  void emit_entity();
  void emit_issue();
  void emit_generic();
  std::string key_of(std::string_view issue_id);
};

namespace {

void XMLCALL on_start(void* data, const XML_Char* name,
                      const XML_Char** attributes) {
  auto& s = *static_cast<JiraXmlScanner::State*>(data);
  ++s.depth;
  if (s.depth == 2) {
    s.entity.name = name;
    s.entity.fields.clear();
    s.entity.bytes = 0;
    s.oversized = false;
    for (int i = 0; attributes[i]; i += 2) {
      s.entity.fields.emplace_back(attributes[i], attributes[i + 1]);
      s.entity.bytes += s.entity.fields.back().second.size();
    }
  } else if (s.depth == 3) {
    s.entity.fields.emplace_back(name, std::string());
    s.in_child = true;
  }
}

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto& s = *static_cast<JiraXmlScanner::State*>(data);
  if (s.depth < 3 || !s.in_child || s.oversized) return;
  s.entity.bytes += static_cast<std::size_t>(length);
  if (s.entity.bytes > kMaxEntityBytes) {
    s.oversized = true;
    s.diagnostics.skipped(s.entry, SkipReason::kTooLarge,
                          "row <" + s.entity.name + "> larger than " +
                              std::to_string(kMaxEntityBytes) + " bytes");
    s.entity.fields.clear();
    return;
  }
  s.entity.fields.back().second.append(text, static_cast<std::size_t>(length));
}

void XMLCALL on_end(void* data, const XML_Char* name) {
  auto& s = *static_cast<JiraXmlScanner::State*>(data);
  if (s.depth == 3) s.in_child = false;
  if (s.depth == 2 && !s.oversized) s.emit_entity();
  --s.depth;
}

void XMLCALL on_comment(void* data, const XML_Char* comment) {
  auto& s = *static_cast<JiraXmlScanner::State*>(data);
  s.emit({}, "xml-comment", {}, {}, comment);
}

}  // namespace

std::string JiraXmlScanner::State::key_of(std::string_view issue_id) {
  if (issue_id.empty()) return {};
  std::lock_guard<std::mutex> lock(shared.mutex);
  auto it = shared.issue_keys.find(std::string(issue_id));
  return it == shared.issue_keys.end() ? std::string() : it->second;
}

void JiraXmlScanner::State::emit(std::string_view issue_id, std::string field,
                                 std::string_view author,
                                 std::string_view created,
                                 std::string_view bytes) {
  if (bytes.empty()) return;
  std::string key = key_of(issue_id);
  std::string site;
  {
    std::lock_guard<std::mutex> lock(shared.mutex);
    site = shared.site.empty() ? shared.inferred_site : shared.site;
  }
  location.path = key.empty() ? entry : key;
  location.url = jira_link(site, key, field);
  location.attributes = {{"issue", key},
                         {"field", std::move(field)},
                         {"author", std::string(author)},
                         {"created", std::string(created)},
                         {"entry", entry}};
  if (!issue_id.empty())
    location.attributes.emplace_back("issue_id", std::string(issue_id));
  model::Blob blob;
  blob.bytes = bytes;
  blob.origin = &location;
  blob.owned_bytes = bytes.size();
  blob.group_id = text::hash64(entry, issue_id.empty() ? field : issue_id);
  visit(blob);
}

void JiraXmlScanner::State::emit_issue() {
  const Entity& e = entity;
  std::string id(e.get("id"));
  std::string key(e.get("key"));
  if (key.empty()) {
    auto project = project_keys.find(std::string(e.get("project")));
    if (project != project_keys.end() && !e.get("number").empty())
      key = project->second + "-" + std::string(e.get("number"));
  }
  if (!key.empty()) {
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.issue_keys[id] = key;
  }
  for (std::string_view field : {"summary", "description", "environment"})
    emit(id, std::string(field), e.get("reporter"), e.get("created"),
         e.get(field));
}

void JiraXmlScanner::State::emit_generic() {
  text.clear();
  for (const auto& [k, v] : entity.fields) {
    if (v.size() < 8) continue;
    text.append(k);
    text.push_back('=');
    text.append(v);
    text.push_back('\n');
  }
  std::string_view issue = entity.get("issue");
  emit(issue, entity.name + ":" + std::string(entity.get("id")), {}, {}, text);
}

void JiraXmlScanner::State::emit_entity() {
  const Entity& e = entity;
  const std::string& n = e.name;
  std::string id(e.get("id"));
  if (n == "Issue") {
    emit_issue();
  } else if (n == "Project") {
    project_keys[id] = std::string(e.get("key"));
    emit_generic();
  } else if (n == "Action") {
    std::string field =
        (e.get("type") == "comment" ? "comment:" : "action:") + id;
    emit(e.get("issue"), field, e.get("author"), e.get("created"),
         e.get("body"));
  } else if (n == "Worklog") {
    emit(e.get("issue"), "worklog:" + id, e.get("author"), e.get("created"),
         e.get("body"));
  } else if (n == "ChangeGroup") {
    change_groups[id] = {std::string(e.get("issue")),
                         std::string(e.get("author")),
                         std::string(e.get("created"))};
  } else if (n == "ChangeItem") {
    std::string group(e.get("group"));
    ChangeGroup info;
    if (auto it = change_groups.find(group); it != change_groups.end())
      info = it->second;
    std::string base = "changelog:" + group + "/" + std::string(e.get("field"));
    emit(info.issue_id, base + ".from", info.author, info.created,
         e.get("oldstring"));
    emit(info.issue_id, base + ".to", info.author, info.created,
         e.get("newstring"));
  } else if (n == "CustomField") {
    custom_field_names[id] = std::string(e.get("name"));
    emit_generic();
  } else if (n == "CustomFieldValue") {
    std::string field_id(e.get("customfield"));
    std::string field = "customfield_" + field_id;
    if (auto it = custom_field_names.find(field_id);
        it != custom_field_names.end())
      field += " (" + it->second + ")";
    std::string value(e.get("stringvalue"));
    if (!e.get("textvalue").empty()) value = std::string(e.get("textvalue"));
    emit(e.get("issue"), field, {}, {}, value);
  } else if (n == "OSPropertyEntry") {
    property_keys[id] = std::string(e.get("propertyKey"));
  } else if (n == "OSPropertyString" || n == "OSPropertyText") {
    std::string_view value = e.get("value");
    if (value.empty()) value = e.get("propertyValue");
    std::string key = property_keys.count(id) ? property_keys[id] : id;
    if (key == "jira.baseurl") {
      std::lock_guard<std::mutex> lock(shared.mutex);
      if (shared.inferred_site.empty())
        shared.inferred_site = std::string(value);
    }
    emit({}, "property:" + key, {}, {}, value);
  } else {
    emit_generic();
  }
}

JiraXmlScanner::JiraXmlScanner(std::string entry, JiraShared& shared,
                               const BlobVisitor& visit,
                               Diagnostics& diagnostics)
    : state_(std::make_unique<State>(std::move(entry), shared, visit,
                                     diagnostics)) {
  state_->parser = XML_ParserCreate(nullptr);
  XML_SetUserData(state_->parser, state_.get());
  XML_SetElementHandler(state_->parser, on_start, on_end);
  XML_SetCharacterDataHandler(state_->parser, on_text);
  XML_SetCommentHandler(state_->parser, on_comment);
}

JiraXmlScanner::~JiraXmlScanner() {
  if (state_->parser) XML_ParserFree(state_->parser);
}

bool JiraXmlScanner::feed(std::string_view chunk, bool last) {
  if (!state_->parser) return false;
  if (XML_Parse(state_->parser, chunk.data(), static_cast<int>(chunk.size()),
                last ? 1 : 0) != XML_STATUS_ERROR)
    return true;
  state_->diagnostics.error(make_error(
      ErrorCode::kParse,
      std::string("malformed XML, the rest of the entry was not scanned: ") +
          XML_ErrorString(XML_GetErrorCode(state_->parser)),
      state_->entry,
      "line " + std::to_string(XML_GetCurrentLineNumber(state_->parser))));
  XML_ParserFree(state_->parser);
  state_->parser = nullptr;
  return false;
}

}  // namespace sprawl::sources
