// The verifier's name for the shared codecs (sprawl/util/codec.h).
#pragma once

#include "sprawl/util/codec.h"

namespace sprawl::verifier {
namespace offline = sprawl::codec;
}  // namespace sprawl::verifier
