// Jira export source (issue 5): picks the inputs of an export (JSON, JSONL,
// entities.xml, backup zip, CSV), yields one task per file or JSONL batch,
// and hands each to the JSON walk or a streaming scanner.
#include "sprawl/sources/jira_source.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sources/archive_reader.h"
#include "sources/jira_fields.h"
#include "sources/jsonl_lines.h"
#include "sources/text_decode.h"

namespace sprawl::sources {
namespace {

namespace fs = std::filesystem;

enum class Input { kJson, kJsonl, kXml, kCsv, kZip };

constexpr std::size_t kChunkBytes = 1 << 20;
constexpr uint64_t kMaxJsonBytes = 1ull << 30;

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

Input input_kind(const std::string& path) {
  std::string ext = lower_extension(path);
  if (ext == ".jsonl" || ext == ".ndjson") return Input::kJsonl;
  if (ext == ".xml") return Input::kXml;
  if (ext == ".csv") return Input::kCsv;
  if (ext == ".zip" || is_zip_file(path)) return Input::kZip;
  return Input::kJson;
}

std::string head_of(const std::string& path, std::size_t bytes = 64 << 10) {
  std::ifstream in(path, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(bytes));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool head_is_jira_json(const std::string& head) {
  return head.find("\"key\"") != std::string::npos &&
         head.find("\"fields\"") != std::string::npos;
}

bool zip_has_entities(const std::string& path) {
  auto reader = ArchiveReader::open(path, 0);
  if (!reader) return false;
  Diagnostics quiet;
  std::string name;
  uint64_t size = 0;
  while ((*reader)->next_entry(name, size, quiet))
    if (name == "entities.xml" || name.ends_with("/entities.xml")) return true;
  return false;
}

bool file_is_jira(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  switch (input_kind(path)) {
    case Input::kZip:
      return zip_has_entities(path);
    case Input::kXml:
      return name == "entities.xml" ||
             head_of(path).find("<entity-engine-xml") != std::string::npos;
    case Input::kCsv: {
      std::string head = head_of(path, 16 << 10);
      return head.substr(0, head.find('\n')).find("Issue key") !=
             std::string::npos;
    }
    case Input::kJson:
    case Input::kJsonl:
      return head_is_jira_json(head_of(path));
  }
  return false;
}

std::vector<std::string> list_inputs(const std::string& dir) {
  std::vector<std::string> inputs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    std::string ext = lower_extension(entry.path().string());
    if (ext == ".json" || ext == ".jsonl" || ext == ".ndjson" ||
        ext == ".xml" || ext == ".csv" || ext == ".zip")
      inputs.push_back(entry.path().string());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

class JiraSource final : public Source {
 public:
  JiraSource(std::string path, const SourceOptions& options,
             Diagnostics& diagnostics)
      : path_(std::move(path)), options_(options), diagnostics_(diagnostics) {
    shared_.site = options.jira_site;
    while (!shared_.site.empty() && shared_.site.back() == '/')
      shared_.site.pop_back();
  }

  [[nodiscard]] Expected<void> init();
  bool next(Task& task) override;
  void load(Task& task, const BlobVisitor& visit) override;
  void finish(std::vector<model::Finding>& findings) override {
    finish_jira_findings(shared_, findings);
  }
  uint64_t bytes_read() const override { return bytes_read_.load(); }

 private:
  void load_json(const Task& task, const BlobVisitor& visit);
  void load_jsonl(const Task& task, const BlobVisitor& visit);
  void load_stream(const Task& task, Input kind, const BlobVisitor& visit);
  void load_zip(const Task& task, const BlobVisitor& visit);
  void scan_document(const std::string& entry, std::string_view json,
                     bool padded, const BlobVisitor& visit);

  std::string path_;
  SourceOptions options_;
  Diagnostics& diagnostics_;
  std::vector<std::string> inputs_;
  std::size_t next_input_ = 0;
  std::unique_ptr<LineBatcher> batcher_;
  std::string batch_path_;
  uint64_t next_id_ = 0;
  std::atomic<uint64_t> bytes_read_{0};
  JiraShared shared_;
};

Expected<void> JiraSource::init() {
  std::error_code ec;
  if (fs::is_directory(path_, ec)) {
    inputs_ = list_inputs(path_);
    if (inputs_.empty()) {
      return fail(make_error(ErrorCode::kInvalidArgument,
                             "no JSON, JSONL, XML, CSV or zip file in folder",
                             path_));
    }
  } else {
    inputs_.push_back(path_);
  }
  return {};
}

bool JiraSource::next(Task& task) {
  task.id = next_id_++;
  for (;;) {
    if (batcher_) {
      uint64_t first_line = 0;
      if (batcher_->next_batch(task.data, first_line, diagnostics_)) {
        task.path = batch_path_;
        task.size_hint = first_line;
        return true;
      }
      bytes_read_ += batcher_->bytes_read();
      batcher_.reset();
    }
    if (next_input_ >= inputs_.size()) return false;
    const std::string& input = inputs_[next_input_++];
    if (input_kind(input) == Input::kJsonl) {
      batcher_ = std::make_unique<LineBatcher>();
      uint64_t max_line =
          options_.max_file_bytes ? options_.max_file_bytes : kMaxJsonBytes;
      if (auto opened = batcher_->open(input, max_line); !opened) {
        diagnostics_.error(opened.error());
        batcher_.reset();
        continue;
      }
      batch_path_ = input;
      continue;
    }
    task.path = input;
    task.data.clear();
    task.size_hint = 0;
    return true;
  }
}

void JiraSource::scan_document(const std::string& entry, std::string_view json,
                               bool padded, const BlobVisitor& visit) {
  auto parsed = text::parse_json(json, padded, entry, diagnostics_);
  if (parsed.error()) return;
  if (!scan_jira_json(entry, parsed.value_unsafe(), shared_, visit)) {
    diagnostics_.skipped(entry, SkipReason::kOther,
                         "JSON holds no Jira issue (no issues[], key+fields)");
  }
}

void JiraSource::load_json(const Task& task, const BlobVisitor& visit) {
  auto loaded = simdjson::padded_string::load(task.path);
  if (loaded.error()) {
    diagnostics_.skipped(task.path, SkipReason::kUnreadable,
                         simdjson::error_message(loaded.error()));
    return;
  }
  bytes_read_ += loaded.value_unsafe().size();
  scan_document(task.path, loaded.value_unsafe(), true, visit);
}

void JiraSource::load_jsonl(const Task& task, const BlobVisitor& visit) {
  for_each_line(task.data, task.size_hint,
                [&](uint64_t number, std::string_view line) {
                  if (line.find_first_not_of(" \t") == std::string_view::npos)
                    return;
                  scan_document(task.path + ":" + std::to_string(number), line,
                                false, visit);
                });
}

void JiraSource::load_stream(const Task& task, Input kind,
                             const BlobVisitor& visit) {
  std::FILE* file = std::fopen(task.path.c_str(), "rb");
  if (!file) {
    diagnostics_.skipped(task.path, SkipReason::kUnreadable, "cannot open");
    return;
  }
  std::vector<char> buffer(kChunkBytes);
  std::string entry = fs::path(task.path).filename().string();
  JiraXmlScanner xml(entry, shared_, visit, diagnostics_);
  JiraCsvScanner csv(entry, shared_, visit, diagnostics_);
  for (;;) {
    std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file);
    bool last = n < buffer.size();
    bytes_read_ += n;
    std::string_view chunk(buffer.data(), n);
    if (kind == Input::kXml) {
      if (!xml.feed(chunk, last)) break;
    } else {
      csv.feed(chunk, last);
    }
    if (last) break;
  }
  std::fclose(file);
}

void JiraSource::load_zip(const Task& task, const BlobVisitor& visit) {
  auto reader = ArchiveReader::open(task.path, options_.max_archive_bytes);
  if (!reader) {
    diagnostics_.error(reader.error());
    return;
  }
  ArchiveReader& zip = **reader;
  std::string name, data;
  uint64_t size = 0;
  while (zip.next_entry(name, size, diagnostics_)) {
    std::string entry = task.path + ":" + name;
    EntryRead status = EntryRead::kOk;
    if (name.ends_with(".xml")) {
      JiraXmlScanner xml(name, shared_, visit, diagnostics_);
      bool ok = true;
      status = zip.read_chunks([&](std::string_view chunk) {
        ok = xml.feed(chunk, false);
        return ok;
      });
      if (ok && status == EntryRead::kOk) xml.feed({}, true);
    } else if (name.ends_with(".json")) {
      uint64_t max =
          options_.max_file_bytes ? options_.max_file_bytes : kMaxJsonBytes;
      status = zip.read_all(data, max);
      if (status == EntryRead::kOk) scan_document(entry, data, true, visit);
    } else {
      diagnostics_.skipped(entry, SkipReason::kExcluded,
                           "not part of a Jira export (XML or JSON)");
      continue;
    }
    if (status == EntryRead::kTooLarge) {
      diagnostics_.skipped(entry, SkipReason::kTooLarge, "entry too large");
    } else if (status != EntryRead::kOk) {
      diagnostics_.error(make_error(
          status == EntryRead::kLimit ? ErrorCode::kLimit : ErrorCode::kArchive,
          zip.error_message(), task.path, name));
      break;
    }
  }
  bytes_read_ += zip.total_bytes();
}

void JiraSource::load(Task& task, const BlobVisitor& visit) {
  if (!task.data.empty()) {
    load_jsonl(task, visit);
    return;
  }
  Input kind = input_kind(task.path);
  switch (kind) {
    case Input::kJson:
      load_json(task, visit);
      return;
    case Input::kJsonl:
      return;  // batched in next()
    case Input::kXml:
    case Input::kCsv:
      load_stream(task, kind, visit);
      return;
    case Input::kZip:
      load_zip(task, visit);
      return;
  }
}

}  // namespace

void finish_jira_findings(JiraShared& shared,
                          std::vector<model::Finding>& findings) {
  std::lock_guard<std::mutex> lock(shared.mutex);
  std::string site = shared.site.empty() ? shared.inferred_site : shared.site;
  for (model::Finding& finding : findings) {
    model::Location& location = finding.location;
    if (location.source != model::SourceKind::kJira) continue;
    const std::string& issue_id = location.attribute("issue_id");
    if (location.attribute("issue").empty() && !issue_id.empty()) {
      auto it = shared.issue_keys.find(issue_id);
      if (it != shared.issue_keys.end()) {
        location.set_attribute("issue", it->second);
        location.path = it->second;
      }
    }
    if (location.url.empty())
      location.url = jira_link(site, location.attribute("issue"),
                               location.attribute("field"));
  }
}

bool is_jira_export(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (fs::is_regular_file(fs::path(path) / "entities.xml", ec)) return true;
    for (const std::string& input : list_inputs(path)) {
      Input kind = input_kind(input);
      if (kind == Input::kJson || kind == Input::kJsonl)
        return file_is_jira(input);
    }
    return false;
  }
  return fs::is_regular_file(path, ec) && file_is_jira(path);
}

Expected<std::unique_ptr<Source>> make_jira_source(const std::string& path,
                                                   const SourceOptions& options,
                                                   Diagnostics& diagnostics) {
  auto source = std::make_unique<JiraSource>(path, options, diagnostics);
  SPRAWL_TRY(source->init());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace sprawl::sources
