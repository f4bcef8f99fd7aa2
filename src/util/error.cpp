// Error formatting.
#include "sprawl/util/error.h"

namespace sprawl {

std::string Error::describe() const {
  std::string out;
  if (!input.empty()) out += input + ": ";
  if (!place.empty()) out += place + ": ";
  out += message;
  return out;
}

Error make_error(ErrorCode code, std::string message, std::string input,
                 std::string place) {
  return Error{code, std::move(message), std::move(input), std::move(place)};
}

}  // namespace sprawl
