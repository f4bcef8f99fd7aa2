// AWS SigV4 signing: canonical request, string to sign, derived key,
// signature (see sigv4.h). Follows AWS's "Create a signed request" steps.
#include "verifier/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "verifier/live_digest.h"

namespace sprawl::verifier::detail {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(c));
  return text;
}

// Header values are trimmed and inner runs of spaces collapse to one.
std::string trim_value(const std::string& value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string canonical_query(const std::string& query) {
  if (query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == query.npos) end = query.size();
    std::string part = query.substr(start, end - start);
    size_t eq = part.find('=');
    if (!part.empty())
      params.emplace_back(part.substr(0, eq),
                          eq == part.npos ? "" : part.substr(eq + 1));
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += key + "=" + value;
  }
  return out;
}

}  // namespace

SigV4Signature sign_sigv4(const SigV4Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers)
    headers.emplace_back(lower(name), trim_value(value));
  std::sort(headers.begin(), headers.end());

  SigV4Signature out;
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  out.canonical_request = request.method + "\n" + request.path + "\n" +
                          canonical_query(request.query) + "\n" +
                          canonical_headers + "\n" + out.signed_headers + "\n" +
                          sha256_hex(request.payload);

  std::string day = request.amz_date.substr(0, 8);
  std::string scope =
      day + "/" + request.region + "/" + request.service + "/aws4_request";
  out.string_to_sign = "AWS4-HMAC-SHA256\n" + request.amz_date + "\n" + scope +
                       "\n" + sha256_hex(out.canonical_request);

  std::string key = hmac_sha256("AWS4" + request.secret_key, day);
  key = hmac_sha256(key, request.region);
  key = hmac_sha256(key, request.service);
  key = hmac_sha256(key, "aws4_request");
  out.signature = to_hex(hmac_sha256(key, out.string_to_sign));
  out.authorization = "AWS4-HMAC-SHA256 Credential=" + request.key_id + "/" +
                      scope + ", SignedHeaders=" + out.signed_headers +
                      ", Signature=" + out.signature;
  return out;
}

std::string amz_date_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &utc);
  return buf;
}

}  // namespace sprawl::verifier::detail
