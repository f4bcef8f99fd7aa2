// Error values passed between stages: a code, a message for a person, and the
// input and place it concerns. Never carries scanned content or secrets.
#pragma once

#include <cstdint>
#include <string>

namespace sprawl {

enum class ErrorCode {
  kInvalidArgument,
  kIo,
  kParse,
  kRule,
  kMatcher,
  kGit,
  kArchive,
  kLimit,
  kNetwork,
  kStore,
  kInternal,
};

/// A failure with enough context to tell the user what and where.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string input;   ///< file, entry, repository or rule the error concerns
  std::string place;   ///< line, offset, object id or field inside `input`

  /// "input: place: message", omitting empty parts.
  std::string describe() const;
};

/// Builds an Error; the common way to fail in this codebase.
Error make_error(ErrorCode code, std::string message, std::string input = {},
                 std::string place = {});

}  // namespace sprawl
