// Helpers for the export-source tests (Slack, Jira, JSONL): drain a source
// into decoded blobs, compare them with corpus/expected_exports.json, and
// build zips and temp folders with libarchive.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/sources/source.h"

namespace sprawl::test_exports {

namespace fs = std::filesystem;

struct Collected {
  std::string text;
  model::Location location;
  uint64_t group_id = 0;
};

/// Pulls every task and loads it serially; copies each blob.
inline std::vector<Collected> drain(sources::Source& source) {
  std::vector<Collected> out;
  sources::Task task;
  while (source.next(task)) {
    source.load(task, [&](const model::Blob& blob) {
      out.push_back({std::string(blob.bytes), *blob.origin, blob.group_id});
    });
  }
  return out;
}

inline fs::path corpus_path(const std::string& relative) {
  return fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "corpus" /
         relative;
}

/// One planted secret and where a source must report it.
struct Check {
  std::string source;
  std::string path;
  std::string url;
  std::string secret;
  std::vector<std::pair<std::string, std::string>> attrs;
};

inline std::vector<Check> load_checks(const std::string& source) {
  simdjson::dom::parser parser;
  auto doc = parser.load(corpus_path("expected_exports.json").string());
  REQUIRE(!doc.error());
  std::vector<Check> checks;
  simdjson::dom::array rows;
  REQUIRE(!doc.get_array().get(rows));
  for (simdjson::dom::element row : rows) {
    Check check;
    check.source = std::string(row["source"].get_string().value_unsafe());
    if (check.source != source) continue;
    check.path = std::string(row["path"].get_string().value_unsafe());
    check.url = std::string(row["url"].get_string().value_unsafe());
    check.secret = std::string(row["secret"].get_string().value_unsafe());
    simdjson::dom::object attrs;
    REQUIRE(!row["attrs"].get_object().get(attrs));
    for (auto field : attrs) {
      check.attrs.emplace_back(
          std::string(field.key),
          std::string(field.value.get_string().value_unsafe()));
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

inline bool matches(const Collected& blob, const Check& check) {
  const model::Location& l = blob.location;
  if (blob.text.find(check.secret) == std::string::npos) return false;
  if (!(l.path == check.path || l.path.ends_with("/" + check.path)))
    return false;
  if (l.url != check.url) return false;
  for (const auto& [key, value] : check.attrs)
    if (l.attribute(key) != value) return false;
  return true;
}

inline std::string describe(const Collected& blob) {
  std::string s = "path=" + blob.location.path + " url=" + blob.location.url;
  for (const auto& [k, v] : blob.location.attributes) s += " " + k + "=" + v;
  return s;
}

/// Checks that every planted secret of `checks` whose path passes `keep`
/// is in some blob with exactly the expected location.
template <typename Keep>
void require_all(const std::vector<Collected>& blobs,
                 const std::vector<Check>& checks, Keep keep) {
  std::size_t checked = 0;
  for (const Check& check : checks) {
    if (!keep(check)) continue;
    ++checked;
    bool found = false;
    std::string candidates;
    for (const Collected& blob : blobs) {
      if (matches(blob, check)) found = true;
      if (blob.text.find(check.secret) != std::string::npos)
        candidates += "\n  " + describe(blob);
    }
    INFO("secret " << check.secret.substr(0, 16) << " at " << check.path
                   << " field " << check.attrs.back().second
                   << "; blobs holding it:" << candidates);
    CHECK(found);
  }
  CHECK(checked > 0);
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const fs::path& path, const std::string& data) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << data;
}

/// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("sprawl-chat-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

using Entries = std::vector<std::pair<std::string, std::string>>;

/// Writes a zip of (name, content) entries with libarchive.
inline void write_zip(const fs::path& path, const Entries& entries) {
  struct archive* a = archive_write_new();
  REQUIRE(archive_write_set_format_zip(a) == ARCHIVE_OK);
  REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
  for (const auto& [name, content] : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    REQUIRE(archive_write_header(a, e) == ARCHIVE_OK);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

/// Every file under dir as zip entries named prefix + relative path.
inline Entries folder_entries(const fs::path& dir, const std::string& prefix) {
  Entries entries;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    entries.emplace_back(
        prefix + fs::relative(entry.path(), dir).generic_string(),
        read_file(entry.path()));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

/// Turns blobs into findings as a matcher would for `secret`.
inline std::vector<model::Finding> findings_for(
    const std::vector<Collected>& blobs, const std::string& secret,
    const std::string& rule_id) {
  std::vector<model::Finding> findings;
  for (const Collected& blob : blobs) {
    std::size_t at = blob.text.find(secret);
    if (at == std::string::npos) continue;
    model::Finding f;
    f.rule_id = rule_id;
    f.secret = secret;
    f.location = blob.location;
    f.group_id = blob.group_id;
    f.offset = at;
    findings.push_back(std::move(f));
  }
  return findings;
}

}  // namespace sprawl::test_exports
