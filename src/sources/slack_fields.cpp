// The Slack message walk (issue 5): which JSON fields of a message hold
// text, how each is decoded, and the location every blob carries. Field
// names follow the JSON (`attachments[0].text`) so a person can find them.
#include "sources/slack_fields.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "sources/text_decode.h"
#include "sprawl/sources/slack_source.h"

namespace sprawl::sources {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::array<std::string_view, 13> kAttachmentKeys = {
    "fallback",    "pretext",      "title",       "title_link", "text",
    "from_url",    "original_url", "image_url",   "thumb_url",  "author_name",
    "author_link", "footer",       "service_name"};

constexpr std::array<std::string_view, 13> kFileKeys = {"name",
                                                        "title",
                                                        "preview",
                                                        "preview_highlight",
                                                        "preview_plain_text",
                                                        "plain_text",
                                                        "url_private",
                                                        "url_private_download",
                                                        "permalink",
                                                        "permalink_public",
                                                        "edit_link",
                                                        "external_url",
                                                        "thumb_pdf"};

bool is_url_key(std::string_view key) {
  return key.starts_with("url_") || key.starts_with("permalink") ||
         key == "edit_link" || key == "external_url" || key == "thumb_pdf";
}

// Slack appends ?t=xoxe-... to every file URL of an official export.
std::string_view export_token(std::string_view url) {
  std::size_t at = url.find("t=xoxe-");
  while (at != std::string_view::npos) {
    if (at > 0 && (url[at - 1] == '?' || url[at - 1] == '&')) {
      std::string_view rest = url.substr(at + 2);
      return rest.substr(0, rest.find_first_of("&# \n"));
    }
    at = url.find("t=xoxe-", at + 1);
  }
  return {};
}

// "https://acme-corp.slack.com/files/U1/F2/x" -> "acme-corp".
std::string_view workspace_of(std::string_view permalink) {
  constexpr std::string_view kScheme = "https://";
  if (!permalink.starts_with(kScheme)) return {};
  std::string_view host = permalink.substr(kScheme.size());
  host = host.substr(0, host.find('/'));
  if (!host.ends_with(".slack.com")) return {};
  std::string_view name = host.substr(0, host.find('.'));
  if (name == "files" || name == "app" || name == "hooks") return {};
  return name;
}

std::string indexed(std::string_view prefix, std::string_view name,
                    std::size_t i) {
  std::string out(prefix);
  out.append(name);
  out.push_back('[');
  out.append(std::to_string(i));
  out.append("].");
  return out;
}

bool location_before(const model::Location& a, const model::Location& b) {
  return std::tie(a.path, a.attribute("ts"), a.attribute("field")) <
         std::tie(b.path, b.attribute("ts"), b.attribute("field"));
}

class DayScanner {
 public:
  DayScanner(const std::string& entry, const Conversation& conversation,
             SlackShared& shared, const BlobVisitor& visit)
      : conversation_(conversation), shared_(shared), visit_(visit) {
    location_.source = model::SourceKind::kSlack;
    location_.path = entry;
    std::lock_guard<std::mutex> lock(shared.mutex);
    workspace_ =
        shared.workspace.empty() ? shared.inferred_workspace : shared.workspace;
  }

  void scan_message(element message);

 private:
  void set_location(element message);
  void scan_fields(element message, const std::string& prefix);
  void scan_attachment(element attachment, const std::string& prefix);
  void scan_file(element file, const std::string& prefix);
  void emit(const std::string& field, std::string_view bytes);
  void emit_mrkdwn(const std::string& field, std::string_view raw) {
    text_.clear();
    text::append_mrkdwn(raw, text_);
    emit(field, text_);
  }
  std::string_view note_url(const std::string& field, std::string_view key,
                            std::string_view url);

  const Conversation& conversation_;
  SlackShared& shared_;
  const BlobVisitor& visit_;
  std::string workspace_;
  model::Location location_;
  std::string text_;
  std::string url_;
  uint64_t group_id_ = 0;
};

void DayScanner::emit(const std::string& field, std::string_view bytes) {
  if (bytes.empty()) return;
  location_.attributes.back().second = field;
  model::Blob blob;
  blob.bytes = bytes;
  blob.origin = &location_;
  blob.owned_bytes = bytes.size();
  blob.group_id = group_id_;
  visit_(blob);
}

// Returns the URL to scan: the export token is cut out of file URLs and
// visited on its own the first time this thread pool sees it.
std::string_view DayScanner::note_url(const std::string& field,
                                      std::string_view key,
                                      std::string_view url) {
  std::string_view token = export_token(url);
  std::string_view workspace =
      key == "permalink" ? workspace_of(url) : std::string_view{};
  if (token.empty() && (workspace.empty() || !workspace_.empty())) return url;
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(shared_.mutex);
    if (!workspace.empty() && shared_.inferred_workspace.empty())
      shared_.inferred_workspace = workspace;
    if (!token.empty()) {
      ExportToken& seen = shared_.export_tokens[std::string(token)];
      location_.attributes.back().second = field;
      first = ++seen.occurrences == 1;
      if (first || location_before(location_, seen.first))
        seen.first = location_;
    }
  }
  if (token.empty()) return url;
  if (first) emit(field, token);
  // "…/name?t=TOKEN&x" -> "…/name?x"; "…/name?t=TOKEN" -> "…/name".
  std::size_t at = static_cast<std::size_t>(token.data() - url.data()) - 2;
  url_.assign(url.substr(0, at));
  std::size_t end = at + 2 + token.size();
  if (end < url.size() && url[end] == '&')
    url_.append(url.substr(end + 1));
  else if (url_.back() == '?' || url_.back() == '&')
    url_.pop_back();
  return url_;
}

void DayScanner::set_location(element message) {
  std::string_view ts = text::get_string(message, "ts");
  std::string_view thread_ts = text::get_string(message, "thread_ts");
  std::string_view user = text::get_string(message, "user");
  std::string_view bot_id = text::get_string(message, "bot_id");
  std::string_view user_name = text::get_string(message, "username");
  element bot_profile;
  if (user_name.empty() && !message["bot_profile"].get(bot_profile))
    user_name = text::get_string(bot_profile, "name");
  std::string name(user_name);
  if (name.empty()) {
    auto it =
        shared_.user_names.find(std::string(user.empty() ? bot_id : user));
    if (it != shared_.user_names.end()) name = it->second;
  }
  bool reply = !thread_ts.empty() && thread_ts != ts;

  auto& attributes = location_.attributes;
  attributes.clear();
  attributes.emplace_back("workspace", workspace_);
  attributes.emplace_back("channel", conversation_.name);
  attributes.emplace_back("channel_id", conversation_.id);
  attributes.emplace_back("ts", std::string(ts));
  if (reply) attributes.emplace_back("thread_ts", std::string(thread_ts));
  if (!user.empty()) attributes.emplace_back("user_id", std::string(user));
  if (!bot_id.empty()) attributes.emplace_back("bot_id", std::string(bot_id));
  attributes.emplace_back("user_name", std::move(name));
  element edited;
  if (!message["edited"].get(edited))
    attributes.emplace_back("edited_ts",
                            std::string(text::get_string(edited, "ts")));
  attributes.emplace_back("field", std::string());
  location_.url = slack_permalink(workspace_, conversation_.id, std::string(ts),
                                  reply ? std::string(thread_ts) : "");
  group_id_ = text::hash64(
      conversation_.id.empty() ? location_.path : conversation_.id, ts);
}

void DayScanner::scan_attachment(element attachment,
                                 const std::string& prefix) {
  for (std::string_view key : kAttachmentKeys) {
    std::string_view value = text::get_string(attachment, key);
    if (!value.empty()) emit_mrkdwn(prefix + std::string(key), value);
  }
  element fields;
  if (!attachment["fields"].get(fields) &&
      fields.type() == element_type::ARRAY) {
    std::size_t i = 0;
    for (element field : text::array_of(fields)) {
      std::string base = indexed(prefix, "fields", i++);
      emit_mrkdwn(base + "title", text::get_string(field, "title"));
      emit_mrkdwn(base + "value", text::get_string(field, "value"));
    }
  }
  for (std::string_view key : {"blocks", "message_blocks"}) {
    element blocks;
    if (attachment[key].get(blocks)) continue;
    text_.clear();
    text::append_slack_blocks(blocks, text_);
    emit(prefix + std::string(key), text_);
  }
}

void DayScanner::scan_file(element file, const std::string& prefix) {
  for (std::string_view key : kFileKeys) {
    std::string_view value = text::get_string(file, key);
    if (value.empty()) continue;
    std::string field = prefix + std::string(key);
    if (is_url_key(key)) value = note_url(field, key, value);
    emit(field, value);
  }
  element comment;
  if (!file["initial_comment"].get(comment)) {
    std::string_view value = comment.type() == element_type::OBJECT
                                 ? text::get_string(comment, "comment")
                                 : text::get_string(file, "initial_comment");
    emit_mrkdwn(prefix + "initial_comment", value);
  }
}

void DayScanner::scan_fields(element message, const std::string& prefix) {
  emit_mrkdwn(prefix + "text", text::get_string(message, "text"));
  element value;
  if (!message["blocks"].get(value)) {
    text_.clear();
    text::append_slack_blocks(value, text_);
    emit(prefix + "blocks", text_);
  }
  if (!message["attachments"].get(value) &&
      value.type() == element_type::ARRAY) {
    std::size_t i = 0;
    for (element attachment : text::array_of(value))
      scan_attachment(attachment, indexed(prefix, "attachments", i++));
  }
  if (!message["files"].get(value) && value.type() == element_type::ARRAY) {
    std::size_t i = 0;
    for (element file : text::array_of(value))
      scan_file(file, indexed(prefix, "files", i++));
  }
  if (!message["file"].get(value) && value.type() == element_type::OBJECT)
    scan_file(value, prefix + "file.");
  if (!message["comment"].get(value) && value.type() == element_type::OBJECT)
    emit_mrkdwn(prefix + "comment", text::get_string(value, "comment"));
}

void DayScanner::scan_message(element message) {
  if (message.type() != element_type::OBJECT) return;
  set_location(message);
  scan_fields(message, "");
  // message_changed events carry the new and the previous version.
  for (std::string_view key : {"message", "previous_message"}) {
    element nested;
    if (!message[key].get(nested) && nested.type() == element_type::OBJECT)
      scan_fields(nested, std::string(key) + ".");
  }
}

void emit_simple(model::Location& location, uint64_t group_id,
                 std::string_view field, std::string_view bytes,
                 const BlobVisitor& visit) {
  if (bytes.empty()) return;
  location.attributes.back().second = std::string(field);
  model::Blob blob;
  blob.bytes = bytes;
  blob.origin = &location;
  blob.owned_bytes = bytes.size();
  blob.group_id = group_id;
  visit(blob);
}

void scan_conversation_list(const std::string& entry, element root,
                            const std::string& workspace,
                            const BlobVisitor& visit) {
  bool is_public = entry == "channels.json" || entry == "groups.json";
  model::Location location;
  location.source = model::SourceKind::kSlack;
  location.path = entry;
  for (element row : text::array_of(root)) {
    std::string id(text::get_string(row, "id"));
    std::string name(text::get_string(row, "name"));
    location.attributes = {{"workspace", workspace},
                           {"channel", is_public ? "#" + name : name},
                           {"channel_id", id},
                           {"field", ""}};
    location.url = slack_permalink(workspace, id, "", "");
    uint64_t group_id = text::hash64(entry, id);
    for (std::string_view key : {"topic", "purpose"}) {
      element value;
      if (row[key].get(value)) continue;
      std::string decoded;
      text::append_mrkdwn(text::get_string(value, "value"), decoded);
      emit_simple(location, group_id, key, decoded, visit);
    }
  }
}

}  // namespace

void scan_slack_day(const std::string& entry, const std::string& folder,
                    element messages, SlackShared& shared,
                    const BlobVisitor& visit) {
  Conversation fallback{"", folder};
  auto it = shared.conversations.find(folder);
  DayScanner scanner(entry,
                     it == shared.conversations.end() ? fallback : it->second,
                     shared, visit);
  for (element message : text::array_of(messages))
    scanner.scan_message(message);
}

void scan_slack_metadata(const std::string& entry, element root,
                         SlackShared& shared, const BlobVisitor& visit) {
  std::string workspace;
  {
    std::lock_guard<std::mutex> lock(shared.mutex);
    workspace =
        shared.workspace.empty() ? shared.inferred_workspace : shared.workspace;
  }
  bool conversations = entry == "channels.json" || entry == "groups.json" ||
                       entry == "mpims.json" || entry == "dms.json";
  if (conversations && root.type() == element_type::ARRAY) {
    scan_conversation_list(entry, root, workspace, visit);
    return;
  }
  bool users = entry == "users.json" || entry == "org_users.json";
  model::Location location;
  location.source = model::SourceKind::kSlack;
  location.path = entry;
  std::string text;
  std::size_t i = 0;
  auto rows = root.type() == element_type::ARRAY ? text::array_of(root)
                                                 : simdjson::dom::array();
  if (root.type() != element_type::ARRAY) {
    location.attributes = {{"workspace", workspace}, {"field", ""}};
    text::append_all_strings(root, text);
    emit_simple(location, text::hash64(entry), entry, text, visit);
    return;
  }
  for (element row : rows) {
    text.clear();
    std::string id(text::get_string(row, "id"));
    if (users) {
      location.attributes = {
          {"workspace", workspace},
          {"user_id", id},
          {"user_name", std::string(text::get_string(row, "name"))},
          {"field", ""}};
      element profile;
      if (!row["profile"].get(profile)) text::append_all_strings(profile, text);
      emit_simple(location, text::hash64(entry, id), "profile", text, visit);
      continue;
    }
    location.attributes = {{"workspace", workspace}, {"field", ""}};
    text::append_all_strings(row, text);
    emit_simple(location, text::hash64(entry, std::to_string(i)),
                "[" + std::to_string(i) + "]", text, visit);
    ++i;
  }
}

namespace {

bool is_export_token_finding(const model::Finding& finding,
                             const std::string& token) {
  if (finding.secret.empty()) return false;
  return finding.secret == token ||
         (finding.secret.size() >= 16 &&
          token.find(finding.secret) != std::string::npos) ||
         finding.secret.find(token) != std::string::npos;
}

void fill_workspace(const std::string& workspace, model::Finding& finding) {
  model::Location& location = finding.location;
  if (workspace.empty() || !location.attribute("workspace").empty()) return;
  location.set_attribute("workspace", workspace);
  location.url = slack_permalink(workspace, location.attribute("channel_id"),
                                 location.attribute("ts"),
                                 location.attribute("thread_ts"));
}

// Each export token was visited once (see note_url); its finding moves to
// the token's first occurrence and says how often the token appeared.
void collapse_export_tokens(SlackShared& shared,
                            std::vector<model::Finding>& findings,
                            std::vector<bool>& keep) {
  for (const auto& [token, seen] : shared.export_tokens) {
    bool reported = false;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      model::Finding& f = findings[i];
      if (!keep[i] || f.location.source != model::SourceKind::kSlack ||
          !is_export_token_finding(f, token))
        continue;
      if (reported) {
        keep[i] = false;
        continue;
      }
      reported = true;
      f.location = seen.first;
      f.group_id = 0;
      f.location.set_attribute(
          "note", "slack export token appended to file URLs, " +
                      std::to_string(seen.occurrences) + " occurrences");
    }
  }
}

// A message's text usually reappears in its blocks; one finding per secret
// per message is what a person wants to read.
void dedupe_per_message(std::vector<model::Finding>& findings,
                        std::vector<bool>& keep) {
  std::map<std::tuple<uint64_t, std::string, std::string>, std::size_t> seen;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const model::Finding& f = findings[i];
    if (!keep[i] || f.location.source != model::SourceKind::kSlack) continue;
    auto key = std::make_tuple(f.group_id, f.rule_id, f.secret);
    auto [it, inserted] = seen.emplace(key, i);
    if (inserted) continue;
    model::Finding& first = findings[it->second];
    bool take_new = f.location.attribute("field") == "text" &&
                    first.location.attribute("field") != "text";
    std::size_t dropped = take_new ? it->second : i;
    std::size_t kept = take_new ? i : it->second;
    std::string also = findings[kept].location.attribute("also_in");
    if (!also.empty()) also += ",";
    also += findings[dropped].location.attribute("field");
    findings[kept].location.set_attribute("also_in", also);
    keep[dropped] = false;
    it->second = kept;
  }
}

}  // namespace

void finish_slack_findings(SlackShared& shared,
                           std::vector<model::Finding>& findings) {
  std::lock_guard<std::mutex> lock(shared.mutex);
  std::string workspace =
      shared.workspace.empty() ? shared.inferred_workspace : shared.workspace;
  std::vector<bool> keep(findings.size(), true);
  collapse_export_tokens(shared, findings, keep);
  for (model::Finding& finding : findings)
    if (finding.location.source == model::SourceKind::kSlack)
      fill_workspace(workspace, finding);
  dedupe_per_message(findings, keep);
  std::size_t out = 0;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!keep[i]) continue;
    if (out != i) findings[out] = std::move(findings[i]);
    ++out;
  }
  findings.resize(out);
}

}  // namespace sprawl::sources
