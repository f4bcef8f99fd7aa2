// Offline validation: the first half of the verifier stage. Checks what a
// secret's own structure can prove without the network (checksums, PEM,
// JWT, macaroon and AWS key-id decoding) and records it in the finding.
#pragma once

#include "sprawl/model/finding.h"

namespace sprawl::verifier {

/// Runs every offline check that applies to the finding, chosen by the
/// secret's own shape (prefix, PEM label, ...) and the finding's kind and
/// provider rather than by exact rule id, without network.
///
/// Sets finding.validation: status (kValid when a checksum or structure
/// check passes, kInvalid when it fails, kUnchecked when no check applies),
/// a short detail ("crc32 mismatch") and the decoded fields, named
/// "<family>.<field>" (aws.account_id, jwt.exp, key.type, ...). The secret
/// itself is never copied into detail or decoded.
///
/// When a check fails, lowers finding.confidence one step; the finding is
/// never dropped. Idempotent: validating an already-invalid finding again
/// does not lower it twice.
///
/// Thread-safe (no shared mutable state; JSON parsing uses a thread-local
/// parser). Never throws. Allocates only the decoded fields and small
/// per-call buffers; cost is linear in the secret's length (PEM keys pay
/// one OpenSSL parse).
void validate(model::Finding& finding);

}  // namespace sprawl::verifier
