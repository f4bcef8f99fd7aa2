// Compact, binary-safe encoding of findings and verification results for the
// store: tagged, length-prefixed fields, so that no quoting can go wrong and
// new fields can be added without breaking old rows (unknown tags skipped).
#pragma once

#include <string>
#include <string_view>

#include "sprawl/model/finding.h"
#include "sprawl/util/expected.h"

namespace sprawl::store::detail {

/// Encodes every field of finding. The caller decides what `secret` holds
/// (the store passes the redacted form); captures are written as given.
std::string encode_finding(const model::Finding& finding);

/// Decodes what encode_finding wrote. Fails with kStore on a truncated or
/// malformed record; unknown tags are skipped.
[[nodiscard]] Expected<model::Finding> decode_finding(std::string_view data);

std::string encode_verification(const model::Verification& verification);
[[nodiscard]] Expected<model::Verification> decode_verification(
    std::string_view data);

/// Parses a verification status name ("live", ...); kNotChecked otherwise.
model::VerificationStatus parse_verification_status(std::string_view name);

/// Lowercase hex of bytes.
std::string to_hex(std::string_view bytes);

/// SHA-256 of data as 64 hex digits.
std::string sha256_hex(std::string_view data);

/// JSON string literal of s (quotes included), escaping '<' so the text can
/// sit inside HTML as well.
std::string json_quote(std::string_view s);

}  // namespace sprawl::store::detail
