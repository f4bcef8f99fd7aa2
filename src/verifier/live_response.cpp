// Table-driven request building and response mapping for live verifiers
// (see live_providers.h): placeholders in, status/identity/scopes out.
#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "verifier/live_digest.h"
#include "verifier/live_providers.h"

namespace sprawl::verifier::detail {
namespace {

using model::Verification;
using model::VerificationStatus;

Error part_error(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

bool is_hostname(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' ||
      host.find("..") != host.npos)
    return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

enum class Context { kRaw, kPath };

// Replaces "{name}" with parts; in paths, parts are URI-encoded except the
// prepared "path" part, which a prepare hook already validated.
Expected<std::string> expand(std::string_view text, const Parts& parts,
                             Context context) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    size_t close = open == text.npos ? text.npos : text.find('}', open);
    if (close == text.npos) {
      out += text.substr(pos);
      break;
    }
    std::string name(text.substr(open + 1, close - open - 1));
    bool placeholder =
        !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return std::islower(static_cast<unsigned char>(c)) || c == '_';
        });
    if (!placeholder) {  // literal braces, as in a JSON body "{}"
      out += text.substr(pos, close + 1 - pos);
      pos = close + 1;
      continue;
    }
    out += text.substr(pos, open - pos);
    auto it = parts.find(name);
    if (it == parts.end() || it->second.empty())
      return fail(part_error("credential part missing: " + name));
    if (has_control(it->second))
      return fail(
          part_error("credential part has control characters: " + name));
    bool encode = context == Context::kPath && name != "path";
    out += encode ? percent_encode(it->second, ":") : it->second;
    pos = close + 1;
  }
  return out;
}

Expected<std::string> resolve_base(const ProviderSpec& spec, Parts& parts,
                                   const std::string& base) {
  if (base != spec.base) return base;  // an explicit override wins
  if (spec.base.find("{host}") == std::string_view::npos) return base;
  std::string host = parts["host"];
  for (char& c : host) c = static_cast<char>(std::tolower(c));
  parts["host"] = host;
  if (!is_hostname(host) || !host.ends_with(spec.host_suffix))
    return fail(
        part_error("host is not a " + std::string(spec.host_suffix) + " name"));
  return expand(spec.base, parts, Context::kRaw);
}

}  // namespace

Expected<HttpRequest> build_request(const ProviderSpec& spec, Parts& parts,
                                    const std::string& base) {
  // Control characters are refused where a part is placed (expand), so a
  // multi-line service-account key can still reach its signing hook.
  if (spec.prepare) SPRAWL_TRY(spec.prepare(parts));
  auto resolved = resolve_base(spec, parts, base);
  if (!resolved) return fail(resolved.error());
  if (spec.build) return spec.build(spec, parts, *resolved);

  HttpRequest request;
  request.method = std::string(spec.method);
  auto path = expand(spec.path, parts, Context::kPath);
  if (!path) return fail(path.error());
  request.url = *resolved + *path;
  for (std::string_view header : spec.headers) {
    if (header.empty()) continue;
    auto line = expand(header, parts, Context::kRaw);
    if (!line) return fail(line.error());
    request.headers.push_back(std::move(*line));
  }
  if (!spec.basic_user.empty()) {
    auto user = expand(spec.basic_user, parts, Context::kRaw);
    auto password = expand(spec.basic_password, parts, Context::kRaw);
    if (!user) return fail(user.error());
    if (!password) return fail(password.error());
    request.headers.push_back("Authorization: Basic " +
                              base64(*user + ":" + *password));
  }
  if (!spec.content_type.empty())
    request.headers.push_back("Content-Type: " +
                              std::string(spec.content_type));
  auto body = expand(spec.body, parts, Context::kRaw);
  if (!body) return fail(body.error());
  request.body = std::move(*body);
  return request;
}

namespace {

// The values at a dotted JSON path; '*' visits every array element.
void json_values(simdjson::dom::element node, std::string_view path,
                 std::vector<std::string>& out) {
  if (path.empty()) {
    std::string_view text;
    int64_t integer;
    uint64_t unsigned_integer;
    double real;
    bool flag;
    if (node.get(text) == simdjson::SUCCESS) {
      out.emplace_back(text);
    } else if (node.get(integer) == simdjson::SUCCESS) {
      out.push_back(std::to_string(integer));
    } else if (node.get(unsigned_integer) == simdjson::SUCCESS) {
      out.push_back(std::to_string(unsigned_integer));
    } else if (node.get(real) == simdjson::SUCCESS) {
      out.push_back(std::to_string(real));
    } else if (node.get(flag) == simdjson::SUCCESS) {
      out.emplace_back(flag ? "true" : "false");
    } else if (simdjson::dom::array array;
               node.get(array) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : array) json_values(item, "", out);
    }
    return;
  }
  size_t dot = path.find('.');
  std::string_view key = path.substr(0, dot);
  std::string_view rest = dot == path.npos ? "" : path.substr(dot + 1);
  simdjson::dom::array array;
  if (node.get(array) == simdjson::SUCCESS) {
    if (key == "*") {
      for (simdjson::dom::element item : array) json_values(item, rest, out);
      return;
    }
    if (key.empty() || !std::isdigit(static_cast<unsigned char>(key[0])))
      return;
    simdjson::dom::element item;
    if (array.at(std::stoul(std::string(key))).get(item) == simdjson::SUCCESS)
      json_values(item, rest, out);
    return;
  }
  simdjson::dom::object object;
  simdjson::dom::element child;
  if (node.get(object) == simdjson::SUCCESS &&
      object.at_key(key).get(child) == simdjson::SUCCESS)
    json_values(child, rest, out);
}

std::string xml_value(std::string_view body, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  size_t start = body.find(open);
  if (start == body.npos) return {};
  start += open.size();
  size_t end = body.find(close, start);
  if (end == body.npos) return {};
  return std::string(body.substr(start, end - start));
}

// A parsed answer: the body (JSON or not) and the headers and parts, so
// that a "source" string from the table can be looked up uniformly.
struct Answer {
  const HttpResponse& response;
  const Parts& parts;
  simdjson::dom::element json;
  bool json_ok = false;

  std::vector<std::string> values(std::string_view source) const {
    std::vector<std::string> out;
    size_t colon = source.find(':');
    std::string_view kind = source.substr(0, colon);
    std::string_view name = source.substr(colon + 1);
    if (kind == "json" && json_ok) {
      json_values(json, name, out);
    } else if (kind == "header") {
      std::string_view value = response.header(name);
      if (!value.empty()) out.emplace_back(value);
    } else if (kind == "xml") {
      std::string value = xml_value(response.body, name);
      if (!value.empty()) out.push_back(std::move(value));
    } else if (kind == "part") {
      auto it = parts.find(std::string(name));
      if (it != parts.end() && !it->second.empty()) out.push_back(it->second);
    }
    return out;
  }

  std::string value(std::string_view source) const {
    auto all = values(source);
    return all.empty() ? std::string() : all.front();
  }
};

bool contains(const std::array<int, 3>& set, long status) {
  return std::find(set.begin(), set.end(), static_cast<int>(status)) !=
         set.end();
}

// A provider's error code goes into a reason only when it looks like a code
// (a word), so that a body echoing the request cannot leak into output.
std::string safe_code(std::string_view code) {
  if (code.empty() || code.size() > 48) return {};
  bool word = std::all_of(code.begin(), code.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '-' || c == '.';
  });
  return word ? std::string(code) : std::string();
}

bool is_revoking_error(const ProviderSpec& spec, const std::string& code) {
  return !code.empty() &&
         std::find(spec.revoked_errors.begin(), spec.revoked_errors.end(),
                   code) != spec.revoked_errors.end();
}

Verification make(VerificationStatus status, std::string reason) {
  Verification out;
  out.status = status;
  out.reason = std::move(reason);
  return out;
}

void split_scopes(const std::string& text, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == text.npos) comma = text.size();
    std::string scope = text.substr(start, comma - start);
    scope.erase(0, scope.find_first_not_of(' '));
    scope.erase(scope.find_last_not_of(' ') + 1);
    if (!scope.empty()) out.push_back(std::move(scope));
    start = comma + 1;
  }
}

void describe_identity(const ProviderSpec& spec, const Answer& answer,
                       Verification& out) {
  for (const FieldSource& field : spec.identity) {
    if (field.label.empty()) continue;
    std::string value = answer.value(field.source);
    if (!value.empty()) out.identity.emplace_back(field.label, value);
  }
  if (!spec.scopes.empty()) {
    for (const std::string& value : answer.values(spec.scopes)) {
      if (spec.scopes.starts_with("header:"))
        split_scopes(value, out.scopes);
      else
        out.scopes.push_back(value);
    }
  }
  if (!spec.expiry.empty()) out.expiry = answer.value(spec.expiry);
}

bool text_has_any(std::string_view body, std::string_view alternatives) {
  while (!alternatives.empty()) {
    size_t bar = alternatives.find('|');
    if (body.find(alternatives.substr(0, bar)) != body.npos) return true;
    alternatives = bar == alternatives.npos ? "" : alternatives.substr(bar + 1);
  }
  return false;
}

// A live status whose body proves it: JSON parses and ok_field is set, or
// XML/text contains the marker. Anything else is not the provider talking.
Verification map_live(const ProviderSpec& spec, const Answer& answer) {
  const std::string& body = answer.response.body;
  if (spec.body_kind == BodyKind::kJson && !answer.json_ok)
    return make(VerificationStatus::kUnknown, "malformed response");
  if (spec.body_kind != BodyKind::kJson && !spec.ok_field.empty() &&
      !text_has_any(body, spec.ok_field))
    return make(VerificationStatus::kUnknown, "malformed response");
  if (spec.body_kind == BodyKind::kJson && !spec.ok_field.empty()) {
    std::string ok = answer.value("json:" + std::string(spec.ok_field));
    if (ok.empty() || ok == "false") {
      std::string code = safe_code(answer.value(spec.error_field));
      if (is_revoking_error(spec, code))
        return make(VerificationStatus::kRevoked, code);
      if (spec.error_field.empty() && ok == "false")
        return make(VerificationStatus::kRevoked, "provider: not valid");
      if (ok.empty() && code.empty())
        return make(VerificationStatus::kUnknown, "malformed response");
      return make(VerificationStatus::kUnknown,
                  "provider error" + (code.empty() ? "" : ": " + code));
    }
  }
  Verification out = make(VerificationStatus::kLive, "");
  describe_identity(spec, answer, out);
  return out;
}

}  // namespace

Verification map_response(const ProviderSpec& spec, const Parts& parts,
                          const HttpResponse& response) {
  simdjson::dom::parser parser;
  Answer answer{response, parts, {}, false};
  if (spec.body_kind == BodyKind::kJson || spec.error_field.starts_with("json"))
    answer.json_ok =
        parser.parse(response.body).get(answer.json) == simdjson::SUCCESS;

  long status = response.status;
  if (contains(spec.live_status, status)) return map_live(spec, answer);
  if (contains(spec.restricted_status, status)) {
    Verification out =
        make(VerificationStatus::kLive, "authenticated; probe not permitted");
    describe_identity(spec, answer, out);
    return out;
  }
  std::string http = "http " + std::to_string(status);
  if (contains(spec.revoked_status, status))
    return make(VerificationStatus::kRevoked, http);
  std::string code = safe_code(answer.value(spec.error_field));
  if (status >= 400 && status < 500 && is_revoking_error(spec, code))
    return make(VerificationStatus::kRevoked, http + " " + code);
  if (status >= 500) return make(VerificationStatus::kUnknown, http);
  return make(VerificationStatus::kUnknown, "unexpected " + http);
}

}  // namespace sprawl::verifier::detail
