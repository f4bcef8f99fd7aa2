// Offline checks for prefixed tokens with an embedded checksum or a decodable
// structure: GitHub, npm, Cloudflare, GitLab routable tokens and AWS key ids.
// Facts: /work/shared/FORMATS.md, GitLab's routable-token design document.
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>
#include <vector>

#include "verifier/offline_codec.h"
#include "verifier/validator_internal.h"

namespace sprawl::verifier::detail {
namespace {

using model::Finding;

std::string_view github_token_type(std::string_view prefix) {
  if (prefix == "ghp_") return "personal-access-token";
  if (prefix == "gho_") return "oauth-access-token";
  if (prefix == "ghu_") return "user-to-server";
  if (prefix == "ghs_") return "server-to-server";
  return "refresh-token";
}

// prefix + body, where the body's last checksum_chars characters are the
// base62 CRC32 of the characters before them (GitHub and npm).
bool base62_crc_matches(std::string_view body, std::size_t checksum_chars) {
  std::string_view random = body.substr(0, body.size() - checksum_chars);
  std::string_view checksum = body.substr(body.size() - checksum_chars);
  return offline::base62_encode(offline::crc32(random), checksum_chars) ==
         checksum;
}

struct GitlabRoutable {
  std::string_view head;     ///< prefix, optional partition ("t1_"), payload
  std::string_view version;  ///< empty in the unversioned 2024 form
  std::string_view length_holder;
  std::string_view crc;
};

// <head>.[<version>.]<length><crc>. The payload is base64url, so it holds no
// '.', and the version exists only when a second '.' does. Where the payload
// starts is known only from the length holder: runner and job tokens put a
// partition ("t1_", "1a_") between the prefix and the payload.
std::optional<GitlabRoutable> split_gitlab_routable(std::string_view token) {
  constexpr std::size_t kTail = 2 + 7;
  if (token.size() < kTail + 2) return std::nullopt;
  GitlabRoutable parts;
  parts.crc = token.substr(token.size() - 7);
  parts.length_holder = token.substr(token.size() - kTail, 2);
  std::string_view rest = token.substr(0, token.size() - kTail);
  if (rest.back() != '.') return std::nullopt;
  rest.remove_suffix(1);
  if (rest.size() >= 3 && rest[rest.size() - 3] == '.') {
    parts.version = rest.substr(rest.size() - 2);
    rest.remove_suffix(3);
  }
  parts.head = rest;
  return parts;
}

// Routing keys of the design document.
constexpr std::array<std::pair<char, const char*>, 6> kGitlabRoutingKeys = {{
    {'c', "gitlab.cell_id"},
    {'g', "gitlab.group_id"},
    {'o', "gitlab.organization_id"},
    {'p', "gitlab.project_id"},
    {'u', "gitlab.user_id"},
    {'t', "gitlab.runner_type"},
}};

const char* gitlab_routing_name(char key) {
  for (const auto& [k, name] : kGitlabRoutingKeys)
    if (k == key) return name;
  return nullptr;
}

// "c:1\no:2\nu:3f" with base36 values; decoded to decimal.
bool parse_gitlab_routing(
    std::string_view text,
    std::vector<std::pair<std::string, std::string>>& out) {
  if (text.size() < 3) return false;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{}
                                         : text.substr(end + 1);
    if (line.size() < 3 || line[1] != ':') return false;
    const char* name = gitlab_routing_name(line[0]);
    std::optional<uint64_t> value = offline::base36_decode(line.substr(2));
    if (name == nullptr || !value) return false;
    out.emplace_back(name, std::to_string(*value));
  }
  return true;
}

// The payload is routing + random bytes + one byte holding the random
// length (design document), or random bytes first (later generators); try
// both rather than depend on one generator version.
void decode_gitlab_payload(Finding& finding, std::string_view payload) {
  std::optional<std::string> bytes = offline::base64_decode(payload);
  if (!bytes || bytes->size() < 2) return;
  std::size_t random_len = static_cast<unsigned char>(bytes->back());
  std::string_view body(bytes->data(), bytes->size() - 1);
  if (random_len >= body.size()) return;
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t routing_len = body.size() - random_len;
  if (!parse_gitlab_routing(body.substr(0, routing_len), fields)) {
    fields.clear();
    if (!parse_gitlab_routing(body.substr(random_len), fields)) return;
  }
  for (auto& [key, value] : fields)
    add_decoded(finding, std::move(key), std::move(value));
}

// What may sit between prefix and payload: nothing, or a short partition
// ending in '_' ("t1_" in runner tokens, up to 5 hex digits in job tokens).
bool is_gitlab_partition(std::string_view text) {
  return text.empty() || (text.size() <= 6 && text.back() == '_');
}

std::string format_account_id(uint64_t account) {
  std::array<char, 24> buf{};
  std::snprintf(buf.data(), buf.size(), "%012llu",
                static_cast<unsigned long long>(account));
  return buf.data();
}

std::string_view aws_key_type(std::string_view prefix) {
  if (prefix == "AKIA") return "long-term";
  if (prefix == "ASIA") return "temporary";
  if (prefix == "ABIA") return "service-bearer";
  return "context-specific";
}

bool is_aws_secret_key(std::string_view text) {
  if (text.size() != 40) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '+')
      return false;
  return true;
}

}  // namespace

void check_github(Finding& finding, std::string_view secret) {
  std::string_view prefix = secret.substr(0, 4);
  std::string_view body = secret.substr(4);
  add_decoded(finding, "github.token_type",
              std::string(github_token_type(prefix)));
  if (body.size() != 36 || !offline::is_base62(body))
    return set_invalid(finding, "malformed: expected 36 base62 characters");
  if (!base62_crc_matches(body, 6))
    return set_invalid(finding, "crc32 mismatch");
  set_valid(finding, "crc32 ok");
}

void check_github_fine_grained(Finding& finding, std::string_view secret) {
  add_decoded(finding, "github.token_type", "fine-grained-personal");
  // github_pat_ + 22 + '_' + 59; the tail has no published checksum.
  std::string_view body = secret.substr(11);
  bool shaped = body.size() == 82 && body[22] == '_';
  for (char c : body)
    shaped =
        shaped && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!shaped)
    return set_invalid(finding, "malformed: expected 22_59 characters");
  set_unchecked(finding, "no public checksum");
}

void check_npm(Finding& finding, std::string_view secret) {
  std::string_view body = secret.substr(4);
  if (body.size() != 36 || !offline::is_base62(body))
    return set_invalid(finding, "malformed: expected 36 base62 characters");
  if (!base62_crc_matches(body, 6))
    return set_invalid(
        finding, "npm checksum mismatch (npm checksums are not reliable)");
  set_valid(finding, "crc32 ok");
}

void check_cloudflare(Finding& finding, std::string_view secret) {
  std::size_t underscore = secret.find('_');
  std::string_view prefix = secret.substr(0, underscore + 1);
  std::string_view body = secret.substr(underscore + 1);
  add_decoded(finding, "cloudflare.token_type",
              prefix == "cfk_"    ? "global-api-key"
              : prefix == "cfut_" ? "user-api-token"
                                  : "account-api-token");
  if (body.size() != 48 || !offline::is_base62(body.substr(0, 40)))
    return set_invalid(finding, "malformed: expected 40 base62 + 8 hex");
  std::optional<uint64_t> checksum = offline::hex_decode(body.substr(40));
  if (!checksum) return set_invalid(finding, "malformed: checksum not hex");

  // FORMATS.md: CRC32 of the 40 characters. Cloudflare does not publish the
  // construction, so a CRC over prefix + 40 is accepted too.
  uint32_t over_random = offline::crc32(body.substr(0, 40));
  uint32_t over_prefixed = offline::crc32(secret.substr(0, secret.size() - 8));
  if (*checksum != over_random && *checksum != over_prefixed)
    return set_invalid(finding, "crc32 mismatch");
  set_valid(finding, "crc32 ok");
}

void check_gitlab(Finding& finding, std::string_view secret) {
  std::size_t prefix_len =
      secret.starts_with("GR1348941") ? 9 : secret.find('-') + 1;
  add_decoded(finding, "gitlab.prefix",
              std::string(secret.substr(0, prefix_len)));
  if (secret.find('.') == std::string_view::npos)
    return set_unchecked(finding, "legacy token: no checksum");

  std::optional<GitlabRoutable> parts = split_gitlab_routable(secret);
  if (!parts || parts->head.size() < prefix_len ||
      !offline::is_base64url(parts->head.substr(prefix_len)))
    return set_invalid(finding, "malformed routable token");
  std::optional<uint64_t> length = offline::base36_decode(parts->length_holder);
  std::optional<uint64_t> crc = offline::base36_decode(parts->crc);
  if (!length || !crc) return set_invalid(finding, "malformed routable token");
  if (!parts->version.empty())
    add_decoded(finding, "gitlab.version", std::string(parts->version));

  if (*length == 0 || *length > parts->head.size() - prefix_len ||
      !is_gitlab_partition(parts->head.substr(
          prefix_len, parts->head.size() - prefix_len - *length)))
    return set_invalid(finding, "payload length mismatch");
  if (*crc != offline::crc32(secret.substr(0, secret.size() - 7)))
    return set_invalid(finding, "crc32 mismatch");
  decode_gitlab_payload(finding,
                        parts->head.substr(parts->head.size() - *length));
  set_valid(finding, "crc32 ok");
}

void check_aws(Finding& finding, std::string_view secret) {
  std::string_view key_id = finding.capture("id");
  bool secret_is_id = secret.starts_with("AKIA") ||
                      secret.starts_with("ASIA") ||
                      secret.starts_with("ABIA") || secret.starts_with("ACCA");
  if (secret_is_id) key_id = secret;
  std::string_view prefix = key_id.substr(0, 4);
  add_decoded(finding, "aws.key_type", std::string(aws_key_type(prefix)));

  std::optional<std::string> bytes;
  if (key_id.size() == 20) bytes = offline::base32_decode(key_id.substr(4));
  if (!bytes) return set_invalid(finding, "malformed access key id");
  if (!secret_is_id && !is_aws_secret_key(secret))
    return set_invalid(finding, "malformed secret access key");

  // Newer key ids carry the account: 48 big-endian bits of the decoded id,
  // masked and shifted (FORMATS.md). Older ids decode to an unrelated value.
  uint64_t high = 0;
  for (int i = 0; i < 6; ++i)
    high = (high << 8) | static_cast<unsigned char>((*bytes)[i]);
  uint64_t account = (high & 0x7fffffffff80ULL) >> 7;
  add_decoded(finding, "aws.account_id", format_account_id(account));
  set_valid(finding, "key id structure ok");
}

}  // namespace sprawl::verifier::detail
