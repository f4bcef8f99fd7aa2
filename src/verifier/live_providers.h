// The live verifiers, declared as a table: endpoint, method, how the secret
// is presented, how the answer maps to live/revoked/unknown and which fields
// become identity, scopes and expiry. Code only where a provider needs it.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sprawl/model/finding.h"
#include "sprawl/util/expected.h"
#include "verifier/http_client.h"

namespace sprawl::verifier::detail {

/// The pieces of one credential by role: "secret", "id", "host", "email",
/// "app", and what a prepare hook derives ("path", "project", ...).
using Parts = std::map<std::string, std::string>;

enum class BodyKind { kJson, kXml, kText };

struct FieldSource {
  std::string_view label;
  /// "json:a.b.0.c" ('*' = every array element), "header:name",
  /// "xml:Tag", "part:name".
  std::string_view source;
};

struct ProviderSpec;
/// Derives parts from the secret (and validates them) before building.
using PrepareFn = Expected<void> (*)(Parts& parts);
/// Builds a request the table cannot express (signatures).
using BuildFn = Expected<HttpRequest> (*)(const ProviderSpec& spec,
                                          const Parts& parts,
                                          const std::string& base);

struct ProviderSpec {
  std::string_view id{};        ///< verifier id: "slack-webhook"
  std::string_view provider{};  ///< provider slug: "slack"
  /// Secret shapes this verifier takes, '|'-separated: a prefix, or
  /// "len:N" / "hex:N" (exactly N characters / hex digits). Empty: any.
  std::string_view accepts{};
  std::string_view method = "GET";
  /// Fixed scheme://host[/base]; "{host}" takes a validated part.
  std::string_view base{};
  std::string_view host_suffix{};  ///< required suffix of a "{host}" part
  std::string_view path{};         ///< "{name}" placeholders are URI-encoded
  std::array<std::string_view, 4> headers{};  ///< "Name: template"
  std::string_view basic_user{};  ///< when set: Authorization: Basic
  std::string_view basic_password{};
  std::string_view body{};
  std::string_view content_type{};
  BodyKind body_kind = BodyKind::kJson;
  std::array<int, 3> live_status{200};
  std::array<int, 3> revoked_status{401};
  /// Authenticated, but the probe itself is forbidden: still live.
  std::array<int, 3> restricted_status{};
  /// JSON: a field that must be true / non-empty for a live answer.
  /// XML/text: a substring the body must contain.
  std::string_view ok_field{};
  /// Where the provider names an error code ("json:error").
  std::string_view error_field{};
  std::array<std::string_view, 6> revoked_errors{};
  std::array<FieldSource, 5> identity{};
  std::string_view scopes{};  ///< a source; header values split on ','
  std::string_view expiry{};
  std::string_view extra_parts{};  ///< parts a hook needs: "id"
  /// Parts attached when found nearby but not required: "email".
  std::string_view optional_parts{};
  PrepareFn prepare{};
  BuildFn build{};
  std::string_view doc{};  ///< the provider's documentation of the call
};

/// Every verifier, in a stable order.
const std::vector<ProviderSpec>& provider_specs();
/// The spec with this verifier id, or nullptr.
const ProviderSpec* find_spec(std::string_view id);
/// True when text is a provider slug or verifier id.
bool is_known_verifier(std::string_view text);

/// True when secret has one of the shapes in spec.accepts.
bool accepts_secret(const ProviderSpec& spec, std::string_view secret);

/// Parts the spec needs beyond "secret" (from its placeholders and
/// extra_parts), sorted.
std::vector<std::string> required_parts(const ProviderSpec& spec);
/// The names in spec.optional_parts.
std::vector<std::string> optional_parts(const ProviderSpec& spec);

/// How a finding takes part in verification: the provider, the role of its
/// secret, and the verifier ids that could check it, in preference order.
struct Classification {
  std::string provider;
  std::string role;  ///< "secret" or a part name
  std::vector<std::string_view> verifiers;
};

/// Dispatches on finding.provider, else the rule id prefix, else the secret
/// shape. nullopt when no verifier applies.
std::optional<Classification> classify(const model::Finding& finding);

/// Parts a finding carries in its own captures (id, host, email, app).
Parts parts_from_captures(const model::Finding& finding);

/// Builds the request for a credential against base (the fixed endpoint or
/// an override). Fails when a part is malformed (control characters, a host
/// outside host_suffix); the message never quotes a part.
[[nodiscard]] Expected<HttpRequest> build_request(const ProviderSpec& spec,
                                                  Parts& parts,
                                                  const std::string& base);

/// Maps an answer (status 2xx/4xx/5xx, not 3xx/429) to a verification.
model::Verification map_response(const ProviderSpec& spec, const Parts& parts,
                                 const HttpResponse& response);

}  // namespace sprawl::verifier::detail
