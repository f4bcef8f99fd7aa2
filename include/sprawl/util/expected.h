// sprawl::Expected<T>: a value or an Error. tl::expected until the toolchain
// ships C++23's std::expected; then this alias is the only line to change.
#pragma once

#include <tl/expected.hpp>

#include "sprawl/util/error.h"

namespace sprawl {

template <typename T>
using Expected = tl::expected<T, Error>;

/// Wraps an Error for returning from a function that yields Expected<T>.
inline tl::unexpected<Error> fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace sprawl

/// Returns the error of an Expected<void> expression from the enclosing
/// function, which must itself return an Expected.
#define SPRAWL_TRY(expr)                                       \
  do {                                                         \
    auto sprawl_try_result_ = (expr);                          \
    if (!sprawl_try_result_)                                   \
      return ::sprawl::fail(std::move(sprawl_try_result_).error()); \
  } while (0)
