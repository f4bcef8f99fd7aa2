// Baseline: a file of findings accepted as known, so that only new ones are
// reported. Entries are keyed by rule, path and an HMAC of the secret under
// a random key stored in the file — never by line, commit or time, so they
// survive edits, rebases and squashes, and never hide a different secret.
#pragma once

#include <set>
#include <string>
#include <tuple>

#include "sprawl/model/finding.h"
#include "sprawl/util/expected.h"

namespace sprawl::matcher {

class Baseline {
 public:
  /// An empty baseline with a fresh random key.
  static Baseline create();

  /// Reads a baseline written by save(). Errors name the file and place.
  [[nodiscard]] static Expected<Baseline> load(const std::string& path);

  /// True when the finding's (rule, path, secret) is in the baseline.
  bool contains(const model::Finding& finding) const;
  void add(const model::Finding& finding);
  std::size_t size() const { return entries_.size(); }

  /// Writes the baseline as JSON (mode 0600: it holds a key).
  [[nodiscard]] Expected<void> save(const std::string& path) const;

 private:
  using Entry = std::tuple<std::string, std::string, std::string>;
  Entry entry_for(const model::Finding& finding) const;

  std::string key_;
  std::set<Entry> entries_;
};

/// The path a finding is identified by in baselines: normalised, without a
/// leading "./", and relative to the working directory when it lies below
/// it. Scans that give the same files under other names (`cd ..; scan dir`)
/// do not match: run baselined scans from the same place.
std::string baseline_path(const model::Finding& finding);

}  // namespace sprawl::matcher
