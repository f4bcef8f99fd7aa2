// LiveVerifier (issue 6): classifies findings, assembles multi-part
// credentials per group, answers repeats from the cache, and checks the rest
// on a bounded worker pool with per-host rate limits and a request cap.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>
#include <unordered_map>

#include "sprawl/util/log.h"
#include "sprawl/verifier/live.h"
#include "verifier/http_client.h"
#include "verifier/live_digest.h"
#include "verifier/live_providers.h"

namespace sprawl::verifier {

using detail::Parts;
using detail::ProviderSpec;
using model::Finding;
using model::Verification;
using model::VerificationStatus;

namespace {

Verification make(VerificationStatus status, std::string reason) {
  Verification out;
  out.status = status;
  out.reason = std::move(reason);
  return out;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

Expected<void> check_override(const std::string& provider,
                              const std::string& url, bool allow_http) {
  auto bad = [&](std::string why) {
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "--verify-endpoint " + provider + ": " + why));
  };
  if (!detail::is_known_verifier(provider))
    return bad("no live verifier for this provider");
  std::string host = detail::url_host(url);
  if (host.empty()) return bad("not a URL");
  if (url.starts_with("https://")) return {};
  if (url.starts_with("http://") && allow_http && is_loopback(host)) return {};
  return bad("the endpoint must be https://");
}

// Findings of one file, message or issue share a group; group_id 0 falls
// back to the location itself.
std::string group_key(const Finding& finding) {
  if (finding.group_id != 0) return "g" + std::to_string(finding.group_id);
  const model::Location& at = finding.location;
  std::string url = at.url.substr(0, at.url.find('?'));
  return "l" + at.path + '\n' + at.blob_id + '\n' + url + '\n' +
         at.attribute("issue");
}

std::string normalize_part(const std::string& role, const std::string& text) {
  if (role != "host") return text;
  std::string host = text.find("://") != text.npos
                         ? detail::url_host(text)
                         : text.substr(0, text.find('/'));
  for (char& c : host) c = static_cast<char>(std::tolower(c));
  return host;
}

int rank(VerificationStatus status) {
  switch (status) {
    case VerificationStatus::kLive:
      return 3;
    case VerificationStatus::kRevoked:
      return 2;
    case VerificationStatus::kUnknown:
      return 1;
    case VerificationStatus::kNotChecked:
      return 0;
  }
  return 0;
}

// The provider's answer must never carry the secret into output.
void scrub(Verification& result, const Parts& parts) {
  for (const char* role : {"secret", "app", "token"}) {
    auto it = parts.find(role);
    if (it == parts.end() || it->second.size() < 8) continue;
    auto clean = [&](std::string& text) {
      if (text.find(it->second) != text.npos)
        text = "[redacted " + detail::secret_fingerprint(it->second) + "]";
    };
    clean(result.reason);
    clean(result.expiry);
    for (auto& [label, value] : result.identity) clean(value);
    for (std::string& scope : result.scopes) clean(scope);
  }
}

// One distinct credential to check.
struct Job {
  const ProviderSpec* spec = nullptr;
  Parts parts;
  std::string base;
  std::string key;
  Verification result;
  bool done = false;
  bool stored = false;  ///< answered by the persistent cache
};

// A secret finding and the part findings it was paired with.
struct Credential {
  size_t job = 0;
  std::vector<size_t> members;
};

}  // namespace

Expected<std::pair<std::string, std::string>> parse_endpoint_override(
    std::string_view text) {
  size_t eq = text.find('=');
  if (eq == text.npos || eq == 0 || eq + 1 == text.size())
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "--verify-endpoint wants PROVIDER=URL"));
  std::string provider(text.substr(0, eq));
  for (char& c : provider) c = static_cast<char>(std::tolower(c));
  if (!detail::is_known_verifier(provider))
    return fail(
        make_error(ErrorCode::kInvalidArgument,
                   "--verify-endpoint: no live verifier named " + provider));
  return std::make_pair(provider, std::string(text.substr(eq + 1)));
}

Expected<void> check_live_options(const LiveOptions& options) {
  auto bad = [](std::string why) {
    return fail(make_error(ErrorCode::kInvalidArgument, std::move(why)));
  };
  if (options.concurrency == 0) return bad("--verify-concurrency must be > 0");
  if (options.timeout_ms == 0) return bad("--verify-timeout must be > 0");
  if (!(options.per_host_rps > 0)) return bad("per-host rate must be > 0");
  for (const auto& [provider, url] : options.endpoint_overrides)
    SPRAWL_TRY(check_override(provider, url, options.allow_http_overrides));
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file))
    return bad("cannot read CA file " + options.ca_file);
  return {};
}

std::vector<std::string> live_verifier_ids() {
  std::vector<std::string> ids;
  for (const ProviderSpec& spec : detail::provider_specs()) {
    ids.emplace_back(spec.id);
    ids.emplace_back(spec.provider);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

struct LiveVerifier::Impl {
  explicit Impl(LiveOptions opts)
      : options(std::move(opts)), limiter(options.per_host_rps) {}

  LiveOptions options;
  detail::HostRateLimiter limiter;
  std::unordered_map<std::string, Verification> memory;
  LiveCache hooks;
  LiveStats stats;
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> capped{0};
  std::atomic<uint64_t> rate_limited{0};

  std::string base_for(const ProviderSpec& spec) const;
  std::vector<Credential> assemble(std::vector<Finding>& findings,
                                   std::vector<Job>& jobs);
  void lookup_caches(std::vector<Job>& jobs);
  void run(std::vector<Job>& jobs);
  Verification check(Job& job, detail::HttpClient& client);
  bool take_request_slot();
  void record(std::vector<Job>& jobs, Diagnostics& diagnostics);
};

std::string LiveVerifier::Impl::base_for(const ProviderSpec& spec) const {
  std::string found;
  for (const auto& [provider, url] : options.endpoint_overrides) {
    std::string key = provider;
    for (char& c : key) c = static_cast<char>(std::tolower(c));
    // A verifier id beats its provider slug.
    if (key == spec.id)
      return url.ends_with("/") ? url.substr(0, url.size() - 1) : url;
    if (key == spec.provider) found = url;
  }
  if (found.empty()) return std::string(spec.base);
  while (found.ends_with("/")) found.pop_back();
  return found;
}

bool LiveVerifier::Impl::take_request_slot() {
  uint64_t used = requests.load();
  while (used < options.max_requests)
    if (requests.compare_exchange_weak(used, used + 1)) return true;
  return false;
}

namespace {

using RoleIndex = std::map<std::string, std::vector<size_t>>;

std::string role_key(const std::string& group, const std::string& provider,
                     const std::string& role) {
  return group + '\0' + provider + '\0' + role;
}

// The finding of this role nearest to offset, or npos.
size_t nearest(const RoleIndex& roles, const std::string& key,
               const std::vector<Finding>& findings, uint64_t offset) {
  auto it = roles.find(key);
  if (it == roles.end()) return std::string::npos;
  size_t best = std::string::npos;
  uint64_t best_distance = UINT64_MAX;
  for (size_t j : it->second) {
    uint64_t at = findings[j].offset;
    uint64_t distance = at > offset ? at - offset : offset - at;
    if (distance < best_distance) {
      best = j;
      best_distance = distance;
    }
  }
  return best;
}

std::string job_key(const ProviderSpec& spec, const std::string& base,
                    const Parts& parts) {
  std::string text = std::string(spec.id) + '\n' + base + '\n';
  for (const auto& [role, value] : parts) text += role + '=' + value + '\0';
  return detail::sha256_hex(text);
}

void not_checked(Finding& finding, std::string reason) {
  finding.verification =
      make(VerificationStatus::kNotChecked, std::move(reason));
}

// The classified findings of one verify() call, indexed by (group,
// provider, role) so that a secret finds its parts.
struct Catalog {
  std::vector<std::optional<detail::Classification>> classes;
  std::vector<std::string> groups;
  RoleIndex roles;

  explicit Catalog(std::vector<Finding>& findings) {
    for (size_t i = 0; i < findings.size(); ++i) {
      classes.push_back(detail::classify(findings[i]));
      groups.push_back(group_key(findings[i]));
      if (!classes[i]) {
        not_checked(findings[i], "no live verifier for this finding");
        continue;
      }
      // A checksum or structure the offline validator rejected cannot be a
      // real credential: sending it would only spend the request budget.
      if (findings[i].validation.status == model::ValidationStatus::kInvalid) {
        not_checked(findings[i], "offline validation failed");
        classes[i].reset();
        continue;
      }
      roles[role_key(groups[i], classes[i]->provider, classes[i]->role)]
          .push_back(i);
    }
  }
};

// A secret with the parts its verifier needs, or the first part missing.
struct Pairing {
  const ProviderSpec* spec = nullptr;
  Parts parts;
  std::vector<size_t> members;
  std::string missing;
};

// Tries the verifiers of finding i in order; the first whose required
// parts are all present (own captures first, then the nearest finding of
// that role in the group) wins, and optional parts are attached if near.
Pairing pair_parts(const Catalog& catalog, const std::vector<Finding>& findings,
                   size_t i) {
  const Finding& finding = findings[i];
  const std::string& provider = catalog.classes[i]->provider;
  auto find_part = [&](const std::string& role) {
    return nearest(catalog.roles, role_key(catalog.groups[i], provider, role),
                   findings, finding.offset);
  };
  Pairing out;
  for (std::string_view id : catalog.classes[i]->verifiers) {
    const ProviderSpec* spec = detail::find_spec(id);
    if (!detail::accepts_secret(*spec, finding.secret)) continue;
    out.parts = detail::parts_from_captures(finding);
    out.parts["secret"] = finding.secret;
    out.members = {i};
    out.missing.clear();
    for (const std::string& role : detail::required_parts(*spec)) {
      if (!out.parts[role].empty()) continue;
      std::string site = detail::url_host(finding.location.url);
      if (role == "host" && !spec->host_suffix.empty() &&
          site.ends_with(spec->host_suffix)) {
        // A Jira issue link names the Atlassian site the token belongs to.
        out.parts[role] = site;
        continue;
      }
      size_t j = find_part(role);
      if (j == std::string::npos) {
        out.missing = role;
        break;
      }
      out.parts[role] = normalize_part(role, findings[j].secret);
      out.members.push_back(j);
    }
    if (!out.missing.empty()) continue;
    for (const std::string& role : detail::optional_parts(*spec)) {
      size_t j = find_part(role);
      if (!out.parts[role].empty() || j == std::string::npos) continue;
      out.parts[role] = normalize_part(role, findings[j].secret);
      out.members.push_back(j);
    }
    out.spec = spec;
    return out;
  }
  return out;
}

}  // namespace

std::vector<Credential> LiveVerifier::Impl::assemble(
    std::vector<Finding>& findings, std::vector<Job>& jobs) {
  Catalog catalog(findings);
  std::vector<Credential> credentials;
  std::unordered_map<std::string, size_t> job_of_key;
  std::vector<bool> used(findings.size(), false);
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!catalog.classes[i] || catalog.classes[i]->role != "secret") continue;
    Pairing pairing = pair_parts(catalog, findings, i);
    if (!pairing.spec) {
      not_checked(findings[i], pairing.missing.empty()
                                   ? "no live verifier for this kind of secret"
                                   : "incomplete credential: no " +
                                         pairing.missing + " found near it");
      continue;
    }
    for (size_t m : pairing.members) used[m] = true;

    std::string base = base_for(*pairing.spec);
    std::string key = job_key(*pairing.spec, base, pairing.parts);
    auto [it, inserted] = job_of_key.emplace(key, jobs.size());
    if (inserted)
      jobs.push_back(Job{pairing.spec,
                         std::move(pairing.parts),
                         std::move(base),
                         std::move(key),
                         {},
                         false,
                         false});
    credentials.push_back({it->second, std::move(pairing.members)});
  }

  for (size_t i = 0; i < findings.size(); ++i)
    if (catalog.classes[i] && catalog.classes[i]->role != "secret" && !used[i])
      not_checked(findings[i],
                  "incomplete credential: no secret found near it");
  return credentials;
}

Verification LiveVerifier::Impl::check(Job& job, detail::HttpClient& client) {
  Parts parts = job.parts;
  auto request = detail::build_request(*job.spec, parts, job.base);
  if (!request)
    return make(VerificationStatus::kNotChecked, request.error().message);
  std::string origin = detail::url_origin(request->url);

  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!take_request_slot()) {
      capped.fetch_add(1);
      return make(VerificationStatus::kUnknown, "request cap reached");
    }
    limiter.acquire(origin);
    detail::HttpResponse response = client.perform(*request);
    switch (response.outcome) {
      case detail::HttpOutcome::kOk:
        break;
      case detail::HttpOutcome::kTimeout:
        return make(VerificationStatus::kUnknown, "timeout");
      case detail::HttpOutcome::kTls:
        return make(VerificationStatus::kUnknown, "tls error");
      case detail::HttpOutcome::kTooLarge:
        return make(VerificationStatus::kUnknown, "response too large");
      case detail::HttpOutcome::kNetwork:
        return make(VerificationStatus::kUnknown, "network error");
    }
    if (response.status >= 300 && response.status < 400)
      return make(VerificationStatus::kUnknown, "redirect refused");
    if (response.status != 429) {
      Verification result = detail::map_response(*job.spec, parts, response);
      scrub(result, parts);
      return result;
    }
    rate_limited.fetch_add(1);
    long long wait_ms = detail::retry_after_ms(response.header("retry-after"));
    if (attempt > 0 || wait_ms < 0 ||
        wait_ms > static_cast<long long>(options.max_retry_wait_ms))
      break;
    limiter.defer(origin, std::chrono::milliseconds(wait_ms));
  }
  return make(VerificationStatus::kUnknown, "rate limited");
}

void LiveVerifier::Impl::run(std::vector<Job>& jobs) {
  std::vector<Job*> pending;
  for (Job& job : jobs)
    if (!job.done) pending.push_back(&job);
  if (pending.empty()) return;

  detail::HttpConfig config;
  config.timeout_ms = options.timeout_ms;
  config.ca_file = options.ca_file;
  config.allow_http = options.allow_http_overrides;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    detail::HttpClient client(config);
    for (size_t i = next++; i < pending.size(); i = next++) {
      pending[i]->result = check(*pending[i], client);
      pending[i]->done = true;
    }
  };
  size_t count = std::min<size_t>(options.concurrency, pending.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < count; ++t) threads.emplace_back(worker);
  for (std::thread& thread : threads) thread.join();
}

LiveVerifier::LiveVerifier(LiveOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
LiveVerifier::~LiveVerifier() = default;
LiveVerifier::LiveVerifier(LiveVerifier&&) noexcept = default;
LiveVerifier& LiveVerifier::operator=(LiveVerifier&&) noexcept = default;

void LiveVerifier::set_cache(LiveCache cache) {
  impl_->hooks = std::move(cache);
}

LiveStats LiveVerifier::stats() const {
  LiveStats out = impl_->stats;
  out.requests = impl_->requests.load();
  out.capped = impl_->capped.load();
  out.rate_limited = impl_->rate_limited.load();
  return out;
}

namespace {

void report(const Job& job, Diagnostics& diagnostics) {
  if (job.result.status != VerificationStatus::kUnknown ||
      job.result.reason == "request cap reached")
    return;
  diagnostics.warning(
      make_error(ErrorCode::kNetwork,
                 "live verification inconclusive: " + job.result.reason,
                 std::string(job.spec->id),
                 detail::secret_fingerprint(job.parts.at("secret"))));
}

}  // namespace

void LiveVerifier::Impl::lookup_caches(std::vector<Job>& jobs) {
  for (Job& job : jobs) {
    if (auto hit = memory.find(job.key); hit != memory.end()) {
      job.result = hit->second;
      job.done = true;
    } else if (hooks.lookup) {
      if (auto stored = hooks.lookup(job.key)) {
        job.result = *stored;
        job.done = true;
        job.stored = true;
      }
    }
  }
}

// Counts fresh results, keeps them in memory (all) and in the store (only
// settled ones), and reports inconclusive ones.
void LiveVerifier::Impl::record(std::vector<Job>& jobs,
                                Diagnostics& diagnostics) {
  for (Job& job : jobs) {
    // A result the store supplied is remembered but neither counted as a
    // check nor written back (that would extend its lifetime).
    if (!memory.emplace(job.key, job.result).second || job.stored) continue;
    switch (job.result.status) {
      case VerificationStatus::kLive:
        ++stats.live;
        break;
      case VerificationStatus::kRevoked:
        ++stats.revoked;
        break;
      case VerificationStatus::kUnknown:
        ++stats.unknown;
        break;
      case VerificationStatus::kNotChecked:
        continue;
    }
    ++stats.checked;
    bool settled = job.result.status != VerificationStatus::kUnknown;
    if (settled && hooks.store) hooks.store(job.key, job.result);
    report(job, diagnostics);
  }
}

void LiveVerifier::verify(std::vector<Finding>& findings,
                          Diagnostics& diagnostics) {
  Impl& impl = *impl_;
  if (auto ok = check_live_options(impl.options); !ok) {
    diagnostics.error(ok.error());
    for (Finding& finding : findings)
      not_checked(finding, "live verification options are invalid");
    return;
  }
  std::vector<Job> jobs;
  std::vector<Credential> credentials = impl.assemble(findings, jobs);
  impl.lookup_caches(jobs);
  size_t before = impl.requests.load();
  uint64_t capped_before = impl.capped.load();
  size_t pending = std::count_if(jobs.begin(), jobs.end(),
                                 [](const Job& job) { return !job.done; });
  impl.run(jobs);
  impl.stats.cache_hits += credentials.size() - pending;
  impl.record(jobs, diagnostics);
  if (uint64_t capped = impl.capped.load() - capped_before; capped > 0)
    diagnostics.warning(make_error(
        ErrorCode::kLimit, "live verification request cap (" +
                               std::to_string(impl.options.max_requests) +
                               ") reached; " + std::to_string(capped) +
                               " credentials not checked"));

  std::vector<int> best(findings.size(), -1);
  for (const Credential& credential : credentials) {
    const Verification& result = jobs[credential.job].result;
    for (size_t m : credential.members) {
      if (rank(result.status) <= best[m]) continue;
      best[m] = rank(result.status);
      findings[m].verification = result;
    }
  }
  log::debug("live verification credentials={} distinct={} requests={}",
             credentials.size(), jobs.size(), impl.requests.load() - before);
}

}  // namespace sprawl::verifier
