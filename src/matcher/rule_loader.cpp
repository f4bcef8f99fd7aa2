// Rule loading: sprawl TOML rules and gitleaks configurations, via toml++.
// toml++ reports parse errors by exception; they are converted to Error here.
#include "sprawl/matcher/rule_loader.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <toml++/toml.h>

#include "matcher/builtin_rules.h"
#include "sprawl/util/log.h"

namespace sprawl::matcher {
namespace {

namespace fs = std::filesystem;
using model::Rule;

std::vector<std::string> string_array(const toml::node_view<const toml::node>&
                                          node) {
  std::vector<std::string> out;
  if (const auto* arr = node.as_array()) {
    for (const auto& item : *arr)
      if (auto s = item.value<std::string>()) out.push_back(*s);
  } else if (auto s = node.value<std::string>()) {
    out.push_back(*s);
  }
  return out;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string place_of(const toml::table& table) {
  const auto& src = table.source();
  return src.begin.line ? "line " + std::to_string(src.begin.line) : "";
}

struct Allowlist {
  std::vector<std::string> regexes, paths, stopwords;
};

void read_allowlist(const toml::table& t, Allowlist& out) {
  auto add = [](std::vector<std::string>& to, std::vector<std::string> from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  add(out.regexes, string_array(t["regexes"]));
  add(out.paths, string_array(t["paths"]));
  add(out.stopwords, string_array(t["stopwords"]));
}

void read_allowlists(const toml::table& t, Allowlist& out) {
  if (const auto* one = t["allowlist"].as_table()) read_allowlist(*one, out);
  if (const auto* many = t["allowlists"].as_array())
    for (const auto& item : *many)
      if (const auto* tab = item.as_table()) read_allowlist(*tab, out);
}

// A rule in sprawl's own format: `provider` and `kind` are present.
Expected<Rule> native_rule(const toml::table& t, const std::string& origin) {
  Rule rule;
  rule.origin = origin;
  rule.id = t["id"].value_or(std::string{});
  rule.name = t["name"].value_or(std::string{});
  rule.provider = t["provider"].value_or(std::string{});
  rule.regex = t["regex"].value_or(std::string{});
  rule.description = t["description"].value_or(std::string{});
  rule.remediation = t["remediation"].value_or(std::string{});
  rule.min_entropy = t["min_entropy"].value_or(0.0);
  rule.keywords = string_array(t["keywords"]);
  for (auto& k : rule.keywords) k = lowercase(k);
  rule.references = string_array(t["references"]);
  rule.examples = string_array(t["examples"]);
  rule.negative_examples = string_array(t["negative_examples"]);
  rule.path_regex = t["path"].value_or(std::string{});
  rule.example_path = t["example_path"].value_or(std::string{});
  rule.credential_file = t["credential_file"].value_or(false);
  rule.credential_path = t["credential_path"].value_or(std::string{});
  Allowlist allow;
  read_allowlists(t, allow);
  rule.allow_regexes = std::move(allow.regexes);
  rule.allow_paths = std::move(allow.paths);
  rule.stopwords = std::move(allow.stopwords);
  const std::string where = place_of(t);
  auto bad = [&](std::string what) {
    return fail(make_error(ErrorCode::kRule,
                           "rule '" + rule.id + "': " + std::move(what),
                           origin, where));
  };
  if (t.contains("credential_file") && !t["credential_file"].is_boolean())
    return bad("credential_file must be true or false");
  const std::string kind = t["kind"].value_or(std::string{});
  auto parsed_kind = model::parse_kind(kind);
  if (!parsed_kind) return bad("unknown kind '" + kind + "'");
  rule.kind = *parsed_kind;
  const std::string severity = t["severity"].value_or(std::string{"medium"});
  auto parsed_severity = model::parse_severity(severity);
  if (!parsed_severity) return bad("unknown severity '" + severity + "'");
  rule.severity = *parsed_severity;
  const std::string confidence =
      t["confidence"].value_or(std::string{"medium"});
  auto parsed_confidence = model::parse_confidence(confidence);
  if (!parsed_confidence)
    return bad("unknown confidence '" + confidence + "'");
  rule.confidence = *parsed_confidence;
  return rule;
}

model::Kind guess_kind(const std::string& id) {
  const std::string s = lowercase(id);
  if (s.find("private-key") != std::string::npos ||
      s.find("private_key") != std::string::npos)
    return model::Kind::kPrivateKey;
  if (s.find("password") != std::string::npos) return model::Kind::kPassword;
  if (s.find("jwt") != std::string::npos) return model::Kind::kJwt;
  if (s.find("webhook") != std::string::npos) return model::Kind::kWebhookUrl;
  if (s.find("api") != std::string::npos) return model::Kind::kApiKey;
  if (s.find("token") != std::string::npos) return model::Kind::kAccessToken;
  return model::Kind::kGenericSecret;
}

// A rule in gitleaks' format. See docs/rules.md for what is mapped.
Expected<Rule> gitleaks_rule(const toml::table& t, const std::string& origin,
                             const Allowlist& global) {
  Rule rule;
  rule.origin = origin;
  rule.id = t["id"].value_or(std::string{});
  rule.name = t["description"].value_or(rule.id);
  rule.description = rule.name;
  rule.provider = "custom";
  rule.kind = guess_kind(rule.id);
  rule.regex = t["regex"].value_or(std::string{});
  rule.secret_group = static_cast<int>(t["secretGroup"].value_or(int64_t{-1}));
  rule.min_entropy = t["entropy"].value_or(0.0);
  rule.keywords = string_array(t["keywords"]);
  for (auto& k : rule.keywords) k = lowercase(k);
  rule.path_regex = t["path"].value_or(std::string{});
  rule.confidence = model::Confidence::kMedium;
  rule.severity = model::Severity::kHigh;
  Allowlist allow = global;
  read_allowlists(t, allow);
  rule.allow_regexes = std::move(allow.regexes);
  rule.allow_paths = std::move(allow.paths);
  rule.stopwords = std::move(allow.stopwords);
  if (rule.regex.empty())
    return fail(make_error(ErrorCode::kRule,
                           "rule '" + rule.id +
                               "': path-only gitleaks rules are not supported",
                           origin, place_of(t)));
  if (rule.secret_group < 0) {
    // gitleaks takes the first group when a rule names none.
    RE2 re(rule.regex, RE2::Quiet);
    rule.secret_group = re.NumberOfCapturingGroups() > 0 ? 1 : 0;
  }
  return rule;
}

// sprawl rules always name a provider and a kind; gitleaks rules never do.
bool is_gitleaks_rule(const toml::table& t) {
  return !t.contains("provider") && !t.contains("kind");
}

Expected<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(make_error(ErrorCode::kIo, "cannot open rule file",
                           path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return fail(make_error(ErrorCode::kIo, "cannot read rule file",
                           path.string()));
  return buffer.str();
}

void add_rules(std::vector<Rule>& all, std::map<std::string, std::size_t>& ids,
               std::vector<Rule> rules, Diagnostics& diagnostics) {
  for (auto& rule : rules) {
    auto it = ids.find(rule.id);
    if (it != ids.end()) {
      diagnostics.warning(make_error(
          ErrorCode::kRule, "rule '" + rule.id + "' replaces the one from " +
                                all[it->second].origin,
          rule.origin));
      all[it->second] = std::move(rule);
      continue;
    }
    ids.emplace(rule.id, all.size());
    all.push_back(std::move(rule));
  }
}

Expected<void> load_path(const fs::path& path, std::vector<Rule>& all,
                         std::map<std::string, std::size_t>& ids,
                         Diagnostics& diagnostics) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  if (ec)
    return fail(make_error(ErrorCode::kIo, ec.message(), path.string()));
  for (const auto& file : files) {
    auto text = read_file(file);
    if (!text) return fail(text.error());
    std::vector<Error> rule_errors;
    auto rules = parse_rule_file(*text, file.string(), rule_errors);
    if (!rules) return fail(rules.error());
    for (auto& e : rule_errors) diagnostics.error(std::move(e));
    add_rules(all, ids, std::move(*rules), diagnostics);
  }
  return {};
}

}  // namespace

Expected<std::vector<Rule>> parse_rule_file(std::string_view toml_text,
                                            const std::string& origin,
                                            std::vector<Error>& rule_errors,
                                            bool compile_regex) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(make_error(
        ErrorCode::kParse, "invalid TOML: " + std::string(e.description()),
        origin,
        "line " + std::to_string(where.line) + ", column " +
            std::to_string(where.column)));
  }
  const auto* rules = doc["rules"].as_array();
  if (!rules)
    return fail(make_error(ErrorCode::kRule, "no [[rules]] tables", origin));
  Allowlist global;
  if (const auto* allow = doc["allowlist"].as_table())
    read_allowlist(*allow, global);
  if (const auto* many = doc["allowlists"].as_array())
    for (const auto& item : *many)
      if (const auto* tab = item.as_table()) read_allowlist(*tab, global);
  std::vector<Rule> out;
  for (const auto& node : *rules) {
    const auto* table = node.as_table();
    if (!table) continue;
    auto rule = is_gitleaks_rule(*table) ? gitleaks_rule(*table, origin, global)
                                         : native_rule(*table, origin);
    if (!rule) {
      rule_errors.push_back(rule.error());
      continue;
    }
    auto ok = check_rule(*rule, false, compile_regex);
    if (!ok) {
      Error e = ok.error();
      e.place = place_of(*table);
      rule_errors.push_back(std::move(e));
      continue;
    }
    out.push_back(std::move(*rule));
  }
  return out;
}

Expected<void> check_rule(const Rule& rule, bool require_examples,
                          bool compile_regex) {
  auto bad = [&](std::string what) {
    return fail(make_error(ErrorCode::kRule,
                           "rule '" + rule.id + "': " + std::move(what),
                           rule.origin));
  };
  if (rule.id.empty()) return bad("missing id");
  for (char c : rule.id)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '_' || c == '.'))
      return bad("id must be lowercase letters, digits, '-', '_' or '.'");
  if (rule.name.empty()) return bad("missing name");
  if (rule.provider.empty()) return bad("missing provider");
  if (rule.regex.empty()) return bad("missing regex");
  if (require_examples && rule.examples.empty())
    return bad("needs at least one example");
  if (require_examples && rule.negative_examples.empty())
    return bad("needs at least one negative example");
  if (!compile_regex) return {};
  RE2 re(rule.regex, RE2::Quiet);
  if (!re.ok()) return bad("regex does not compile: " + re.error());
  const auto& named = re.NamedCapturingGroups();
  if (rule.secret_group < 0 && named.find("secret") == named.end())
    return bad("regex has no named group 'secret'");
  if (rule.secret_group > re.NumberOfCapturingGroups())
    return bad("secretGroup " + std::to_string(rule.secret_group) +
               " exceeds the regex's groups");
  for (const auto& allow : rule.allow_regexes) {
    RE2 a(allow, RE2::Quiet);
    if (!a.ok()) return bad("allowlist regex does not compile: " + a.error());
  }
  if (!rule.path_regex.empty()) {
    RE2 p(rule.path_regex, RE2::Quiet);
    if (!p.ok()) return bad("path regex does not compile: " + p.error());
  }
  if (rule.credential_file && rule.path_regex.empty() &&
      rule.credential_path.empty())
    return bad("credential_file needs path or credential_path: the leniency "
               "holds only in the tool's own files");
  if (!rule.credential_path.empty()) {
    RE2 p(rule.credential_path, RE2::Quiet);
    if (!p.ok())
      return bad("credential_path regex does not compile: " + p.error());
  }
  return {};
}

std::vector<std::pair<std::string, std::string_view>> builtin_rule_texts() {
  std::vector<std::pair<std::string, std::string_view>> out;
  for (const auto& file : builtin_rule_files())
    out.emplace_back(std::string(file.origin), file.text);
  return out;
}

Expected<std::vector<Rule>> load_rules(const RuleSources& sources,
                                       Diagnostics& diagnostics) {
  std::vector<Rule> all;
  std::map<std::string, std::size_t> ids;
  if (sources.builtin) {
    for (const auto& [origin, text] : builtin_rule_texts()) {
      std::vector<Error> rule_errors;
      auto rules = parse_rule_file(text, origin, rule_errors, false);
      if (!rules) return fail(rules.error());
      for (auto& e : rule_errors) diagnostics.error(std::move(e));
      add_rules(all, ids, std::move(*rules), diagnostics);
    }
  }
  for (const auto& path : sources.paths) {
    auto loaded = load_path(path, all, ids, diagnostics);
    if (!loaded) diagnostics.error(loaded.error());
  }
  if (all.empty())
    return fail(make_error(ErrorCode::kRule, "no usable rules were loaded"));
  return all;
}

}  // namespace sprawl::matcher
