// SPDX-License-Identifier: MIT
// Small integer helpers for alignment arithmetic, overflow-checked where it matters.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel {

constexpr bool is_power_of_two(uintptr_t value) {
    return value != 0 && (value & (value - 1)) == 0;
}

// Bytes to add to `address` to reach a multiple of `alignment` (a power of two). Never overflows.
constexpr uintptr_t padding_for(uintptr_t address, uintptr_t alignment) {
    return (alignment - (address & (alignment - 1))) & (alignment - 1);
}

// Rounds `value` up to a multiple of `alignment` (a power of two); false when that overflows.
constexpr bool round_up(size_t value, size_t alignment, size_t& out) {
    const size_t pad = padding_for(value, alignment);
    if (value > SIZE_MAX - pad) return false;
    out = value + pad;
    return true;
}

}  // namespace keel
