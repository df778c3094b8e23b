// SPDX-License-Identifier: MIT
// Random bytes for getrandom(2), /dev/random and /dev/urandom, and AT_RANDOM: a xorshift
// generator stirred with the time CSR at each step. Not cryptographic: keel has no entropy source.
#pragma once
#include <stddef.h>

namespace keel::random {

void bytes(void* out, size_t count);

}  // namespace keel::random
