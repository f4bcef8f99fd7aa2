// Matcher: the rule set compiled into one Hyperscan database plus one RE2
// program per rule; Scanner: the per-thread object that scans blobs with it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sprawl/model/blob.h"
#include "sprawl/model/finding.h"
#include "sprawl/model/rule.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::matcher {

struct MatcherOptions {
  /// Where compiled databases are cached; empty disables the cache.
  std::string cache_dir;
  /// Search every rule with RE2 alone, no Hyperscan: the reference engine
  /// for the differential tests. Much slower.
  bool force_re2_only = false;
};

/// How a rule is searched: exactly by Hyperscan, by a Hyperscan prefilter
/// confirmed by RE2, or by RE2 alone (Hyperscan rejected even the
/// prefilter). Always confirmed by RE2 in every mode.
enum class RuleMode : uint8_t { kExact = 0, kPrefilter = 1, kRe2Only = 2 };

struct MatcherStats {
  double build_ms = 0.0;
  bool from_cache = false;
  std::size_t database_bytes = 0;
  std::size_t prefilter_rules = 0;
  std::size_t re2_only_rules = 0;
  std::size_t path_scoped_rules = 0;  ///< searched only where paths match
};

/// Immutable after build; shared by all scanning threads.
class Matcher {
 public:
  /// Compiles rules (or loads the cached database keyed by the rules' digest
  /// and the Hyperscan version). A rule Hyperscan cannot compile falls back
  /// to prefilter or RE2-only mode with a warning naming it.
  [[nodiscard]] static Expected<std::shared_ptr<const Matcher>> build(
      std::vector<model::Rule> rules, const MatcherOptions& options,
      Diagnostics& diagnostics);

  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  const std::vector<model::Rule>& rules() const { return rules_; }
  /// Hex SHA-256 over every rule's matching-relevant fields.
  const std::string& digest() const { return digest_; }
  const MatcherStats& stats() const { return stats_; }
  RuleMode mode(std::size_t rule_index) const { return modes_[rule_index]; }

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  Matcher() = default;
  std::vector<model::Rule> rules_;
  std::vector<RuleMode> modes_;
  std::string digest_;
  MatcherStats stats_;
  std::unique_ptr<Impl> impl_;
};

/// Counts of candidates dropped by the filters, for the summary.
struct ScanCounters {
  uint64_t bytes = 0;
  uint64_t blobs = 0;
  uint64_t suppressed_inline = 0;
  uint64_t filtered = 0;
};

/// Scans blobs with a Matcher. Holds Hyperscan scratch and reusable
/// buffers: one Scanner per thread, never shared.
class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const Matcher> matcher);
  ~Scanner();
  Scanner(Scanner&&) noexcept;
  Scanner(const Scanner&) = delete;

  /// Appends the findings in blob to out (ordered by offset), applying
  /// entropy, placeholder, example-value, allowlist, keyword and inline
  /// `sprawl:allow` filters, the blob's line filter and chunk ownership.
  void scan(const model::Blob& blob, std::vector<model::Finding>& out);

  const ScanCounters& counters() const { return counters_; }

  struct State;

 private:
  std::shared_ptr<const Matcher> matcher_;
  std::unique_ptr<State> state_;
  ScanCounters counters_;
};

}  // namespace sprawl::matcher
