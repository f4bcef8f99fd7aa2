// Live verification (issue 6): asks each found credential's own provider,
// over HTTPS at a fixed endpoint, whether it is live and what it can do.
// Opt-in (--verify); runs after the offline validator, before the inventory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/util/diagnostics.h"
#include "sprawl/util/expected.h"

namespace sprawl::verifier {

/// Limits and endpoints of one verification run. Plain data; check it with
/// check_live_options() before constructing a LiveVerifier.
struct LiveOptions {
  /// Requests in flight at once (worker threads).
  unsigned concurrency = 8;
  /// Whole-request timeout (connect + TLS + response).
  unsigned timeout_ms = 10000;
  /// Total HTTP requests per LiveVerifier (retries included); credentials
  /// beyond it end as unknown "request cap reached".
  unsigned max_requests = 1000;
  /// Requests per second to one host (scheme://host:port).
  double per_host_rps = 5.0;
  /// A 429 whose Retry-After is at most this is retried once after the wait;
  /// a longer one ends as unknown "rate limited".
  unsigned max_retry_wait_ms = 5000;
  /// PROVIDER=URL pairs from --verify-endpoint. The key is a provider slug
  /// ("github", overriding every verifier of that provider) or a verifier id
  /// ("slack-webhook"); the URL replaces the scheme, host and base path of
  /// the fixed endpoint (GitHub Enterprise: https://ghe.example.com/api/v3).
  std::vector<std::pair<std::string, std::string>> endpoint_overrides;
  /// Extra PEM CA certificates trusted in addition to the system bundle
  /// (tests with a self-signed 127.0.0.1 server, private GHE CAs).
  std::string ca_file;
  /// Allows http:// overrides, and only to 127.0.0.1 / localhost (tests).
  bool allow_http_overrides = false;
};

/// Counters of one LiveVerifier, for the scan summary.
struct LiveStats {
  uint64_t requests = 0;      ///< HTTP requests sent (retries included)
  uint64_t cache_hits = 0;    ///< credentials answered from a cache
  uint64_t capped = 0;        ///< credentials not sent: request cap reached
  uint64_t rate_limited = 0;  ///< 429 answers received
  uint64_t checked = 0;       ///< distinct credentials with a result
  uint64_t live = 0;
  uint64_t revoked = 0;
  uint64_t unknown = 0;
};

/// Optional persistent cache (the store, issue 7). Keys are hex SHA-256 of
/// (verifier, endpoint, credential parts): no plain secret. Both hooks are
/// called from the thread that calls verify(); lookup returns nullopt when
/// there is no fresh entry (the store applies its own lifetime). Only live
/// and revoked results are stored; unknown ones are retried next run.
struct LiveCache {
  std::function<std::optional<model::Verification>(const std::string& key)>
      lookup;
  std::function<void(const std::string& key, const model::Verification&)> store;
};

/// Parses one --verify-endpoint value "PROVIDER=URL". Fails (kInvalidArgument)
/// on a missing '=', an empty side, or a provider with no verifier.
[[nodiscard]] Expected<std::pair<std::string, std::string>>
parse_endpoint_override(std::string_view text);

/// Checks options: concurrency, timeout and rate > 0, every override names a
/// known provider and is https:// (or http:// to 127.0.0.1/localhost when
/// allow_http_overrides), ca_file readable. Error names the bad option.
[[nodiscard]] Expected<void> check_live_options(const LiveOptions& options);

/// Provider slugs and verifier ids known to the live verifier, sorted.
std::vector<std::string> live_verifier_ids();

/// Verifies findings against their providers. Each distinct (verifier,
/// endpoint, credential) is sent at most once per LiveVerifier (results are
/// cached in memory). Not thread-safe: call verify() from one thread; it runs
/// its own bounded worker pool and blocks until every request is answered or
/// timed out. Never throws; never puts a secret in a message.
class LiveVerifier {
 public:
  explicit LiveVerifier(LiveOptions options);
  ~LiveVerifier();
  LiveVerifier(LiveVerifier&&) noexcept;
  LiveVerifier& operator=(LiveVerifier&&) noexcept;

  /// Sets finding.verification of every finding in place: kLive / kRevoked /
  /// kUnknown (reason says why) for findings with a verifier, kNotChecked
  /// with a reason otherwise. Multi-part credentials (AWS key id + secret,
  /// Twilio SID + token, Atlassian email + token + site, Datadog API + app
  /// key, Shopify shop + token) are assembled from findings with the same
  /// group_id (or, when group_id is 0, the same source location: path, blob,
  /// url and issue/channel attributes), pairing each secret with the nearest
  /// part by offset; every finding that contributed gets the result.
  /// Inconclusive results and option errors are reported to diagnostics as
  /// warnings naming the verifier and a short fingerprint of the secret.
  void verify(std::vector<model::Finding>& findings, Diagnostics& diagnostics);

  /// Counters since construction.
  LiveStats stats() const;

  /// Installs the persistent cache hooks (optional).
  void set_cache(LiveCache cache);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sprawl::verifier
