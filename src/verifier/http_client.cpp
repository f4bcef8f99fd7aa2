// libcurl client for live verification (see http_client.h). Safety lives
// here: protocols restricted to HTTPS, redirects never followed, proxies
// bypassed for loopback, errors reduced to fixed words (curl's messages can
// carry a URL, and some providers put the secret in the path).
#include "verifier/http_client.h"

#include <curl/curl.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <memory>
#include <thread>

namespace sprawl::verifier::detail {
namespace {

std::once_flag g_curl_init;

struct Transfer {
  HttpResponse* response;
  size_t max_body_bytes;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (transfer->response->body.size() + bytes > transfer->max_body_bytes) {
    transfer->too_large = true;
    return 0;
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  std::string_view line(data, bytes);
  // A new status line (100 Continue, or none expected since redirects are
  // not followed) resets the headers collected so far.
  if (line.starts_with("HTTP/")) transfer->response->headers.clear();
  size_t colon = line.find(':');
  if (colon == line.npos) return bytes;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(c));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() &&
         (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  transfer->response->headers.emplace_back(std::move(name), std::string(value));
  return bytes;
}

// Adds the certificates of an extra CA file to the OpenSSL store curl built
// from the system bundle, so that tests and private CAs add trust rather
// than replace it.
CURLcode add_extra_ca(CURL*, void* ssl_ctx, void* user) {
  const auto* path = static_cast<const std::string*>(user);
  std::unique_ptr<FILE, decltype(&fclose)> file(fopen(path->c_str(), "r"),
                                                fclose);
  if (!file) return CURLE_SSL_CACERT_BADFILE;
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  int added = 0;
  while (X509* cert = PEM_read_X509(file.get(), nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store, cert) == 1) ++added;
    X509_free(cert);
  }
  return added > 0 ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

HttpOutcome classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return HttpOutcome::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return HttpOutcome::kTls;
    default:
      return HttpOutcome::kNetwork;
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

}  // namespace

std::string_view HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return {};
}

HttpClient::HttpClient(HttpConfig config) : config_(std::move(config)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpClient::perform(const HttpRequest& request) {
  HttpResponse response;
  auto* curl = static_cast<CURL*>(curl_);
  if (!curl) return response;
  curl_easy_reset(curl);
  Transfer transfer{&response, config_.max_body_bytes};

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR,
                   config_.allow_http ? "https,http" : "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(config_.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "sprawl/" SPRAWL_VERSION);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  if (!config_.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, add_extra_ca);
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &config_.ca_file);
  }
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  curl_slist* headers = nullptr;
  // An empty Expect stops curl from waiting for 100-continue on POST.
  headers = curl_slist_append(headers, "Expect:");
  for (const auto& line : request.headers)
    headers = curl_slist_append(headers, line.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  if (transfer.too_large) {
    response.outcome = HttpOutcome::kTooLarge;
  } else if (code != CURLE_OK) {
    response.outcome = classify(code);
  } else {
    response.outcome = HttpOutcome::kOk;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  }
  return response;
}

std::string url_origin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == url.npos) return {};
  size_t end = url.find_first_of("/?#", scheme + 3);
  return lower(url.substr(0, end));
}

std::string url_host(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == url.npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.find('@') != rest.npos) return {};  // userinfo: refuse
  if (rest.starts_with("[")) return lower(rest.substr(0, rest.find(']') + 1));
  return lower(rest.substr(0, rest.find(':')));
}

std::string url_path(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == url.npos) return "/";
  size_t start = url.find_first_of("/?", scheme + 3);
  if (start == url.npos) return "/";
  return std::string(url.substr(start));
}

HostRateLimiter::HostRateLimiter(double per_host_rps)
    : interval_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(1.0 / std::max(per_host_rps, 0.001)))) {
}

void HostRateLimiter::acquire(const std::string& origin) {
  Clock::time_point slot;
  {
    std::lock_guard lock(mutex_);
    Clock::time_point& next = next_[origin];
    slot = std::max(Clock::now(), next);
    next = slot + interval_;
  }
  std::this_thread::sleep_until(slot);
}

void HostRateLimiter::defer(const std::string& origin,
                            std::chrono::milliseconds wait) {
  std::lock_guard lock(mutex_);
  Clock::time_point& next = next_[origin];
  next = std::max(next, Clock::now() + wait);
}

long long retry_after_ms(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return -1;
    return std::stoll(std::string(value)) * 1000;
  }
  time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when < 0) return -1;
  long long delta = static_cast<long long>(when - std::time(nullptr));
  return std::max(0LL, delta) * 1000;
}

}  // namespace sprawl::verifier::detail
