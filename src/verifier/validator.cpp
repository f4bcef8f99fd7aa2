// Offline validation entry point (verifier stage): picks the check for a
// finding from one ordered table keyed on the secret's shape, runs it and
// lowers confidence when a checksum or structure check fails.
#include "sprawl/verifier/validator.h"

#include <array>
#include <ctime>
#include <initializer_list>

#include "verifier/validator_internal.h"

namespace sprawl::verifier {
namespace {

using model::Finding;
using model::ValidationStatus;
using AppliesFn = bool (*)(const Finding& finding, std::string_view secret);

struct Check {
  std::string_view name;
  AppliesFn applies;
  detail::CheckFn run;
};

bool starts_with_any(std::string_view text,
                     std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes)
    if (text.starts_with(p)) return true;
  return false;
}

bool is_aws_key_id_prefix(std::string_view text) {
  return starts_with_any(text, {"AKIA", "ASIA", "ABIA", "ACCA"});
}

bool is_key_material(const Finding& finding, std::string_view secret) {
  if (secret.find("PRIVATE KEY") != std::string_view::npos) return true;
  if (secret.find("PuTTY-User-Key-File-") != std::string_view::npos)
    return true;
  return finding.kind == model::Kind::kPrivateKey;
}

// Order matters: the first entry whose predicate holds runs, so the
// specific shapes come before the catch-alls at the end (a JWT-kind
// finding whose secret is not eyJ... is still parsed as a JWT).
constexpr auto kChecks = std::to_array<Check>({
    {"github",
     [](const Finding&, std::string_view s) {
       return starts_with_any(s, {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"});
     },
     detail::check_github},
    {"github-fine-grained",
     [](const Finding&, std::string_view s) {
       return s.starts_with("github_pat_");
     },
     detail::check_github_fine_grained},
    {"npm",
     [](const Finding&, std::string_view s) { return s.starts_with("npm_"); },
     detail::check_npm},
    {"cloudflare",
     [](const Finding&, std::string_view s) {
       return starts_with_any(s, {"cfk_", "cfut_", "cfat_"});
     },
     detail::check_cloudflare},
    {"gitlab",
     [](const Finding&, std::string_view s) {
       return starts_with_any(
           s,
           {"glpat-", "gldt-", "glrt-", "glrtr-", "glcbt-", "glptt-", "glft-",
            "glimt-", "glagent-", "gloas-", "glsoat-", "glffct-", "GR1348941"});
     },
     detail::check_gitlab},
    {"pypi",
     [](const Finding&, std::string_view s) { return s.starts_with("pypi-"); },
     detail::check_pypi},
    {"aws",
     [](const Finding& f, std::string_view s) {
       return is_aws_key_id_prefix(s) || is_aws_key_id_prefix(f.capture("id"));
     },
     detail::check_aws},
    {"jwt",
     [](const Finding& f, std::string_view s) {
       return s.starts_with("eyJ") || f.kind == model::Kind::kJwt;
     },
     detail::check_jwt},
    {"key-material", is_key_material, detail::check_key_material},
});

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

}  // namespace

void validate(model::Finding& finding) {
  bool was_invalid = finding.validation.status == ValidationStatus::kInvalid;
  finding.validation = model::Validation{};

  std::string_view secret = trim(finding.secret);
  for (const Check& check : kChecks) {
    if (!check.applies(finding, secret)) continue;
    check.run(finding, secret);
    break;
  }

  if (finding.validation.status == ValidationStatus::kInvalid && !was_invalid)
    finding.confidence = model::lower(finding.confidence);
}

namespace detail {

void set_valid(model::Finding& finding, std::string detail) {
  finding.validation.status = ValidationStatus::kValid;
  finding.validation.detail = std::move(detail);
}

void set_invalid(model::Finding& finding, std::string detail) {
  finding.validation.status = ValidationStatus::kInvalid;
  finding.validation.detail = std::move(detail);
}

void set_unchecked(model::Finding& finding, std::string detail) {
  finding.validation.status = ValidationStatus::kUnchecked;
  finding.validation.detail = std::move(detail);
}

void add_decoded(model::Finding& finding, std::string key, std::string value) {
  finding.validation.decoded.emplace_back(std::move(key), std::move(value));
}

std::string iso8601_utc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(seconds);
  std::array<char, 32> buf{};
  std::size_t n =
      std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf.data(), n);
}

std::string unescape_key_text(std::string_view text) {
  while (!text.empty() && (text.front() == '"' || text.front() == '\''))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == '"' || text.back() == '\''))
    text.remove_suffix(1);

  // A run of backslashes before n is one escaped newline, whatever the
  // nesting depth of the quoting ("\\n" in a JSON string inside JSON).
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] == '\\') ++j;
    if (j < text.size() && (text[j] == 'n' || text[j] == 'r')) {
      if (text[j] == 'n') out += '\n';
      i = j;
    } else if (j < text.size() && text[j] == '/') {
      out += '/';
      i = j;
    } else {
      out.append(text.substr(i, j - i));
      i = j - 1;
    }
  }
  return out;
}

}  // namespace detail
}  // namespace sprawl::verifier
