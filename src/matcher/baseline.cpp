// Baseline files (see matcher/baseline.h). JSON in, JSON out; simdjson's
// error-code API, no exceptions.
#include "sprawl/matcher/baseline.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>

#include "sprawl/util/hash.h"
#include "sprawl/util/json.h"

namespace sprawl::matcher {
namespace {

std::string json_string(std::string_view s) { return json_quote(s); }

}  // namespace

std::string baseline_path(const model::Finding& finding) {
  // Absolute paths are taken relative to the working directory, so that
  // `scan .` and `scan $PWD` identify the same findings.
  std::filesystem::path path(finding.location.path);
  if (path.is_absolute()) {
    std::error_code ec;
    const auto cwd = std::filesystem::current_path(ec);
    if (!ec) {
      const auto rel = path.lexically_relative(cwd);
      if (!rel.empty() && *rel.begin() != "..") path = rel;
    }
  }
  std::string p = path.lexically_normal().string();
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  return p;
}

Baseline Baseline::create() {
  Baseline b;
  b.key_ = random_hex(32);
  return b;
}

Baseline::Entry Baseline::entry_for(const model::Finding& finding) const {
  return {finding.rule_id, baseline_path(finding),
          hmac_sha256_hex(key_, finding.secret)};
}

bool Baseline::contains(const model::Finding& finding) const {
  return entries_.count(entry_for(finding)) > 0;
}

void Baseline::add(const model::Finding& finding) {
  entries_.insert(entry_for(finding));
}

Expected<Baseline> Baseline::load(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  auto error = parser.load(path).get(doc);
  if (error)
    return fail(make_error(ErrorCode::kParse,
                           std::string("cannot read baseline: ") +
                               simdjson::error_message(error),
                           path));
  Baseline b;
  std::string_view key;
  if (doc["key"].get_string().get(key) || key.size() < 32)
    return fail(make_error(ErrorCode::kParse, "baseline has no valid key",
                           path, "key"));
  b.key_ = std::string(key);
  simdjson::dom::array entries;
  if (doc["findings"].get_array().get(entries))
    return fail(make_error(ErrorCode::kParse, "baseline has no findings array",
                           path, "findings"));
  std::size_t index = 0;
  for (simdjson::dom::element e : entries) {
    std::string_view rule, file, hash;
    if (e["rule_id"].get_string().get(rule) ||
        e["path"].get_string().get(file) ||
        e["secret_hmac"].get_string().get(hash))
      return fail(make_error(ErrorCode::kParse, "malformed baseline entry",
                             path, "findings[" + std::to_string(index) + "]"));
    b.entries_.emplace(std::string(rule), std::string(file), std::string(hash));
    ++index;
  }
  return b;
}

Expected<void> Baseline::save(const std::string& path) const {
  std::string out = "{\n  \"version\": 1,\n  \"key\": " + json_string(key_) +
                    ",\n  \"findings\": [";
  bool first = true;
  for (const auto& [rule, file, hash] : entries_) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "    {\"rule_id\": " + json_string(rule) +
           ", \"path\": " + json_string(file) +
           ", \"secret_hmac\": " + json_string(hash) + "}";
  }
  out += "\n  ]\n}\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        0600);
  if (fd < 0)
    return fail(make_error(ErrorCode::kIo, "cannot write baseline", path));
  const ssize_t n = ::write(fd, out.data(), out.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(out.size()))
    return fail(make_error(ErrorCode::kIo, "short write", path));
  return {};
}

}  // namespace sprawl::matcher
