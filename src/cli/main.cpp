// sprawl's command line: parses options with CLI11, builds a checked
// configuration and hands it to the pipeline. No scanning logic lives here.
#include <CLI/CLI.hpp>

#include <csignal>
#include <fstream>
#include <iostream>

#include "cli/options.h"
#include "sprawl/pipeline/rule_check.h"
#include "sprawl/inventory/report.h"
#include "sprawl/pipeline/scan.h"
#include "sprawl/util/log.h"

namespace {

using sprawl::cli::RawScanOptions;

constexpr const char* kScanExamples = R"(
Examples:
  sprawl scan .                          scan a directory (or a repository's history)
  sprawl scan --staged                   pre-commit: what `git commit` would record
  sprawl scan --range origin/main..HEAD  CI: the lines added by a pull request
  sprawl scan app.log -                  a file and standard input
  sprawl scan . --format sarif -o out.sarif
  sprawl scan . --write-baseline .sprawl-baseline.json
  sprawl scan . --baseline .sprawl-baseline.json

Exit codes: 0 nothing found, 1 findings reported, 2 usage or input error
(results may be incomplete). A line containing `sprawl:allow` is not reported.
)";

void add_scan_options(CLI::App& scan, RawScanOptions& o) {
  scan.add_option("paths", o.paths,
                  "Files, directories, repositories, exports; - for stdin");
  scan.add_option("-f,--format", o.format,
                  "Output format: text, json, jsonl, sarif, csv")
      ->capture_default_str();
  scan.add_option("-o,--output", o.output, "Write the report to FILE");
  scan.add_flag("--show-secrets", o.show_secrets,
                "Print secrets in full (redacted by default)");
  scan.add_option("--rules", o.rules,
                  "Extra rule file or directory (sprawl or gitleaks TOML)")
      ->allow_extra_args(false);
  scan.add_flag("--no-builtin-rules", o.no_builtin_rules,
                "Use only the rules given with --rules");
  scan.add_option("--baseline", o.baseline,
                  "Do not report findings recorded in this baseline file");
  scan.add_option("--write-baseline", o.write_baseline,
                  "Record the current findings as a baseline file");
  scan.add_flag("--exit-zero", o.exit_zero, "Exit 0 even when findings");
  scan.add_flag("-q,--quiet", o.quiet,
                "No progress display and no messages on stderr");
  scan.add_option("--color", o.color, "auto, always or never")
      ->capture_default_str();
  scan.add_flag("--no-progress", o.no_progress, "No progress display");
  scan.add_option("--exclude", o.exclude, "Skip paths matching GLOB")
      ->allow_extra_args(false);
  scan.add_option("--max-file-size", o.max_file_size,
                  "Skip files larger than this (e.g. 512M, 2G)")
      ->capture_default_str();
  scan.add_option("-j,--threads", o.threads, "Worker threads (default: all)");
  scan.add_option("--cache-dir", o.cache_dir,
                  "Compiled rule cache (default: $XDG_CACHE_HOME/sprawl)");
  scan.add_flag("--no-cache", o.no_cache, "Do not cache compiled rules");
  scan.add_option("--min-confidence", o.min_confidence,
                  "Report findings of at least this confidence")
      ->capture_default_str();
  scan.add_flag("--follow-symlinks", o.follow_symlinks,
                "Follow symbolic links in directories");
  scan.add_flag("--no-git", o.no_git,
                "Scan a repository's working tree as plain files");
  scan.add_option("--ref", o.refs, "Only history reachable from REF")
      ->allow_extra_args(false);
  scan.add_flag("--all-objects", o.all_objects,
                "Also scan unreachable git objects");
  scan.add_flag("--staged", o.staged,
                "Scan the lines added in the index (pre-commit)");
  scan.add_option("--range", o.range,
                  "Scan the lines added by the commits in BASE..HEAD");
  scan.add_option("--since-commit", o.since_commit,
                  "Scan the lines added since REV (REV..HEAD)");
  scan.add_flag("--verify", o.verify,
                "Ask each credential's provider whether it is live (sends "
                "the secret to that provider's own endpoint)");
  scan.add_option("--verify-endpoint", o.verify_endpoints,
                  "PROVIDER=URL: another endpoint for a provider (GitHub "
                  "Enterprise, tests)")
      ->allow_extra_args(false);
  scan.add_option("--verify-timeout", o.verify_timeout_s,
                  "Seconds per verification request")
      ->capture_default_str();
  scan.add_option("--verify-concurrency", o.verify_concurrency,
                  "Verification requests in flight")
      ->capture_default_str();
  scan.add_option("--verify-max-requests", o.verify_max_requests,
                  "Cap on verification requests per run")
      ->capture_default_str();
  scan.add_option("--verify-rate", o.verify_rate,
                  "Requests per second to one provider host")
      ->capture_default_str();
  scan.add_option("--verify-ca-file", o.verify_ca_file,
                  "Extra CA certificates (PEM) for verification endpoints");
  scan.add_flag("--only-live", o.only_live,
                "Report only credentials verified live");
  scan.add_option("--verify-cache-days", o.verify_cache_days,
                  "Days a verification result kept in the store is reused")
      ->capture_default_str();
  scan.add_option("--store", o.store,
                  "Record the scan in this SQLite store (default "
                  ".sprawl/sprawl.db when given without a file)")
      ->expected(0, 1);
  scan.add_flag("--store-secrets", o.store_secrets,
                "Keep plain secrets in the store (off: only keyed hashes)");
  scan.add_option("--slack-workspace", o.slack_workspace,
                  "Workspace name for Slack permalinks");
  scan.add_option("--jira-site", o.jira_site,
                  "Jira site URL for issue links");
  scan.add_flag("--jsonl", o.jsonl,
                "Inputs are JSON lines {\"data\": ..., \"metadata\": {...}}");
}

struct InventoryArgs {
  std::string store, format = "table", output, status, provider, kind;
  std::string scan_a, scan_b;
  bool show_secrets = false;
};

void add_inventory_options(CLI::App& cmd, InventoryArgs& a) {
  cmd.add_option("--store", a.store,
                 "SQLite store (default .sprawl/sprawl.db)");
  cmd.add_option("-f,--format", a.format,
                 "table, json, csv, markdown or html")
      ->capture_default_str();
  cmd.add_option("-o,--output", a.output, "Write to FILE");
  cmd.add_option("--status", a.status,
                 "Only identities with this status (live, revoked, ...)");
  cmd.add_option("--provider", a.provider, "Only this provider");
  cmd.add_option("--kind", a.kind, "Only this kind (api-key, ...)");
}

int run_inventory(const InventoryArgs& a, bool diff) {
  namespace inv = sprawl::inventory;
  inv::InventoryCommand command;
  command.store_path = a.store;
  auto format = inv::parse_format(a.format);
  if (!format) {
    std::cerr << "sprawl: error: --format: unknown format '" << a.format
              << "'\n";
    return sprawl::pipeline::kExitError;
  }
  command.format = *format;
  command.filter = {a.status, a.provider, a.kind};
  command.scan_a = a.scan_a;
  command.scan_b = a.scan_b;
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!a.output.empty() && a.output != "-") {
    file.open(a.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "sprawl: error: " << a.output
                << ": cannot open output file\n";
      return sprawl::pipeline::kExitError;
    }
    out = &file;
  }
  sprawl::Diagnostics diagnostics;
  diagnostics.set_echo(true);
  return diff ? inv::run_inventory_diff(command, *out, diagnostics)
              : inv::run_inventory(command, *out, diagnostics);
}

int run(int argc, char** argv) {
  CLI::App app{"sprawl: finds leaked machine credentials"};
  app.require_subcommand(1);
  // -v and friends may come after the subcommand too (set before the
  // subcommands are added: they inherit it).
  app.fallthrough();
  app.set_version_flag("-V,--version", "sprawl " SPRAWL_VERSION);
  int verbosity = 0;
  app.add_flag("-v,--verbose", verbosity, "More log output (-vv, -vvv)");

  RawScanOptions raw;
  auto* scan = app.add_subcommand("scan", "Scan files, repositories, exports");
  scan->footer(kScanExamples);
  add_scan_options(*scan, raw);

  sprawl::pipeline::RuleCheckOptions rule_options;
  std::vector<std::string> rule_paths;
  bool builtin_only = false;
  auto* rules = app.add_subcommand("rules", "List and check rules");
  rules->require_subcommand(1);
  auto* list = rules->add_subcommand("list", "List rules by provider");
  list->add_option("--rules", rule_paths, "Extra rule file or directory");
  auto* check = rules->add_subcommand(
      "check", "Run every rule's examples through the full matcher");
  check->add_option("files", rule_paths, "Rule files or directories");
  check->add_flag("--builtin", builtin_only, "Check the built-in rules");

  bool force_hook = false;
  std::string hook_repo = ".";
  auto* hook = app.add_subcommand("hook", "Install the git pre-commit hook");
  hook->require_subcommand(1);
  auto* hook_install = hook->add_subcommand(
      "install", "Write .git/hooks/pre-commit running `sprawl scan --staged`");
  hook_install->add_option("repository", hook_repo, "Repository (default .)");
  hook_install->add_flag("--force", force_hook,
                         "Replace a pre-commit hook sprawl did not write");

  InventoryArgs inv;
  auto* inventory = app.add_subcommand(
      "inventory", "Show the non-human identities recorded in the store");
  add_inventory_options(*inventory, inv);
  auto* diff = inventory->add_subcommand(
      "diff", "Identities new, still exposed and no longer seen");
  diff->add_option("scan_a", inv.scan_a, "Earlier scan: id or previous")
      ->required();
  diff->add_option("scan_b", inv.scan_b, "Later scan: id or latest")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version exit 0; every usage error is exit code 2.
    return app.exit(e) == 0 ? sprawl::pipeline::kExitClean
                            : sprawl::pipeline::kExitError;
  }
  // `--store` without a file means the default store.
  raw.use_store = scan->get_option("--store")->count() > 0;
  sprawl::log::set_level(static_cast<sprawl::log::Level>(
      std::min(1 + verbosity, 4)));

  if (scan->parsed()) {
    auto config = sprawl::cli::make_scan_config(raw);
    if (!config) {
      std::cerr << "sprawl: error: " << config.error().describe() << "\n";
      return sprawl::pipeline::kExitError;
    }
    sprawl::Diagnostics diagnostics;
    diagnostics.set_echo(!config->quiet);
    return sprawl::pipeline::run_scan(*config, diagnostics);
  }
  if (hook_install->parsed())
    return sprawl::pipeline::install_hook(hook_repo, force_hook, std::cerr);
  if (inventory->parsed()) return run_inventory(inv, diff->parsed());
  rule_options.cache_dir = sprawl::pipeline::default_cache_dir();
  if (list->parsed()) {
    rule_options.rules.paths = rule_paths;
    return sprawl::pipeline::list_rules(rule_options, std::cout, std::cerr);
  }
  // `rules check FILE` checks only FILE's rules; --builtin the shipped ones.
  rule_options.rules.builtin = builtin_only || rule_paths.empty();
  rule_options.rules.paths = rule_paths;
  return sprawl::pipeline::check_rules(rule_options, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout (`sprawl scan | head`) is a normal end, not a crash.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "sprawl: internal error: " << e.what() << "\n";
    return sprawl::pipeline::kExitError;
  }
}
