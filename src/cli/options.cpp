// Raw options -> checked ScanConfig (see options.h).
#include "cli/options.h"

#include "sprawl/store/sqlite_store.h"
#include "sprawl/verifier/live.h"

#include <unistd.h>

#include <cctype>

namespace sprawl::cli {

Expected<uint64_t> parse_size(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "invalid size '" + text + "'"));
  std::size_t used = 0;
  const double value = std::stod(text, &used);
  std::string unit = text.substr(used);
  for (auto& c : unit) c = static_cast<char>(std::toupper(c));
  if (!unit.empty() && unit.back() == 'B') unit.pop_back();
  if (!unit.empty() && unit.back() == 'I') unit.pop_back();
  double mult = 1;
  if (unit == "K") mult = 1024.0;
  else if (unit == "M") mult = 1024.0 * 1024;
  else if (unit == "G") mult = 1024.0 * 1024 * 1024;
  else if (unit == "T") mult = 1024.0 * 1024 * 1024 * 1024;
  else if (!unit.empty())
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "invalid size unit in '" + text + "'"));
  return static_cast<uint64_t>(value * mult);
}

namespace {

Expected<void> set_verification(const RawScanOptions& raw,
                                pipeline::ScanConfig& config) {
  auto bad = [](std::string what) {
    return fail(make_error(ErrorCode::kInvalidArgument, std::move(what)));
  };
  config.verify = raw.verify;
  config.only_live = raw.only_live;
  if (raw.only_live && !raw.verify)
    return bad("--only-live needs --verify");
  auto& live = config.live;
  if (raw.verify_timeout_s <= 0) return bad("--verify-timeout must be > 0");
  live.timeout_ms = static_cast<unsigned>(raw.verify_timeout_s * 1000);
  live.concurrency = raw.verify_concurrency;
  live.max_requests = raw.verify_max_requests;
  live.per_host_rps = raw.verify_rate;
  live.ca_file = raw.verify_ca_file;
  config.verify_cache_ttl_s =
      static_cast<int64_t>(raw.verify_cache_days * 24 * 3600);
  // Plain http is accepted only for overrides pointing at this machine's
  // loopback (local test servers); check_live_options enforces it.
  live.allow_http_overrides = true;
  for (const auto& text : raw.verify_endpoints) {
    auto pair = verifier::parse_endpoint_override(text);
    if (!pair) return bad("--verify-endpoint: " + pair.error().message);
    live.endpoint_overrides.push_back(*pair);
  }
  if (!raw.verify) return {};
  auto checked = verifier::check_live_options(live);
  if (!checked) return bad(checked.error().message);
  return {};
}

}  // namespace

Expected<pipeline::ScanConfig> make_scan_config(const RawScanOptions& raw) {
  pipeline::ScanConfig config;
  auto bad = [](std::string what) {
    return fail(make_error(ErrorCode::kInvalidArgument, std::move(what)));
  };
  config.paths = raw.paths;
  if (config.paths.empty()) config.paths.push_back(".");
  auto format = reporters::parse_format(raw.format);
  if (!format) return bad("--format: unknown format '" + raw.format + "'");
  config.format = *format;
  config.output_path = raw.output;
  config.show_secrets = raw.show_secrets;
  config.rules.builtin = !raw.no_builtin_rules;
  config.rules.paths = raw.rules;
  config.baseline_path = raw.baseline;
  config.write_baseline_path = raw.write_baseline;
  config.exit_zero = raw.exit_zero;
  config.quiet = raw.quiet;
  const bool to_terminal = raw.output.empty() && ::isatty(1);
  if (raw.color == "always") config.color = true;
  else if (raw.color == "never") config.color = false;
  else if (raw.color == "auto")
    config.color = to_terminal && std::getenv("NO_COLOR") == nullptr;
  else return bad("--color: expected auto, always or never");
  config.progress = !raw.quiet && !raw.no_progress && ::isatty(2);
  auto max_size = parse_size(raw.max_file_size);
  if (!max_size) return bad("--max-file-size: " + max_size.error().message);
  config.source.max_file_bytes = *max_size;
  // sprawl's own baseline files hold keyed hashes that look like secrets.
  std::vector<std::string> excludes = raw.exclude;
  for (const auto* own : {&raw.baseline, &raw.write_baseline})
    if (!own->empty()) excludes.push_back(*own);
  for (std::string glob : excludes) {
    // "dir/" and "./dir" mean the directory itself.
    while (glob.size() > 1 && glob.back() == '/') glob.pop_back();
    while (glob.rfind("./", 0) == 0) glob.erase(0, 2);
    config.source.exclude_globs.push_back(std::move(glob));
  }
  config.source.follow_symlinks = raw.follow_symlinks;
  config.threads = raw.threads;
  config.cache_dir = raw.no_cache ? std::string()
                     : raw.cache_dir.empty() ? pipeline::default_cache_dir()
                                             : raw.cache_dir;
  auto confidence = model::parse_confidence(raw.min_confidence);
  if (!confidence) return bad("--min-confidence: expected low, medium or high");
  config.min_confidence = *confidence;
  config.source.no_git = raw.no_git;
  config.source.refs = raw.refs;
  config.source.all_objects = raw.all_objects;
  config.source.staged = raw.staged;
  config.source.range = raw.range;
  config.source.since_commit = raw.since_commit;
  if (!raw.range.empty() && raw.range.find("..") == std::string::npos)
    return bad("--range: expected BASE..HEAD");
  if (raw.staged && (!raw.range.empty() || !raw.since_commit.empty()))
    return bad("--staged cannot be combined with --range or --since-commit");
  SPRAWL_TRY(set_verification(raw, config));
  if (raw.use_store || !raw.store.empty())
    config.store_path =
        raw.store.empty() ? store::default_store_path() : raw.store;
  config.store_secrets = raw.store_secrets;
  if (raw.store_secrets && config.store_path.empty())
    return bad("--store-secrets needs --store");
  config.source.slack_workspace = raw.slack_workspace;
  config.source.jira_site = raw.jira_site;
  config.source.jsonl = raw.jsonl;
  return config;
}

}  // namespace sprawl::cli
