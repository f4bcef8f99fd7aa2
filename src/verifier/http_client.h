// HTTP client for live verification: one libcurl easy handle per worker,
// HTTPS only, no redirects, bounded time and body size; plus the per-host
// rate limiter shared by the workers. Private to src/verifier.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sprawl::verifier::detail {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  /// "Name: value" lines; values may hold secrets, so never log them.
  std::vector<std::string> headers;
  std::string body;
};

enum class HttpOutcome { kOk, kTimeout, kNetwork, kTls, kTooLarge };

struct HttpResponse {
  HttpOutcome outcome = HttpOutcome::kNetwork;
  long status = 0;
  /// Lowercase names; values as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header with this lowercase name, or empty.
  std::string_view header(std::string_view name) const;
};

struct HttpConfig {
  unsigned timeout_ms = 10000;
  std::string ca_file;      ///< extra trusted CA certificates (PEM)
  bool allow_http = false;  ///< plain http:// (loopback overrides only)
  size_t max_body_bytes = 1 << 20;
};

/// One connection-reusing client. Not thread-safe: one per worker thread.
class HttpClient {
 public:
  explicit HttpClient(HttpConfig config);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends request; never follows a redirect (the 3xx is returned as is).
  /// Transport failures come back as an outcome, never as an exception.
  HttpResponse perform(const HttpRequest& request);

 private:
  HttpConfig config_;
  void* curl_ = nullptr;
};

/// "scheme://host:port" of url (lowercase host), the rate-limit key.
std::string url_origin(std::string_view url);
/// Host of url without port, lowercase; empty when url does not parse.
std::string url_host(std::string_view url);
/// Path (and query) of url, "/" when absent.
std::string url_path(std::string_view url);

/// Spaces requests to each origin at least 1/rps apart, and holds an origin
/// back after a Retry-After. Thread-safe.
class HostRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit HostRateLimiter(double per_host_rps);

  /// Blocks until this caller may send to origin.
  void acquire(const std::string& origin);
  /// No request to origin before now + wait.
  void defer(const std::string& origin, std::chrono::milliseconds wait);

 private:
  std::mutex mutex_;
  Clock::duration interval_;
  std::map<std::string, Clock::time_point> next_;
};

/// Parses Retry-After (delta seconds or an HTTP date) into milliseconds from
/// now; -1 when absent or unparseable.
long long retry_after_ms(std::string_view value);

}  // namespace sprawl::verifier::detail
