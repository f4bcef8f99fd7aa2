// The JSON object of one finding, shared by the JSON and JSONL reporters.
// Field by field it is documented in docs/output.md.
#pragma once

#include "reporters/json_writer.h"
#include "sprawl/model/finding.h"

namespace sprawl::reporters {

/// Writes finding as one JSON object. Unless show_secrets, the secret and
/// secret-bearing captures are redacted and every other string is scrubbed
/// of the raw secret.
void write_finding_json(JsonWriter& json, const model::Finding& finding,
                        bool show_secrets);

}  // namespace sprawl::reporters
