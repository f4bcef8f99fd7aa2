// Generic JSONL documents (issue 5): each line {"data": ..., "metadata":
// {...}} or {"data_b64": ...} is one blob; metadata becomes the location's
// attributes, so findings point back into the system that exported them.
#include "sprawl/sources/jsonl_source.h"

#include <atomic>

#include "sources/jsonl_lines.h"
#include "sources/text_decode.h"

namespace sprawl::sources {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr uint64_t kMaxLineBytes = 256ull << 20;

std::string value_text(element value) {
  switch (value.type()) {
    case element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    case element_type::NULL_VALUE:
      return {};
    default:
      return simdjson::minify(value);
  }
}

class JsonlSource final : public Source {
 public:
  JsonlSource(std::string path, const SourceOptions& options,
              Diagnostics& diagnostics)
      : path_(std::move(path)), diagnostics_(diagnostics) {
    max_line_bytes_ =
        options.max_file_bytes ? options.max_file_bytes : kMaxLineBytes;
  }

  [[nodiscard]] Expected<void> init() {
    return batcher_.open(path_, max_line_bytes_);
  }

  bool next(Task& task) override {
    uint64_t first_line = 0;
    if (!batcher_.next_batch(task.data, first_line, diagnostics_)) return false;
    task.id = next_id_++;
    task.path = path_;
    task.size_hint = first_line;
    bytes_read_ = batcher_.bytes_read();
    return true;
  }

  void load(Task& task, const BlobVisitor& visit) override {
    model::Location location;
    location.source = model::SourceKind::kJsonl;
    location.path = path_;
    std::string decoded;
    for_each_line(task.data, task.size_hint,
                  [&](uint64_t number, std::string_view line) {
                    scan_line(number, line, location, decoded, visit);
                  });
  }

  uint64_t bytes_read() const override { return bytes_read_.load(); }

 private:
  void scan_line(uint64_t number, std::string_view line,
                 model::Location& location, std::string& decoded,
                 const BlobVisitor& visit);

  std::string path_;
  Diagnostics& diagnostics_;
  uint64_t max_line_bytes_ = 0;
  LineBatcher batcher_;
  uint64_t next_id_ = 0;
  std::atomic<uint64_t> bytes_read_{0};
};

void JsonlSource::scan_line(uint64_t number, std::string_view line,
                            model::Location& location, std::string& decoded,
                            const BlobVisitor& visit) {
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  std::string entry = path_ + ":" + std::to_string(number);
  auto parsed = text::parse_json(line, false, entry, diagnostics_);
  if (parsed.error()) return;
  element doc = parsed.value_unsafe();
  std::string_view data;
  element value;
  if (doc.type() == element_type::OBJECT && !doc["data"].get(value) &&
      value.type() == element_type::STRING) {
    data = value.get_string().value_unsafe();
  } else if (doc.type() == element_type::OBJECT &&
             !doc["data_b64"].get(value) &&
             value.type() == element_type::STRING) {
    decoded.clear();
    if (!text::decode_base64(value.get_string().value_unsafe(), decoded)) {
      diagnostics_.skipped(entry, SkipReason::kMalformed,
                           "data_b64 is not base64");
      return;
    }
    data = decoded;
  } else {
    diagnostics_.skipped(entry, SkipReason::kMalformed,
                         "line has no string \"data\" or \"data_b64\"");
    return;
  }

  location.url.clear();
  location.attributes.clear();
  location.attributes.emplace_back("jsonl_line", std::to_string(number));
  element metadata;
  if (!doc["metadata"].get(metadata) &&
      metadata.type() == element_type::OBJECT) {
    for (auto field : text::object_of(metadata)) {
      std::string text = value_text(field.value);
      if (location.url.empty() && (field.key == "url" || field.key == "link" ||
                                   field.key == "permalink"))
        location.url = text;
      location.attributes.emplace_back(std::string(field.key), std::move(text));
    }
  }
  if (data.empty()) return;
  model::Blob blob;
  blob.bytes = data;
  blob.origin = &location;
  blob.owned_bytes = data.size();
  blob.group_id = text::hash64(path_, std::to_string(number));
  visit(blob);
}

}  // namespace

Expected<std::unique_ptr<Source>> make_jsonl_source(
    const std::string& path, const SourceOptions& options,
    Diagnostics& diagnostics) {
  auto source = std::make_unique<JsonlSource>(path, options, diagnostics);
  SPRAWL_TRY(source->init());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace sprawl::sources
