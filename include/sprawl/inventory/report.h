// Inventory reports and commands: `sprawl inventory` (table, JSON, CSV,
// Markdown, one self-contained HTML file) and `sprawl inventory diff`. The
// CLI parses options into an InventoryCommand and calls run_*; nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/inventory/inventory.h"
#include "sprawl/store/store.h"
#include "sprawl/util/diagnostics.h"

namespace sprawl::inventory {

enum class Format { kTable, kJson, kCsv, kMarkdown, kHtml };

/// "table", "json", "csv", "markdown" (or "md"), "html".
std::optional<Format> parse_format(std::string_view name);

/// Which identities to show; empty fields match everything.
struct Filter {
  std::string status;    ///< live, revoked, unknown, not_checked
  std::string provider;  ///< exact, case-insensitive
  std::string kind;      ///< a kind name: api-key, bot-token, ...
};

/// Identities of inventory that pass filter, in the same order.
Inventory filtered(const Inventory& inventory, const Filter& filter);

struct WriteOptions {
  /// Title of the HTML report.
  std::string title = "sprawl inventory";
};

/// Writes the inventory in format. Secrets are as the inventory holds them
/// (redacted unless built with show_secrets). Never throws; stream errors
/// are left in out's state.
void write_inventory(const Inventory& inventory, Format format,
                     std::ostream& out, const WriteOptions& options = {});

/// The inventory as one JSON document (the schema the HTML report embeds).
std::string inventory_json(const Inventory& inventory);

/// Identities between two scans: seen in B and not A (new), in both
/// (still exposed), in A and not B (no longer seen).
struct InventoryDiff {
  int64_t scan_a = 0;
  int64_t scan_b = 0;
  std::vector<Identity> new_identities;
  std::vector<Identity> still_exposed;
  std::vector<Identity> no_longer_seen;
};

/// Compares the identities of two inventories (built from the sightings of
/// scan A and of scan B) by key.
InventoryDiff diff_inventories(const Inventory& a, const Inventory& b);

/// Writes a diff in format; html gives a minimal self-contained page with
/// the Markdown text in a <pre> block.
void write_diff(const InventoryDiff& diff, Format format, std::ostream& out);

/// What `sprawl inventory [diff A B]` was asked to do.
struct InventoryCommand {
  std::string store_path;  ///< empty: store::default_store_path()
  Format format = Format::kTable;
  Filter filter;
  bool show_secrets = false;
  /// Scans to compare for diff: an id, "latest" or "previous".
  std::string scan_a;
  std::string scan_b;
  int64_t now_s = 0;  ///< 0 = the clock
  const std::vector<model::Rule>* rules = nullptr;
  WriteOptions write;
};

/// Resolves a scan reference ("12", "latest", "previous") against the
/// store's scans. Fails with kInvalidArgument naming the reference.
[[nodiscard]] Expected<int64_t> resolve_scan(
    const std::vector<store::ScanRecord>& scans, std::string_view ref);

/// Builds the inventory of every scan in store.
[[nodiscard]] Expected<Inventory> load_inventory(
    const store::Store& store, const InventoryOptions& options,
    int64_t scan_id = 0);

/// `sprawl inventory`: opens the store (it must exist), builds, filters and
/// writes the inventory to out. Returns the exit code: 0 done, 2 error
/// (reported to diagnostics).
int run_inventory(const InventoryCommand& command, std::ostream& out,
                  Diagnostics& diagnostics);

/// `sprawl inventory diff A B`: as run_inventory, for the diff of two
/// scans. Returns 0, or 2 on an unknown scan or a store error.
int run_inventory_diff(const InventoryCommand& command, std::ostream& out,
                       Diagnostics& diagnostics);

}  // namespace sprawl::inventory
