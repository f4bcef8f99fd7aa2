// Building the Matcher: RE2 programs per rule and one Hyperscan database for
// all rules, cached on disk keyed by the rules' digest and Hyperscan version.
// Not on the scan path: allocation and detailed errors are fine here.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "matcher/compiled.h"
#include "sprawl/util/hash.h"
#include "sprawl/util/log.h"

namespace sprawl::matcher {
namespace {

namespace fs = std::filesystem;
using model::Rule;

constexpr char kCacheMagic[] = "SPRAWLHS1\n";

std::size_t window_for(const Rule& rule) {
  const std::string& re = rule.regex;
  if (re.find("PRIVATE KEY") != std::string::npos ||
      re.find("PuTTY") != std::string::npos ||
      re.find("(?s") != std::string::npos ||
      re.find("[\\s\\S]") != std::string::npos)
    return 32 * 1024;
  const bool unbounded = re.find('*') != std::string::npos ||
                         re.find('+') != std::string::npos ||
                         re.find(",}") != std::string::npos;
  return unbounded ? 4096 : 1024;
}

std::string compute_digest(const std::vector<Rule>& rules) {
  std::string input = std::string("hyperscan=") + hs_version() + "\n";
  for (const auto& r : rules) {
    input += r.id + '\0' + r.regex + '\0' + std::to_string(r.secret_group) +
             '\0' + r.path_regex + '\0' + std::to_string(r.min_entropy) + '\0';
    for (const auto& k : r.keywords) input += k + '\1';
    for (const auto& a : r.allow_regexes) input += a + '\2';
    for (const auto& a : r.allow_paths) input += a + '\3';
    for (const auto& s : r.stopwords) input += s + '\4';
    input += std::string(r.credential_file ? "C" : "-") + r.credential_path;
    input += '\n';
  }
  return sha256_hex(input);
}

// A leading \b also accepts the escape or percent-encoding that can sit
// right before a token: `"a\nghp_..."` in JSON, `%3Dghp_...` in a logged
// URL. There the token starts after a letter or digit, so \b alone fails.
constexpr std::string_view kWordStart = R"(\b)";
constexpr std::string_view kEscapedStart =
    R"((?:\b|\\[nrt]|%[0-9A-Fa-f]{2}))";

// True when the pattern (after its \b) starts with a literal character,
// past any opening groups: `(?P<secret>ghp_`, `(?:AKIA|ASIA)`. Tokens with
// a fixed prefix are the ones an escape can glue to a word.
bool starts_with_literal(std::string_view rest) {
  for (;;) {
    if (rest.starts_with("(?:")) {
      rest.remove_prefix(3);
    } else if (rest.starts_with("(?P<")) {
      const std::size_t close = rest.find('>');
      if (close == std::string_view::npos) return false;
      rest.remove_prefix(close + 1);
    } else {
      break;
    }
  }
  if (rest.size() < 2) return false;
  const auto c = static_cast<unsigned char>(rest[0]);
  const char next = rest[1];
  return std::isalnum(c) != 0 && next != '*' && next != '?' && next != '{';
}

// Perf: widening every leading \b, including those before a character
// class, took the /usr/include scan from 0.173 s to 0.22 s; before a
// literal only, it costs nothing measurable.
void widen_leading_boundary(Rule& rule) {
  if (rule.regex.starts_with(kWordStart) &&
      starts_with_literal(
          std::string_view(rule.regex).substr(kWordStart.size())))
    rule.regex.replace(0, kWordStart.size(), kEscapedStart);
}

// Compiles the Hyperscan database, demoting a rule Hyperscan rejects to
// prefilter and then to RE2-only mode, one rule per failed attempt.
Expected<hs_database_t*> compile_database(const std::vector<Rule>& rules,
                                          std::vector<RuleMode>& modes,
                                          Diagnostics& diagnostics) {
  for (;;) {
    std::vector<const char*> patterns;
    std::vector<unsigned> flags, ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (modes[i] == RuleMode::kRe2Only) continue;
      patterns.push_back(rules[i].regex.c_str());
      flags.push_back(modes[i] == RuleMode::kPrefilter ? HS_FLAG_PREFILTER
                                                       : 0u);
      ids.push_back(static_cast<unsigned>(i));
    }
    if (patterns.empty()) return nullptr;
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    hs_error_t rc = hs_compile_multi(
        patterns.data(), flags.data(), ids.data(),
        static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db,
        &error);
    if (rc == HS_SUCCESS) return db;
    const int bad = error ? error->expression : -1;
    const std::string message = error ? error->message : "unknown error";
    hs_free_compile_error(error);
    if (bad < 0)
      return fail(make_error(ErrorCode::kMatcher,
                             "hyperscan could not compile the rules: " +
                                 message));
    const std::size_t index = ids[static_cast<std::size_t>(bad)];
    modes[index] = modes[index] == RuleMode::kExact ? RuleMode::kPrefilter
                                                    : RuleMode::kRe2Only;
    diagnostics.warning(make_error(
        ErrorCode::kMatcher,
        "rule '" + rules[index].id + "' falls back to " +
            (modes[index] == RuleMode::kPrefilter ? "a Hyperscan prefilter"
                                                  : "RE2-only scanning") +
            " (hyperscan: " + message + ")",
        rules[index].origin));
  }
}

fs::path cache_file(const std::string& dir, const std::string& digest) {
  return fs::path(dir) / ("rules-" + digest.substr(0, 32) + ".hsdb");
}

// Cache layout: magic, rule count (u32), one mode byte per rule, database
// size (u64), hs_serialize_database bytes.
bool load_cache(const fs::path& path, std::size_t rule_count,
                std::vector<RuleMode>& modes, hs_database_t** db) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  const std::size_t magic = sizeof(kCacheMagic) - 1;
  if (bytes.size() < magic + 4 || bytes.compare(0, magic, kCacheMagic) != 0)
    return false;
  uint32_t count = 0;
  std::memcpy(&count, bytes.data() + magic, 4);
  std::size_t pos = magic + 4;
  if (count != rule_count || bytes.size() < pos + count + 8) return false;
  for (std::size_t i = 0; i < count; ++i)
    modes[i] = static_cast<RuleMode>(bytes[pos + i]);
  pos += count;
  uint64_t size = 0;
  std::memcpy(&size, bytes.data() + pos, 8);
  pos += 8;
  if (size == 0) {
    *db = nullptr;
    return true;
  }
  if (bytes.size() != pos + size) return false;
  return hs_deserialize_database(bytes.data() + pos, size, db) == HS_SUCCESS;
}

void save_cache(const fs::path& path, const std::vector<RuleMode>& modes,
                const hs_database_t* db) {
  char* serialized = nullptr;
  std::size_t size = 0;
  if (db && hs_serialize_database(db, &serialized, &size) != HS_SUCCESS)
    return;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::string out(kCacheMagic);
  uint32_t count = static_cast<uint32_t>(modes.size());
  out.append(reinterpret_cast<const char*>(&count), 4);
  for (RuleMode m : modes) out.push_back(static_cast<char>(m));
  uint64_t size64 = size;
  out.append(reinterpret_cast<const char*>(&size64), 8);
  if (serialized) out.append(serialized, size);
  free(serialized);
  // Write-then-rename so a concurrent run never reads half a file.
  fs::path tmp = path;
  tmp += "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file.write(out.data(), static_cast<std::streamsize>(out.size())))
      return;
  }
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace

void CompiledRule::compile() {
  re = std::make_unique<RE2>(rule->regex, rule_re2_options());
  groups = re->NumberOfCapturingGroups();
  const auto& names = re->NamedCapturingGroups();
  auto secret = names.find("secret");
  secret_index = secret != names.end() ? secret->second
                                       : std::max(rule->secret_group, 0);
  for (const auto& [name, index] : names)
    if (name != "secret") named.emplace_back(name, index);
  auto aux = [](const std::string& pattern) {
    return std::make_unique<RE2>(pattern, RE2::Quiet);
  };
  if (!rule->path_regex.empty()) path_re = aux(rule->path_regex);
  if (!rule->credential_path.empty())
    credential_path_re = aux(rule->credential_path);
  for (const auto& p : rule->allow_paths) allow_paths.push_back(aux(p));
  for (const auto& a : rule->allow_regexes) allow_res.push_back(aux(a));
}

RE2::Options rule_re2_options() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_max_mem(32 << 20);
  return options;
}

Matcher::~Matcher() = default;

Expected<std::shared_ptr<const Matcher>> Matcher::build(
    std::vector<Rule> rules, const MatcherOptions& options,
    Diagnostics& diagnostics) {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<Matcher> m(new Matcher());
  m->impl_ = std::make_unique<Impl>();
  for (Rule& rule : rules) widen_leading_boundary(rule);
  m->digest_ = compute_digest(rules);
  m->modes_.assign(rules.size(), options.force_re2_only ? RuleMode::kRe2Only
                                                       : RuleMode::kExact);
  // Perf: a path-scoped rule runs only on the few blobs whose path matches,
  // so it costs nothing in the Hyperscan pass over everything else.
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (!rules[i].path_regex.empty()) m->modes_[i] = RuleMode::kRe2Only;
  const bool cached = !options.force_re2_only &&
      !options.cache_dir.empty() &&
      load_cache(cache_file(options.cache_dir, m->digest_), rules.size(),
                 m->modes_, &m->impl_->db);
  if (!cached) {
    auto db = compile_database(rules, m->modes_, diagnostics);
    if (!db) return fail(db.error());
    m->impl_->db = *db;
    if (!options.cache_dir.empty() && !options.force_re2_only)
      save_cache(cache_file(options.cache_dir, m->digest_), m->modes_,
                 m->impl_->db);
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (m->modes_[i] == RuleMode::kRe2Only) {
      m->impl_->re2_only.push_back(static_cast<uint32_t>(i));
      ++(rules[i].path_regex.empty() ? m->stats_.re2_only_rules
                                     : m->stats_.path_scoped_rules);
    } else if (m->modes_[i] == RuleMode::kPrefilter) {
      ++m->stats_.prefilter_rules;
    }
  }
  if (m->impl_->db) hs_database_size(m->impl_->db, &m->stats_.database_bytes);
  m->rules_ = std::move(rules);
  // Rules are bound after the move: CompiledRule points into rules_.
  for (const auto& rule : m->rules_) {
    auto c = std::make_unique<CompiledRule>();
    c->rule = &rule;
    c->window = window_for(rule);
    c->generic = rule.provider == "generic";
    m->impl_->compiled.push_back(std::move(c));
  }
  m->stats_.from_cache = cached;
  m->stats_.build_ms = std::chrono::duration<double, std::milli>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  log::debug("matcher built rules={} ms={:.1f} cached={} db_bytes={}",
             m->rules_.size(), m->stats_.build_ms, cached,
             m->stats_.database_bytes);
  return std::shared_ptr<const Matcher>(std::move(m));
}

}  // namespace sprawl::matcher
