// The scan pipeline (see pipeline/scan.h): TBB parallel_pipeline with a
// serial task producer, parallel load+scan, and a serial collector.
#include "sprawl/pipeline/scan.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "pipeline/progress.h"
#include "sprawl/matcher/baseline.h"
#include "sprawl/matcher/matcher.h"
#include "sprawl/sources/git_source.h"
#include "sprawl/store/sqlite_store.h"
#include "sprawl/util/log.h"
#include "sprawl/verifier/validator.h"

namespace sprawl::pipeline {
namespace {

using model::Finding;

struct Work {
  sources::Task task;
  std::vector<Finding> findings;
};

// Scans one source with all threads; appends its findings to out.
void scan_source(sources::Source& source,
                 const std::shared_ptr<const matcher::Matcher>& matcher,
                 unsigned threads, std::vector<Finding>& out,
                 matcher::ScanCounters& totals, Progress& progress) {
  tbb::enumerable_thread_specific<matcher::Scanner> scanners(
      [&] { return matcher::Scanner(matcher); });
  std::vector<Finding> found;
  // Perf: tokens bound the tasks in flight, and so memory: each holds at
  // most one chunk (or one zip entry) per thread.
  const std::size_t tokens = std::max(2u, threads * 2);
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, Work*>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> Work* {
            auto work = std::make_unique<Work>();
            if (!source.next(work->task)) {
              fc.stop();
              return nullptr;
            }
            return work.release();
          }) &
          tbb::make_filter<Work*, Work*>(
              tbb::filter_mode::parallel,
              [&](Work* work) {
                auto& scanner = scanners.local();
                source.load(work->task, [&](const model::Blob& blob) {
                  scanner.scan(blob, work->findings);
                  progress.add(1, blob.bytes.size());
                });
                work->task.data.clear();
                work->task.data.shrink_to_fit();
                return work;
              }) &
          tbb::make_filter<Work*, void>(
              tbb::filter_mode::serial_out_of_order, [&](Work* work) {
                std::unique_ptr<Work> owned(work);
                std::move(owned->findings.begin(), owned->findings.end(),
                          std::back_inserter(found));
              }));
  for (const auto& s : scanners) {
    totals.bytes += s.counters().bytes;
    totals.blobs += s.counters().blobs;
    totals.suppressed_inline += s.counters().suppressed_inline;
    totals.filtered += s.counters().filtered;
  }
  source.finish(found);
  std::move(found.begin(), found.end(), std::back_inserter(out));
}

bool finding_less(const Finding& a, const Finding& b) {
  const auto& la = a.location;
  const auto& lb = b.location;
  return std::tie(la.source, la.path, la.url, la.line, la.column, a.rule_id) <
         std::tie(lb.source, lb.path, lb.url, lb.line, lb.column, b.rule_id);
}

Expected<std::shared_ptr<const matcher::Matcher>> build_matcher(
    const ScanConfig& config, Diagnostics& diagnostics,
    std::vector<model::Rule>& rules_out) {
  auto rules = matcher::load_rules(config.rules, diagnostics);
  if (!rules) return fail(rules.error());
  matcher::MatcherOptions options;
  options.cache_dir = config.cache_dir;
  auto m = matcher::Matcher::build(std::move(*rules), options, diagnostics);
  if (!m) return fail(m.error());
  rules_out = (*m)->rules();
  return m;
}

// Drops findings below the confidence floor or in the baseline; writes a
// new baseline when asked.
Expected<void> apply_baseline(const ScanConfig& config,
                              std::vector<Finding>& findings,
                              reporters::ScanSummary& summary) {
  if (!config.baseline_path.empty()) {
    auto baseline = matcher::Baseline::load(config.baseline_path);
    if (!baseline) return fail(baseline.error());
    auto kept = std::remove_if(findings.begin(), findings.end(),
                               [&](const Finding& f) {
                                 return baseline->contains(f);
                               });
    summary.suppressed_baseline = findings.end() - kept;
    findings.erase(kept, findings.end());
  }
  if (!config.write_baseline_path.empty()) {
    auto baseline = matcher::Baseline::create();
    for (const auto& f : findings) baseline.add(f);
    SPRAWL_TRY(baseline.save(config.write_baseline_path));
  }
  return {};
}

// Asks each credential's provider whether it is live (only with --verify),
// then applies --only-live.
void verify_live(const ScanConfig& config, store::Store* db,
                 std::vector<Finding>& findings,
                 reporters::ScanSummary& summary, Diagnostics& diagnostics) {
  verifier::LiveVerifier live(config.live);
  if (db) {
    // Results are kept across runs under the verifier's own key (a hash of
    // verifier, endpoint and credential: never the secret).
    const int64_t ttl = config.verify_cache_ttl_s;
    live.set_cache(
        {[db, ttl](const std::string& key)
             -> std::optional<model::Verification> {
           auto hit = db->lookup_verification(key, ttl, std::time(nullptr));
           if (!hit || !*hit) return std::nullopt;
           return (*hit)->verification;
         },
         [db](const std::string& key, const model::Verification& v) {
           auto stored = db->put_verification(
               key, {v, static_cast<int64_t>(std::time(nullptr))});
           (void)stored;
         }});
  }
  live.verify(findings, diagnostics);
  const auto stats = live.stats();
  summary.verify_requests = stats.requests;
  summary.verify_capped = stats.capped;
  log::info("verification requests={} cache_hits={} capped={} live={}",
            stats.requests, stats.cache_hits, stats.capped, stats.live);
  if (!config.only_live) return;
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [](const Finding& f) {
                                  return f.verification.status !=
                                         model::VerificationStatus::kLive;
                                }),
                 findings.end());
}

// Incremental git sweeps: blobs already scanned with this rule set are
// skipped, and their findings come back from the store.
class IncrementalSweep {
 public:
  IncrementalSweep(store::Store* db, const std::string& path,
                   const std::string& digest, sources::SourceOptions& options,
                   Diagnostics& diagnostics)
      : db_(db), digest_(digest), diagnostics_(diagnostics) {
    if (!db_ || options.no_git || options.staged || !options.range.empty() ||
        !options.since_commit.empty() || !sources::is_git_repository(path))
      return;
    std::error_code ec;
    repo_key_ = std::filesystem::canonical(path, ec).string();
    auto known = db_->known_blobs(repo_key_, digest_);
    if (!known) {
      diagnostics_.error(known.error());
      return;
    }
    known_.assign(known->begin(), known->end());
    std::sort(known_.begin(), known_.end());
    options.known_blobs = &known_;
    active_ = true;
  }

  void finish(sources::Source& source, std::vector<Finding>& findings,
              std::size_t first_new) {
    auto* git = dynamic_cast<sources::GitSource*>(&source);
    if (!active_ || !git) return;
    std::vector<Finding> fresh(findings.begin() + first_new, findings.end());
    auto added = db_->add_scanned_blobs(repo_key_, digest_,
                                        git->scanned_blob_ids(), fresh);
    if (!added) diagnostics_.error(added.error());
    if (known_.empty()) return;
    auto old = db_->findings_for_blobs(repo_key_, digest_, known_);
    if (!old) {
      diagnostics_.error(old.error());
      return;
    }
    for (auto& sighting : *old) {
      sighting.finding.stored_identity = std::move(sighting.identity);
      findings.push_back(std::move(sighting.finding));
    }
    log::info("incremental sweep repo={} known_blobs={} old_findings={}",
              repo_key_, known_.size(), old->size());
  }

 private:
  store::Store* db_;
  std::string digest_;
  Diagnostics& diagnostics_;
  std::string repo_key_;
  std::vector<std::string> known_;
  bool active_ = false;
};

void record_in_store(store::Store& db, const ScanConfig& config,
                     const std::string& digest, const ScanOutcome& outcome,
                     Diagnostics& diagnostics) {
  store::ScanStart start;
  start.started = static_cast<int64_t>(std::time(nullptr)) -
                  static_cast<int64_t>(outcome.summary.seconds);
  start.sources = config.paths;
  start.ruleset_hash = digest;
  store::ScanTotals totals;
  totals.finished = static_cast<int64_t>(std::time(nullptr));
  totals.inputs_scanned = outcome.summary.inputs_scanned;
  totals.bytes_scanned = outcome.summary.bytes_scanned;
  totals.findings = outcome.findings.size();
  totals.skipped = diagnostics.skipped_inputs();
  auto recorded = store::record_scan(db, start, outcome.findings, totals);
  if (!recorded) diagnostics.error(recorded.error());
}

}  // namespace

int install_hook(const std::string& repo_path, bool force, std::ostream& err) {
  auto installed = sources::install_pre_commit_hook(repo_path, force);
  if (!installed) {
    err << "sprawl: error: " << installed.error().describe() << "\n";
    return kExitError;
  }
  err << "sprawl: installed the pre-commit hook in " << repo_path << "\n";
  return kExitClean;
}

std::string default_cache_dir() {
  if (const char* dir = std::getenv("SPRAWL_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/sprawl";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/sprawl";
  return {};
}

Expected<ScanOutcome> scan(const ScanConfig& config,
                           Diagnostics& diagnostics) {
  const auto start = std::chrono::steady_clock::now();
  ScanOutcome outcome;
  auto matcher = build_matcher(config, diagnostics, outcome.rules);
  if (!matcher) return fail(matcher.error());
  const unsigned threads =
      config.threads ? config.threads
                     : std::max(1u, std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            threads);
  std::unique_ptr<store::SqliteStore> db;
  if (!config.store_path.empty()) {
    store::StoreOptions store_options;
    store_options.store_secrets = config.store_secrets;
    auto opened = store::SqliteStore::open(config.store_path, store_options);
    if (!opened) return fail(opened.error());
    db = std::move(*opened);
  }
  Progress progress(config.progress);
  matcher::ScanCounters totals;
  std::deque<std::string> pending(config.paths.begin(), config.paths.end());
  while (!pending.empty()) {
    const std::string path = std::move(pending.front());
    pending.pop_front();
    auto source_options = config.source;
    IncrementalSweep sweep(db.get(), path, (*matcher)->digest(),
                           source_options, diagnostics);
    auto source = sources::open_source(path, source_options, diagnostics);
    if (!source) {
      diagnostics.error(source.error());
      continue;
    }
    const std::size_t before = outcome.findings.size();
    scan_source(**source, *matcher, threads, outcome.findings, totals,
                progress);
    sweep.finish(**source, outcome.findings, before);
    for (auto& nested : (*source)->nested_inputs())
      pending.push_back(std::move(nested));
  }
  progress.finish();
  auto& findings = outcome.findings;
  for (auto& f : findings)
    if (f.stored_identity.empty()) verifier::validate(f);
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& f) {
                                  return f.confidence < config.min_confidence;
                                }),
                 findings.end());
  auto baselined = apply_baseline(config, findings, outcome.summary);
  if (!baselined) diagnostics.error(baselined.error());
  if (config.verify)
    verify_live(config, db.get(), findings, outcome.summary, diagnostics);
  std::stable_sort(findings.begin(), findings.end(), finding_less);
  auto& summary = outcome.summary;
  summary.inputs_scanned = totals.blobs;
  summary.bytes_scanned = totals.bytes;
  summary.findings = findings.size();
  summary.suppressed_inline = totals.suppressed_inline;
  summary.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  if (db) record_in_store(*db, config, (*matcher)->digest(), outcome,
                          diagnostics);
  return outcome;
}

int run_scan(const ScanConfig& config, Diagnostics& diagnostics) {
  auto outcome = scan(config, diagnostics);
  if (!outcome) {
    diagnostics.error(outcome.error());
    std::cerr << "sprawl: error: " << outcome.error().describe() << "\n";
    return kExitError;
  }
  outcome->summary.skipped = diagnostics.skipped_inputs();
  outcome->summary.diagnostics = diagnostics.diagnostics();
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!config.output_path.empty() && config.output_path != "-") {
    errno = 0;
    file.open(config.output_path, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "sprawl: error: " << config.output_path
                << ": cannot open output file: " << std::strerror(errno)
                << "\n";
      return kExitError;
    }
    out = &file;
  }
  reporters::ReportOptions options;
  options.show_secrets = config.show_secrets;
  options.color = config.color;
  options.tool_version = SPRAWL_VERSION;
  options.rules = &outcome->rules;
  if (config.paths.size() == 1 && config.paths[0] != "-")
    options.base_dir = config.paths[0];
  auto reporter = reporters::make_reporter(config.format, *out, options);
  reporter->begin();
  for (const auto& f : outcome->findings) reporter->add(f);
  errno = 0;
  reporter->end(outcome->summary);
  out->flush();
  // A reader that went away (`sprawl scan | head`) is a normal end; any
  // other write failure loses the report and must say so.
  const bool write_failed = !*out && errno != EPIPE;
  if (write_failed)
    std::cerr << "sprawl: error: writing the report"
              << (config.output_path.empty() ? std::string()
                                             : " to " + config.output_path)
              << " failed: " << std::strerror(errno ? errno : EIO) << "\n";
  // The text report lists skipped inputs itself; other formats are for
  // machines, so the person running the scan reads them on stderr.
  if ((config.format != reporters::Format::kText || out != &std::cout) &&
      !config.quiet) {
    reporters::ReportOptions plain = options;
    plain.color = false;
    reporters::write_text_summary(std::cerr, outcome->summary, plain);
  }
  if (write_failed || diagnostics.error_count() > 0) return kExitError;
  if (!outcome->findings.empty() && !config.exit_zero) return kExitFindings;
  return kExitClean;
}

}  // namespace sprawl::pipeline
