// Private to the offline validator (verifier stage): the result helpers and
// the individual checks that validator.cpp's dispatch table calls.
#pragma once

#include <string>
#include <string_view>

#include "sprawl/model/finding.h"

namespace sprawl::verifier::detail {

/// One offline check. secret is the finding's secret with surrounding
/// whitespace removed; the check records its result in finding.validation
/// and leaves it kUnchecked when the secret turns out not to be its format.
using CheckFn = void (*)(model::Finding& finding, std::string_view secret);

void set_valid(model::Finding& finding, std::string detail);
void set_invalid(model::Finding& finding, std::string detail);
void set_unchecked(model::Finding& finding, std::string detail);
void add_decoded(model::Finding& finding, std::string key, std::string value);

/// Seconds since the epoch as ISO 8601 UTC: "2026-12-04T16:00:00Z".
std::string iso8601_utc(int64_t seconds);

/// PEM as found in JSON, YAML or .env: undoes \n escapes and surrounding
/// quotes so that the text has real line breaks.
std::string unescape_key_text(std::string_view text);

// validator_tokens.cpp: checksummed and structured token formats.
void check_github(model::Finding& finding, std::string_view secret);
void check_github_fine_grained(model::Finding& finding,
                               std::string_view secret);
void check_npm(model::Finding& finding, std::string_view secret);
void check_cloudflare(model::Finding& finding, std::string_view secret);
void check_gitlab(model::Finding& finding, std::string_view secret);
void check_aws(model::Finding& finding, std::string_view secret);

// validator_jwt.cpp, validator_pypi.cpp: self-describing tokens.
void check_jwt(model::Finding& finding, std::string_view secret);
void check_pypi(model::Finding& finding, std::string_view secret);

// validator_keys.cpp: PEM, OpenSSH, PuTTY and GCP service-account keys.
void check_key_material(model::Finding& finding, std::string_view secret);

}  // namespace sprawl::verifier::detail
