// Inventory reports in text formats (table, JSON, CSV, Markdown), filters,
// the diff of two scans, and the command functions the CLI calls.
#include "sprawl/inventory/report.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "inventory/html_report.h"
#include "inventory/json_out.h"
#include "sprawl/store/sqlite_store.h"

namespace sprawl::inventory {
namespace {

using detail::iso8601;
using detail::JsonOut;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string when(int64_t seconds) {
  return seconds > 0 ? iso8601(seconds).substr(0, 10) : "-";
}

std::string status_name(const Identity& id) {
  return std::string(model::verification_status_name(id.status));
}

std::string sources_of(const Identity& id) {
  std::set<std::string> names;
  for (const Exposure& e : id.exposures) names.insert(e.place.source);
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

void write_exposure(JsonOut& j, const Exposure& e) {
  const store::ExposurePlace& p = e.place;
  j.begin_object();
  j.key("source").value(p.source);
  j.key("repo").value(p.repo);
  j.key("commit").value(p.commit);
  j.key("path").value(p.path);
  j.key("line").value(static_cast<int64_t>(p.line));
  j.key("blob_id").value(p.blob_id);
  j.key("channel").value(p.channel);
  j.key("issue").value(p.issue);
  j.key("link").value(p.link);
  j.key("exposed_by").value(p.exposed_by);
  j.key("exposed_at");
  if (p.exposed_at > 0) j.value(iso8601(p.exposed_at)); else j.null();
  j.key("still_at_head");
  if (p.still_at_head) j.value(*p.still_at_head); else j.null();
  j.key("visibility").value(store::visibility_name(p.visibility));
  j.key("rule_id").value(e.rule_id);
  j.key("first_scan").value(e.first_scan);
  j.key("last_scan").value(e.last_scan);
  j.end_object();
}

void write_factors(JsonOut& j, const RiskFactors& f) {
  j.begin_object();
  j.key("live").value(f.live);
  j.key("privilege").value(f.privilege);
  j.key("standing").value(f.standing);
  j.key("breadth").value(f.breadth);
  j.key("age").value(f.age);
  j.key("place").value(f.place);
  j.end_object();
}

void write_identity(JsonOut& j, const Identity& id) {
  j.begin_object();
  j.key("id").value(id.id);
  j.key("key").value(id.key);
  j.key("provider").value(id.provider);
  j.key("kind").value(model::kind_name(id.kind));
  j.key("rules").begin_array();
  for (const std::string& r : id.rule_ids) j.value(r);
  j.end_array();
  j.key("secret").value(id.secret);
  j.key("owner").value(id.owner);
  j.key("owner_fields").begin_object();
  for (const auto& [k, v] : id.owner_fields) j.key(k).value(v);
  j.end_object();
  j.key("tied_to").value(tied_to_name(id.classification.tied_to));
  j.key("tied_to_reason").value(id.classification.tied_to_reason);
  j.key("lifetime").value(lifetime_name(id.classification.lifetime));
  j.key("lifetime_reason").value(id.classification.lifetime_reason);
  j.key("status").value(status_name(id));
  j.key("status_reason").value(id.status_reason);
  j.key("validation").value(model::validation_status_name(id.validation));
  j.key("validation_detail").value(id.validation_detail);
  j.key("scopes").begin_array();
  for (const std::string& s : id.scopes) j.value(s);
  j.end_array();
  j.key("expiry").value(id.expiry);
  j.key("first_seen");
  if (id.first_seen) j.value(iso8601(id.first_seen)); else j.null();
  j.key("last_seen");
  if (id.last_seen) j.value(iso8601(id.last_seen)); else j.null();
  j.key("first_scan").value(id.first_scan);
  j.key("last_scan").value(id.last_scan);
  j.key("at_head");
  if (id.at_head) j.value(*id.at_head); else j.null();
  j.key("source_kinds").value(static_cast<int64_t>(id.source_kinds));
  j.key("exposure_count").value(static_cast<int64_t>(id.exposures.size()));
  j.key("risk").value(static_cast<int64_t>(id.risk));
  j.key("risk_factors");
  write_factors(j, id.factors);
  j.key("remediation").value(id.remediation);
  j.key("exposures").begin_array();
  for (const Exposure& e : id.exposures) write_exposure(j, e);
  j.end_array();
  j.end_object();
}

void write_scan(JsonOut& j, const store::ScanRecord& s) {
  j.begin_object();
  j.key("id").value(s.id);
  j.key("started").value(iso8601(s.started));
  j.key("finished");
  if (s.finished) j.value(iso8601(s.finished)); else j.null();
  j.key("sources").begin_array();
  for (const std::string& src : s.sources) j.value(src);
  j.end_array();
  j.key("ruleset_hash").value(s.ruleset_hash);
  j.key("inputs_scanned").value(static_cast<int64_t>(s.inputs_scanned));
  j.key("bytes_scanned").value(static_cast<int64_t>(s.bytes_scanned));
  j.key("findings").value(static_cast<int64_t>(s.findings));
  j.key("identities").value(static_cast<int64_t>(s.identities));
  j.key("skipped").raw(s.skipped_json.empty() ? "[]" : s.skipped_json);
  j.end_object();
}

struct Column {
  std::string_view title;
  std::string (*cell)(const Identity&);
};

// clang-format off
const std::vector<Column> kColumns = {
  {"ID", [](const Identity& i) { return i.id; }},
  {"RISK", [](const Identity& i) { return std::to_string(i.risk); }},
  {"STATUS", [](const Identity& i) { return status_name(i); }},
  {"PROVIDER", [](const Identity& i) { return i.provider; }},
  {"KIND", [](const Identity& i) {
     return std::string(model::kind_name(i.kind)); }},
  {"TIED TO", [](const Identity& i) {
     return std::string(tied_to_name(i.classification.tied_to)); }},
  {"LIFETIME", [](const Identity& i) {
     return std::string(lifetime_name(i.classification.lifetime)); }},
  {"EXPOSURES", [](const Identity& i) {
     return std::to_string(i.exposures.size()); }},
  {"SOURCES", [](const Identity& i) { return sources_of(i); }},
  {"FIRST SEEN", [](const Identity& i) { return when(i.first_seen); }},
  {"LAST SEEN", [](const Identity& i) { return when(i.last_seen); }},
  {"SECRET", [](const Identity& i) { return i.secret; }},
  {"OWNER", [](const Identity& i) { return i.owner; }},
};
// clang-format on

// Display width in code points, so that "…" counts as one column.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string summary_line(const Inventory& inv) {
  std::size_t live = 0, exposures = 0;
  for (const Identity& id : inv.identities) {
    live += id.status == model::VerificationStatus::kLive;
    exposures += id.exposures.size();
  }
  return std::to_string(inv.identities.size()) + " identities, " +
         std::to_string(live) + " live, " + std::to_string(exposures) +
         " exposures";
}

void write_table(const Inventory& inv, std::ostream& out) {
  std::vector<std::size_t> widths;
  for (const Column& c : kColumns) widths.push_back(width(c.title));
  std::vector<std::vector<std::string>> rows;
  for (const Identity& id : inv.identities) {
    rows.emplace_back();
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      rows.back().push_back(kColumns[i].cell(id));
      widths[i] = std::max(widths[i], width(rows.back().back()));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size())
        text += std::string(widths[i] - width(cells[i]) + 2, ' ');
    }
    out << text << "\n";
  };
  std::vector<std::string> header;
  for (const Column& c : kColumns) header.emplace_back(c.title);
  line(header);
  for (const auto& row : rows) line(row);
  out << summary_line(inv) << "\n";
}

std::string md_cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out.push_back(c);
  }
  return out;
}

void write_markdown(const Inventory& inv, std::ostream& out) {
  out << "# Inventory\n\n" << summary_line(inv) << "\n\n|";
  for (const Column& c : kColumns) out << " " << c.title << " |";
  out << "\n|";
  for (std::size_t i = 0; i < kColumns.size(); ++i) out << " --- |";
  out << "\n";
  for (const Identity& id : inv.identities) {
    out << "|";
    for (const Column& c : kColumns) out << " " << md_cell(c.cell(id)) << " |";
    out << "\n";
  }
}

// RFC 4180 quoting; cells starting with = + - @ are prefixed with ' so a
// spreadsheet does not run them as formulas.
std::string csv_cell(std::string s) {
  if (!s.empty() && std::string_view("=+-@").find(s[0]) != std::string::npos)
    s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

void write_csv(const Inventory& inv, std::ostream& out) {
  for (const Column& c : kColumns)
    out << csv_cell(lower(c.title)) << ",";
  out << "remediation\r\n";
  for (const Identity& id : inv.identities) {
    for (const Column& c : kColumns) out << csv_cell(c.cell(id)) << ",";
    out << csv_cell(id.remediation) << "\r\n";
  }
}

bool is_complete(const store::ScanRecord& s) { return s.finished != 0; }

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table" || name == "text") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "markdown" || name == "md") return Format::kMarkdown;
  if (name == "html") return Format::kHtml;
  return std::nullopt;
}

Inventory filtered(const Inventory& inventory, const Filter& filter) {
  Inventory out;
  out.generated_at = inventory.generated_at;
  out.scans = inventory.scans;
  std::string provider = lower(filter.provider);
  for (const Identity& id : inventory.identities) {
    if (!filter.status.empty() && status_name(id) != filter.status) continue;
    if (!provider.empty() && lower(id.provider) != provider) continue;
    if (!filter.kind.empty() && model::kind_name(id.kind) != filter.kind)
      continue;
    out.identities.push_back(id);
  }
  return out;
}

std::string inventory_json(const Inventory& inv) {
  JsonOut j;
  std::size_t exposures = 0;
  for (const Identity& id : inv.identities) exposures += id.exposures.size();
  j.begin_object();
  j.key("generated_at").value(iso8601(inv.generated_at));
  j.key("identity_count").value(static_cast<int64_t>(inv.identities.size()));
  j.key("exposure_count").value(static_cast<int64_t>(exposures));
  j.key("scans").begin_array();
  for (const store::ScanRecord& s : inv.scans) write_scan(j, s);
  j.end_array();
  j.key("identities").begin_array();
  for (const Identity& id : inv.identities) write_identity(j, id);
  j.end_array();
  j.end_object();
  return j.str();
}

void write_inventory(const Inventory& inventory, Format format,
                     std::ostream& out, const WriteOptions& options) {
  switch (format) {
    case Format::kTable: return write_table(inventory, out);
    case Format::kJson: out << inventory_json(inventory) << "\n"; return;
    case Format::kCsv: return write_csv(inventory, out);
    case Format::kMarkdown: return write_markdown(inventory, out);
    case Format::kHtml:
      out << detail::html_report(inventory_json(inventory), options.title);
      return;
  }
}

InventoryDiff diff_inventories(const Inventory& a, const Inventory& b) {
  InventoryDiff d;
  std::set<std::string> in_a, in_b;
  for (const Identity& id : a.identities) in_a.insert(id.key);
  for (const Identity& id : b.identities) in_b.insert(id.key);
  for (const Identity& id : b.identities)
    (in_a.count(id.key) ? d.still_exposed : d.new_identities).push_back(id);
  for (const Identity& id : a.identities)
    if (!in_b.count(id.key)) d.no_longer_seen.push_back(id);
  return d;
}

void write_diff(const InventoryDiff& diff, Format format, std::ostream& out) {
  const std::pair<std::string_view, const std::vector<Identity>*> parts[] = {
      {"new", &diff.new_identities},
      {"still_exposed", &diff.still_exposed},
      {"no_longer_seen", &diff.no_longer_seen}};
  if (format == Format::kJson) {
    JsonOut j;
    j.begin_object();
    j.key("scan_a").value(diff.scan_a);
    j.key("scan_b").value(diff.scan_b);
    for (const auto& [name, list] : parts) {
      j.key(name).begin_array();
      for (const Identity& id : *list) write_identity(j, id);
      j.end_array();
    }
    j.end_object();
    out << j.str() << "\n";
    return;
  }
  if (format == Format::kCsv) {
    out << "change,id,risk,status,provider,kind,exposures,owner\r\n";
    for (const auto& [name, list] : parts)
      for (const Identity& id : *list)
        out << name << "," << id.id << "," << id.risk << ","
            << status_name(id) << "," << csv_cell(id.provider) << ","
            << model::kind_name(id.kind) << "," << id.exposures.size()
            << "," << csv_cell(id.owner) << "\r\n";
    return;
  }
  if (format == Format::kHtml) {
    std::ostringstream text;
    write_diff(diff, Format::kMarkdown, text);
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        << "<title>sprawl inventory diff</title></head><body><pre>";
    for (char c : text.str()) {
      if (c == '<') out << "&lt;";
      else if (c == '&') out << "&amp;";
      else if (c == '>') out << "&gt;";
      else out << c;
    }
    out << "</pre></body></html>\n";
    return;
  }
  bool md = format == Format::kMarkdown;
  out << (md ? "# " : "") << "Inventory diff: scan " << diff.scan_a
      << " -> scan " << diff.scan_b << "\n";
  for (const auto& [name, list] : parts) {
    out << "\n" << (md ? "## " : "") << name << " (" << list->size()
        << ")\n";
    for (const Identity& id : *list)
      out << (md ? "- " : "  ") << id.id << "  risk " << id.risk << "  "
          << status_name(id) << "  " << id.provider << "  "
          << model::kind_name(id.kind) << "  " << id.exposures.size()
          << " exposures" << (id.owner.empty() ? "" : "  " + id.owner)
          << "\n";
  }
}

Expected<int64_t> resolve_scan(const std::vector<store::ScanRecord>& scans,
                               std::string_view ref) {
  std::vector<int64_t> complete;
  for (const store::ScanRecord& s : scans)
    if (is_complete(s)) complete.push_back(s.id);
  if (ref == "latest" && !complete.empty()) return complete.back();
  if (ref == "previous" && complete.size() >= 2)
    return complete[complete.size() - 2];
  if (!ref.empty() && std::all_of(ref.begin(), ref.end(), ::isdigit)) {
    int64_t id = std::stoll(std::string(ref));
    for (const store::ScanRecord& s : scans)
      if (s.id == id) return id;
  }
  return fail(make_error(ErrorCode::kInvalidArgument,
                         "no such scan in the store", std::string(ref)));
}

Expected<Inventory> load_inventory(const store::Store& store,
                                   const InventoryOptions& options,
                                   int64_t scan_id) {
  auto sightings = store.sightings(scan_id);
  if (!sightings) return fail(sightings.error());
  auto scans = store.scans();
  if (!scans) return fail(scans.error());
  Inventory inv = build_inventory(*sightings, options);
  inv.scans = std::move(*scans);
  return inv;
}

namespace {

// Opens an existing store; `sprawl inventory` must not create one.
Expected<std::unique_ptr<store::SqliteStore>> open_existing(
    const InventoryCommand& command) {
  std::string path = command.store_path.empty() ? store::default_store_path()
                                                : command.store_path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "no store here (run sprawl scan --store first)",
                           path));
  return store::SqliteStore::open(path);
}

InventoryOptions options_of(const InventoryCommand& command) {
  InventoryOptions o;
  o.now_s = command.now_s;
  o.rules = command.rules;
  o.show_secrets = command.show_secrets;
  return o;
}

}  // namespace

int run_inventory(const InventoryCommand& command, std::ostream& out,
                  Diagnostics& diagnostics) {
  auto store = open_existing(command);
  if (!store) {
    diagnostics.error(store.error());
    return 2;
  }
  auto inv = load_inventory(**store, options_of(command));
  if (!inv) {
    diagnostics.error(inv.error());
    return 2;
  }
  write_inventory(filtered(*inv, command.filter), command.format, out,
                  command.write);
  return 0;
}

int run_inventory_diff(const InventoryCommand& command, std::ostream& out,
                       Diagnostics& diagnostics) {
  auto store = open_existing(command);
  if (!store) {
    diagnostics.error(store.error());
    return 2;
  }
  auto scans = (*store)->scans();
  if (!scans) {
    diagnostics.error(scans.error());
    return 2;
  }
  auto a = resolve_scan(*scans, command.scan_a);
  auto b = resolve_scan(*scans, command.scan_b);
  if (!a || !b) {
    diagnostics.error(!a ? a.error() : b.error());
    return 2;
  }
  auto inv_a = load_inventory(**store, options_of(command), *a);
  auto inv_b = load_inventory(**store, options_of(command), *b);
  if (!inv_a || !inv_b) {
    diagnostics.error(!inv_a ? inv_a.error() : inv_b.error());
    return 2;
  }
  InventoryDiff diff = diff_inventories(filtered(*inv_a, command.filter),
                                        filtered(*inv_b, command.filter));
  diff.scan_a = *a;
  diff.scan_b = *b;
  write_diff(diff, command.format, out);
  return 0;
}

}  // namespace sprawl::inventory
