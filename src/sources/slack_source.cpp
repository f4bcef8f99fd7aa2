// Slack workspace export source (issue 5): lists day files of a folder or
// zip, parses each day file on a worker thread and yields one blob per text
// field of each message, decoded, with the message's permalink.
#include "sprawl/sources/slack_source.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "sources/archive_reader.h"
#include "sources/slack_fields.h"
#include "sources/text_decode.h"

namespace sprawl::sources {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;
using simdjson::dom::element_type;

// Perf: day files are small (KB to a few MB); a larger entry is almost
// certainly not a day file and is skipped rather than held in memory.
constexpr uint64_t kMaxEntryBytes = 512ull << 20;

constexpr std::string_view kConversationFiles[] = {
    "channels.json", "groups.json", "mpims.json", "dms.json"};

bool is_conversation_file(std::string_view name) {
  for (std::string_view f : kConversationFiles)
    if (name == f) return true;
  return false;
}

bool is_user_file(std::string_view name) {
  return name == "users.json" || name == "org_users.json";
}

class SlackSource final : public Source {
 public:
  SlackSource(std::string path, const SourceOptions& options,
              Diagnostics& diagnostics)
      : path_(std::move(path)), options_(options), diagnostics_(diagnostics) {
    shared_.workspace = options.slack_workspace;
  }

  [[nodiscard]] Expected<void> init();
  bool next(Task& task) override;
  void load(Task& task, const BlobVisitor& visit) override;
  void finish(std::vector<model::Finding>& findings) override;
  uint64_t bytes_read() const override { return bytes_read_.load(); }

 private:
  [[nodiscard]] Expected<void> init_folder();
  [[nodiscard]] Expected<void> init_zip();
  void read_metadata(const std::string& name, std::string_view json,
                     bool padded);
  std::string strip_prefix(const std::string& name) const;
  uint64_t max_entry_bytes() const {
    return options_.max_file_bytes != 0 ? options_.max_file_bytes
                                        : kMaxEntryBytes;
  }

  std::string path_;
  SourceOptions options_;
  Diagnostics& diagnostics_;
  bool zip_ = false;
  std::string prefix_;  // folder inside the zip that holds channels.json
  std::vector<std::string> files_;
  std::size_t next_file_ = 0;
  std::unique_ptr<ArchiveReader> reader_;
  uint64_t next_id_ = 0;
  std::atomic<uint64_t> bytes_read_{0};
  SlackShared shared_;
};

std::string SlackSource::strip_prefix(const std::string& name) const {
  if (!prefix_.empty() && name.starts_with(prefix_))
    return name.substr(prefix_.size());
  return name;
}

void SlackSource::read_metadata(const std::string& name, std::string_view json,
                                bool padded) {
  auto parsed = text::parse_json(json, padded, name, diagnostics_);
  if (parsed.error()) return;
  element root = parsed.value_unsafe();
  if (root.type() != element_type::ARRAY) return;
  bool is_dm = name == "dms.json";
  bool is_public = name == "channels.json" || name == "groups.json";
  for (element row : text::array_of(root)) {
    std::string id(text::get_string(row, "id"));
    std::string row_name(text::get_string(row, "name"));
    if (is_user_file(name)) {
      std::string display = row_name;
      element profile;
      if (!row["profile"].get(profile)) {
        std::string_view bot_id = text::get_string(profile, "bot_id");
        if (!bot_id.empty()) shared_.user_names[std::string(bot_id)] = display;
      }
      shared_.user_names[id] = display;
      continue;
    }
    Conversation conversation;
    conversation.id = id;
    conversation.name = is_public          ? "#" + row_name
                        : row_name.empty() ? id
                                           : row_name;
    shared_.conversations[is_dm ? id : row_name] = conversation;
  }
}

Expected<void> SlackSource::init_folder() {
  std::error_code ec;
  std::vector<std::string> root_files;
  for (const auto& entry : fs::directory_iterator(path_, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory(ec)) {
      for (const auto& day : fs::directory_iterator(entry.path(), ec)) {
        if (day.is_regular_file(ec) && day.path().extension() == ".json")
          files_.push_back(name + "/" + day.path().filename().string());
      }
    } else if (entry.path().extension() == ".json") {
      files_.push_back(name);
    }
  }
  if (ec) {
    return fail(make_error(ErrorCode::kIo,
                           "cannot list Slack export: " + ec.message(), path_));
  }
  std::sort(files_.begin(), files_.end());
  for (const std::string& name : files_) {
    if (name.find('/') != std::string::npos) continue;
    if (!is_conversation_file(name) && !is_user_file(name)) continue;
    auto json =
        simdjson::padded_string::load((fs::path(path_) / name).string());
    if (json.error()) {
      diagnostics_.skipped(path_ + "/" + name, SkipReason::kUnreadable,
                           simdjson::error_message(json.error()));
      continue;
    }
    read_metadata(name, json.value_unsafe(), true);
  }
  return {};
}

Expected<void> SlackSource::init_zip() {
  auto reader = ArchiveReader::open(path_, options_.max_archive_bytes);
  if (!reader) return fail(reader.error());
  std::string name, data;
  uint64_t size = 0;
  // A quiet first pass: only the lists at the export's root are read; the
  // second pass (next()) reports damage and unsafe names.
  Diagnostics quiet;
  while ((*reader)->next_entry(name, size, quiet)) {
    std::string base = name.substr(name.rfind('/') + 1);
    if (base == "channels.json") prefix_ = name.substr(0, name.size() - 13);
    if (!is_conversation_file(base) && !is_user_file(base)) continue;
    if ((*reader)->read_all(data, max_entry_bytes()) != EntryRead::kOk)
      continue;
    read_metadata(base, data, true);
  }
  auto second = ArchiveReader::open(path_, options_.max_archive_bytes);
  if (!second) return fail(second.error());
  reader_ = std::move(*second);
  return {};
}

Expected<void> SlackSource::init() {
  std::error_code ec;
  zip_ = !fs::is_directory(path_, ec);
  return zip_ ? init_zip() : init_folder();
}

bool SlackSource::next(Task& task) {
  task.id = next_id_++;
  task.data.clear();
  if (!zip_) {
    if (next_file_ >= files_.size()) return false;
    task.path = files_[next_file_++];
    return true;
  }
  std::string name;
  uint64_t size = 0;
  while (reader_->next_entry(name, size, diagnostics_)) {
    std::string entry = strip_prefix(name);
    if (!entry.ends_with(".json")) {
      diagnostics_.skipped(path_ + ":" + name, SkipReason::kExcluded,
                           "not a JSON file of a Slack export");
      continue;
    }
    const EntryRead status = reader_->read_all_reported(
        task.data, max_entry_bytes(), path_ + ":" + name, name, diagnostics_);
    if (status == EntryRead::kTooLarge) continue;
    if (status != EntryRead::kOk) return false;
    task.path = entry;
    task.size_hint = task.data.size();
    return true;
  }
  return false;
}

void SlackSource::load(Task& task, const BlobVisitor& visit) {
  simdjson::padded_string file_data;
  std::string_view json = task.data;
  bool padded = zip_;
  if (!zip_) {
    std::string full = (fs::path(path_) / task.path).string();
    auto loaded = simdjson::padded_string::load(full);
    if (loaded.error()) {
      diagnostics_.skipped(full, SkipReason::kUnreadable,
                           simdjson::error_message(loaded.error()));
      return;
    }
    file_data = std::move(loaded).value_unsafe();
    json = file_data;
    padded = true;
  }
  bytes_read_ += json.size();
  std::string entry = zip_ ? path_ + ":" + task.path : path_ + "/" + task.path;
  auto parsed = text::parse_json(json, padded, entry, diagnostics_);
  if (parsed.error()) return;
  std::size_t slash = task.path.find('/');
  if (slash == std::string::npos) {
    scan_slack_metadata(task.path, parsed.value_unsafe(), shared_, visit);
    return;
  }
  if (parsed.value_unsafe().type() != element_type::ARRAY) {
    diagnostics_.skipped(entry, SkipReason::kMalformed,
                         "a Slack day file must be a JSON array of messages");
    return;
  }
  std::string folder = task.path.substr(0, slash);
  scan_slack_day(task.path, folder, parsed.value_unsafe(), shared_, visit);
}

void SlackSource::finish(std::vector<model::Finding>& findings) {
  finish_slack_findings(shared_, findings);
}

}  // namespace

bool is_slack_export(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return fs::is_regular_file(fs::path(path) / "channels.json", ec) &&
           fs::is_regular_file(fs::path(path) / "users.json", ec);
  }
  if (!is_zip_file(path)) return false;
  auto reader = ArchiveReader::open(path, 0);
  if (!reader) return false;
  Diagnostics quiet;
  std::string name;
  uint64_t size = 0;
  bool channels = false, users = false;
  while ((*reader)->next_entry(name, size, quiet) && !(channels && users)) {
    std::string base = name.substr(name.rfind('/') + 1);
    if (base == "channels.json") channels = true;
    if (base == "users.json") users = true;
  }
  return channels && users;
}

std::string slack_permalink(const std::string& workspace,
                            const std::string& channel_id,
                            const std::string& ts,
                            const std::string& thread_ts) {
  if (workspace.empty() || channel_id.empty()) return {};
  std::string url =
      "https://" + workspace + ".slack.com/archives/" + channel_id;
  if (ts.empty()) return url;
  url += "/p";
  for (char c : ts)
    if (c != '.') url.push_back(c);
  if (!thread_ts.empty() && thread_ts != ts)
    url += "?thread_ts=" + thread_ts + "&cid=" + channel_id;
  return url;
}

Expected<std::unique_ptr<Source>> make_slack_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics) {
  auto source = std::make_unique<SlackSource>(path, options, diagnostics);
  SPRAWL_TRY(source->init());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace sprawl::sources
