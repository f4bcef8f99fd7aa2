// Jira "CSV (all fields)" export (issue 5), streamed: an RFC 4180 reader
// that keeps one row in memory, with cells spanning lines and column names
// that repeat for multi-valued fields (Comment, Attachment, Labels).
#include <map>

#include "sources/jira_fields.h"
#include "sources/text_decode.h"

namespace sprawl::sources {

namespace {

constexpr std::size_t kMaxRowBytes = 64u << 20;

}  // namespace

struct JiraCsvScanner::State {
  std::string entry;
  JiraShared& shared;
  const BlobVisitor& visit;
  Diagnostics& diagnostics;

  std::vector<std::string> header;  // field name per column
  std::vector<std::string> row;
  std::string cell;
  std::size_t row_bytes = 0;
  uint64_t line = 1;
  uint64_t row_line = 1;
  bool in_quotes = false;
  bool quote_pending = false;  // saw '"' inside quotes: end or escaped quote
  bool first_chunk = true;
  bool oversized = false;
  model::Location location;

  State(std::string e, JiraShared& s, const BlobVisitor& v, Diagnostics& d)
      : entry(std::move(e)), shared(s), visit(v), diagnostics(d) {
    location.source = model::SourceKind::kJira;
  }

  void end_cell();
  void end_row();
  void set_header();
  void emit_row();
  int column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
  std::string_view cell_at(int index) const {
    return index >= 0 && static_cast<std::size_t>(index) < row.size()
               ? std::string_view(row[index])
               : std::string_view{};
  }
};

void JiraCsvScanner::State::end_cell() {
  row.push_back(std::move(cell));
  cell.clear();
}

// Repeated names get an index so that each column has its own field name:
// "Comment", "Comment[2]", ...
void JiraCsvScanner::State::set_header() {
  std::map<std::string, int> seen;
  for (std::string& name : row) {
    int n = ++seen[name];
    if (n > 1) name += "[" + std::to_string(n) + "]";
    header.push_back(name);
  }
}

void JiraCsvScanner::State::emit_row() {
  std::string key(cell_at(column("Issue key")));
  std::string_view reporter = cell_at(column("Reporter"));
  std::string_view created = cell_at(column("Created"));
  std::string site;
  {
    std::lock_guard<std::mutex> lock(shared.mutex);
    site = shared.site.empty() ? shared.inferred_site : shared.site;
  }
  location.path = key.empty() ? entry : key;
  for (std::size_t i = 0; i < row.size() && i < header.size(); ++i) {
    const std::string& value = row[i];
    if (value.empty()) continue;
    std::string field = header[i];
    std::string author(reporter), when(created);
    // A comment cell reads "DATE;AUTHOR;BODY".
    if (field.starts_with("Comment")) {
      std::size_t a = value.find(';');
      std::size_t b = a == std::string::npos ? a : value.find(';', a + 1);
      if (b != std::string::npos) {
        when = value.substr(0, a);
        author = value.substr(a + 1, b - a - 1);
      }
    }
    location.url = jira_link(site, key, "");
    location.attributes = {{"issue", key},
                           {"field", std::move(field)},
                           {"author", std::move(author)},
                           {"created", std::move(when)},
                           {"entry", entry},
                           {"row_line", std::to_string(row_line)}};
    model::Blob blob;
    blob.bytes = value;
    blob.origin = &location;
    blob.owned_bytes = value.size();
    blob.group_id = text::hash64(entry, key.empty() ? location.path : key);
    visit(blob);
  }
}

void JiraCsvScanner::State::end_row() {
  end_cell();
  if (oversized) {
    oversized = false;
  } else if (header.empty()) {
    set_header();
  } else if (!(row.size() == 1 && row[0].empty())) {
    emit_row();
  }
  row.clear();
  row_bytes = 0;
  row_line = line;
}

JiraCsvScanner::JiraCsvScanner(std::string entry, JiraShared& shared,
                               const BlobVisitor& visit,
                               Diagnostics& diagnostics)
    : state_(std::make_unique<State>(std::move(entry), shared, visit,
                                     diagnostics)) {}

JiraCsvScanner::~JiraCsvScanner() = default;

void JiraCsvScanner::feed(std::string_view chunk, bool last) {
  State& s = *state_;
  if (s.first_chunk && chunk.starts_with("\xEF\xBB\xBF"))
    chunk.remove_prefix(3);
  s.first_chunk = false;
  for (char c : chunk) {
    if (c == '\n') ++s.line;
    if (s.quote_pending) {
      s.quote_pending = false;
      if (c == '"') {
        s.cell.push_back('"');
        continue;
      }
      s.in_quotes = false;
    }
    if (s.in_quotes) {
      if (c == '"')
        s.quote_pending = true;
      else if (!s.oversized)
        s.cell.push_back(c);
    } else if (c == '"') {
      s.in_quotes = true;
    } else if (c == ',') {
      s.end_cell();
    } else if (c == '\n') {
      if (!s.cell.empty() && s.cell.back() == '\r') s.cell.pop_back();
      s.end_row();
      continue;
    } else if (!s.oversized) {
      s.cell.push_back(c);
    }
    if (++s.row_bytes > kMaxRowBytes && !s.oversized) {
      s.oversized = true;
      s.cell.clear();
      s.row.clear();
      s.diagnostics.skipped(
          s.entry + ":" + std::to_string(s.row_line), SkipReason::kTooLarge,
          "CSV row larger than " + std::to_string(kMaxRowBytes) + " bytes");
    }
  }
  if (last && (!s.cell.empty() || !s.row.empty())) s.end_row();
}

}  // namespace sprawl::sources
