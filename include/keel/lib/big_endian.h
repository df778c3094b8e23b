// SPDX-License-Identifier: MIT
// Big-endian loads a byte at a time, for data at any alignment (the device tree is big-endian,
// §2.2.4.2 of the Devicetree Specification). Never dereferences a wider type at `bytes`.
#pragma once
#include <stdint.h>

namespace keel {

constexpr uint32_t load_be32(const uint8_t* bytes) {
    return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 |
           uint32_t{bytes[3]};
}

constexpr uint64_t load_be64(const uint8_t* bytes) {
    return uint64_t{load_be32(bytes)} << 32 | load_be32(bytes + 4);
}

}  // namespace keel
