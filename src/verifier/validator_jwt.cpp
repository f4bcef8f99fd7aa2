// Offline JWT check: decodes the header and claims (never the signature's
// validity, which needs the issuer's key) and reports alg, issuer, subject,
// audience, expiry and the Supabase role.
#include <simdjson.h>

#include <ctime>
#include <optional>
#include <vector>

#include "verifier/offline_codec.h"
#include "verifier/validator_internal.h"

namespace sprawl::verifier::detail {
namespace {

using model::Finding;

// One parser per thread: dom::parser keeps its buffers between parses, and
// sharing one across threads would race.
simdjson::dom::parser& json_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

std::vector<std::string_view> split_dots(std::string_view token) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

std::optional<simdjson::dom::object> parse_object(std::string_view part) {
  std::optional<std::string> json = offline::base64_decode(part);
  if (!json) return std::nullopt;
  simdjson::dom::object object;
  if (json_parser().parse(json->data(), json->size()).get(object) !=
      simdjson::SUCCESS)
    return std::nullopt;
  return object;
}

void add_string(Finding& finding, simdjson::dom::object object,
                std::string_view key, std::string name) {
  std::string_view value;
  if (object.at_key(key).get_string().get(value) == simdjson::SUCCESS)
    add_decoded(finding, std::move(name), std::string(value));
}

// aud is a string or an array of strings; an array is joined with ','.
void add_audience(Finding& finding, simdjson::dom::object claims) {
  simdjson::dom::array list;
  if (claims.at_key("aud").get_array().get(list) != simdjson::SUCCESS)
    return add_string(finding, claims, "aud", "jwt.aud");
  std::string joined;
  for (simdjson::dom::element item : list) {
    std::string_view value;
    if (item.get_string().get(value) != simdjson::SUCCESS) continue;
    if (!joined.empty()) joined += ',';
    joined += value;
  }
  add_decoded(finding, "jwt.aud", std::move(joined));
}

void add_expiry(Finding& finding, simdjson::dom::object claims) {
  double exp = 0;
  if (claims.at_key("exp").get_double().get(exp) != simdjson::SUCCESS) return;
  // Past year 9999 (or NaN) the cast to seconds would overflow.
  if (!(exp >= 0 && exp < 253402300800.0)) return;
  add_decoded(finding, "jwt.exp", iso8601_utc(static_cast<int64_t>(exp)));
  bool expired = exp < static_cast<double>(std::time(nullptr));
  add_decoded(finding, "jwt.expired", expired ? "true" : "false");
  // A token past its expiry opens nothing on a server that checks it: the
  // usual case of sample tokens in documentation and tests.
  if (expired) finding.confidence = model::lower(finding.confidence);
}

// Header fields must be copied out before the claims are parsed: the
// parser's second parse invalidates the first document.
std::optional<std::string> read_header(Finding& finding,
                                       std::string_view part) {
  std::optional<simdjson::dom::object> header = parse_object(part);
  if (!header) return std::nullopt;
  std::string_view alg;
  if (header->at_key("alg").get_string().get(alg) != simdjson::SUCCESS)
    alg = {};
  add_decoded(finding, "jwt.alg", std::string(alg));
  add_string(finding, *header, "enc", "jwt.enc");
  add_string(finding, *header, "kid", "jwt.kid");
  return std::string(alg);
}

}  // namespace

void check_jwt(Finding& finding, std::string_view secret) {
  std::vector<std::string_view> parts = split_dots(secret);
  // Other keys are base64 JSON too (Grafana's "eyJrIjoi..."): only a
  // JWT-kind finding is judged by JWT structure.
  if (parts.size() != 3 && parts.size() != 5) {
    if (finding.kind != model::Kind::kJwt)
      return set_unchecked(finding, "not a JWT");
    return set_invalid(finding, "not a JWT: expected 3 dot-separated parts");
  }
  std::optional<std::string> alg = read_header(finding, parts[0]);
  if (!alg) return set_invalid(finding, "header is not base64url JSON");
  if (parts.size() == 5) return set_valid(finding, "JWE: claims encrypted");

  std::optional<simdjson::dom::object> claims = parse_object(parts[1]);
  if (!claims) return set_invalid(finding, "payload is not base64url JSON");
  add_string(finding, *claims, "iss", "jwt.iss");
  add_string(finding, *claims, "sub", "jwt.sub");
  add_audience(finding, *claims);
  add_expiry(finding, *claims);
  add_string(finding, *claims, "role", "jwt.role");

  bool unsigned_alg = *alg == "none" || *alg == "None" || *alg == "NONE";
  if (!unsigned_alg && (parts[2].empty() || !offline::base64_decode(parts[2])))
    return set_invalid(finding, "signature is not base64url");
  set_valid(finding,
            unsigned_alg ? "decoded; alg none: unsigned token" : "decoded");
}

}  // namespace sprawl::verifier::detail
