// A real HTTP(S) server on 127.0.0.1 for the live-verifier tests: a fresh
// self-signed certificate per run (OpenSSL), one thread per connection, and
// counters of requests, concurrent connections and requests per second.
// Header-only because tests/CMakeLists.txt compiles only *_test.cpp files.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sprawl::test {

struct MockRequest {
  std::string method;
  std::string target;  ///< path and query as sent
  std::vector<std::pair<std::string, std::string>> headers;  ///< lowercase
  std::string body;

  std::string path() const { return target.substr(0, target.find('?')); }
  std::string query() const {
    size_t q = target.find('?');
    return q == std::string::npos ? "" : target.substr(q + 1);
  }
  std::string header(const std::string& name) const {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return {};
  }
};

struct MockResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int delay_ms = 0;  ///< sleep before answering (timeouts)
};

using MockHandler = std::function<MockResponse(const MockRequest&)>;

/// A self-signed certificate for IP 127.0.0.1, written to a temporary PEM
/// file for LiveOptions::ca_file. Generated once per test process.
class TestCertificate {
 public:
  static const TestCertificate& get() {
    static TestCertificate instance;
    return instance;
  }
  EVP_PKEY* key() const { return key_; }
  X509* cert() const { return cert_; }
  const std::string& ca_file() const { return ca_file_; }

 private:
  TestCertificate() {
    key_ = EVP_EC_gen("P-256");
    cert_ = X509_new();
    X509_set_version(cert_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_),
                     static_cast<long>(std::time(nullptr)));
    X509_gmtime_adj(X509_getm_notBefore(cert_), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 86400);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC,
        reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert_, name);
    add_extension(NID_subject_alt_name, "IP:127.0.0.1");
    add_extension(NID_basic_constraints, "critical,CA:TRUE");
    add_extension(NID_key_usage, "critical,digitalSignature,keyCertSign");
    X509_sign(cert_, key_, EVP_sha256());

    ca_file_ = (std::filesystem::temp_directory_path() /
                ("sprawl-live-ca-" + std::to_string(::getpid()) + ".pem"))
                   .string();
    FILE* file = std::fopen(ca_file_.c_str(), "w");
    PEM_write_X509(file, cert_);
    std::fclose(file);
  }
  ~TestCertificate() {
    std::filesystem::remove(ca_file_);
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  void add_extension(int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert_, cert_, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert_, ext, -1);
    X509_EXTENSION_free(ext);
  }

  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  std::string ca_file_;
};

/// The server. Starts listening in the constructor; stops (interrupting
/// delayed answers) in the destructor. Thread-safe accessors.
class MockServer {
 public:
  explicit MockServer(MockHandler handler, bool tls = true)
      : handler_(std::move(handler)), tls_(tls) {
    std::signal(SIGPIPE, SIG_IGN);
    if (tls_) {
      const TestCertificate& cert = TestCertificate::get();
      ctx_ = SSL_CTX_new(TLS_server_method());
      SSL_CTX_use_certificate(ctx_, cert.cert());
      SSL_CTX_use_PrivateKey(ctx_, cert.key());
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 128);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~MockServer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    acceptor_.join();
    ::close(listen_fd_);
    for (std::thread& t : connections_) t.join();
    if (ctx_) SSL_CTX_free(ctx_);
  }

  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  std::string base_url() const {
    return std::string(tls_ ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(port_);
  }
  const std::string& ca_file() const {
    return TestCertificate::get().ca_file();
  }

  void set_handler(MockHandler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }
  std::vector<MockRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  size_t request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  /// TCP connections accepted (including ones that sent no request).
  size_t connection_count() const { return accepted_.load(); }
  /// Most requests being answered at once.
  int max_concurrent() const { return max_active_.load(); }
  /// Most requests that arrived within any window of window_ms.
  size_t max_in_window(int window_ms) const {
    std::lock_guard lock(mutex_);
    size_t best = 0;
    for (size_t i = 0; i < arrivals_.size(); ++i) {
      size_t n = 0;
      for (size_t j = i; j < arrivals_.size(); ++j)
        if (arrivals_[j] - arrivals_[i] < std::chrono::milliseconds(window_ms))
          ++n;
      best = std::max(best, n);
    }
    return best;
  }
  void reset() {
    std::lock_guard lock(mutex_);
    requests_.clear();
    arrivals_.clear();
    max_active_ = 0;
    accepted_ = 0;
  }

 private:
  using Clock = std::chrono::steady_clock;

  struct Conn {
    int fd;
    SSL* ssl;
    int read(char* buf, int n) {
      return ssl ? SSL_read(ssl, buf, n)
                 : static_cast<int>(::recv(fd, buf, n, 0));
    }
    void write(const std::string& data) {
      if (ssl)
        SSL_write(ssl, data.data(), static_cast<int>(data.size()));
      else
        ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    }
  };

  void accept_loop() {
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      pollfd pfd{listen_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 50) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, fd] { serve(fd); });
    }
  }

  bool read_request(Conn& conn, MockRequest& request) {
    std::string data;
    char buf[4096];
    size_t header_end;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      int n = conn.read(buf, sizeof buf);
      if (n <= 0 || data.size() > (1 << 20)) return false;
      data.append(buf, static_cast<size_t>(n));
    }
    std::string head = data.substr(0, header_end);
    size_t line_end = head.find("\r\n");
    std::string line = head.substr(0, line_end);
    size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
    request.method = line.substr(0, sp1);
    request.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t end = head.find("\r\n", pos);
      if (end == std::string::npos) end = head.size();
      std::string h = head.substr(pos, end - pos);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(c));
        std::string value = h.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        request.headers.emplace_back(name, value);
      }
      pos = end + 2;
    }
    std::string length = request.header("content-length");
    size_t want = length.empty() ? 0 : std::stoul(length);
    request.body = data.substr(header_end + 4);
    while (request.body.size() < want) {
      int n = conn.read(buf, sizeof buf);
      if (n <= 0) return false;
      request.body.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  void serve(int fd) {
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Conn conn{fd, nullptr};
    bool ok = true;
    if (tls_) {
      conn.ssl = SSL_new(ctx_);
      SSL_set_fd(conn.ssl, fd);
      ok = SSL_accept(conn.ssl) == 1;
    }
    MockRequest request;
    if (ok && read_request(conn, request)) answer(conn, request);
    if (conn.ssl) {
      SSL_shutdown(conn.ssl);
      SSL_free(conn.ssl);
    }
    ::close(fd);
  }

  // Concurrency is counted from a complete request to the written answer:
  // the requests a client has in flight, not sockets lingering in close.
  void answer(Conn& conn, const MockRequest& request) {
    int active = ++active_;
    int seen = max_active_.load();
    while (active > seen && !max_active_.compare_exchange_weak(seen, active)) {
    }
    respond(conn, request);
    --active_;
  }

  void respond(Conn& conn, const MockRequest& request) {
    MockHandler handler;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      arrivals_.push_back(Clock::now());
      handler = handler_;
    }
    MockResponse response = handler(request);
    if (response.delay_ms > 0) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(response.delay_ms),
                     [this] { return stopping_; });
      if (stopping_) return;
    }
    std::string out =
        "HTTP/1.1 " + std::to_string(response.status) +
        " Mock\r\nContent-Length: " + std::to_string(response.body.size()) +
        "\r\nConnection: close\r\n";
    for (const auto& [name, value] : response.headers)
      out += name + ": " + value + "\r\n";
    out += "\r\n" + response.body;
    conn.write(out);
  }

  MockHandler handler_;
  bool tls_;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::list<std::thread> connections_;
  std::vector<MockRequest> requests_;
  std::vector<Clock::time_point> arrivals_;
  std::atomic<int> active_{0};
  std::atomic<int> max_active_{0};
  std::atomic<size_t> accepted_{0};
};

}  // namespace sprawl::test
