// SPDX-License-Identifier: MIT
// The blob layout as the device-tree tests and fuzzers write and read it (Devicetree Specification
// v0.4, chapter 5): header field offsets, structure-block tokens, big-endian words in a byte
// vector. Plain C++ without GoogleTest, so that tests/fuzz can use it too.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include <vector>

namespace keel::fdt::test {

using Bytes = std::vector<uint8_t>;

// Header field offsets (§5.2).
enum HeaderField : size_t {
    kMagicField = 0,
    kTotalSizeField = 4,
    kStructOffsetField = 8,
    kStringsOffsetField = 12,
    kReservationsField = 16,
    kVersionField = 20,
    kLastCompVersionField = 24,
    kBootCpuField = 28,
    kStringsSizeField = 32,
    kStructSizeField = 36,
};
constexpr size_t kHeaderSize = 40;

// Structure-block tokens (§5.4.1).
constexpr uint32_t kBeginNodeToken = 1;
constexpr uint32_t kEndNodeToken = 2;
constexpr uint32_t kPropToken = 3;
constexpr uint32_t kNopToken = 4;
constexpr uint32_t kEndToken = 9;

inline uint32_t get_be32(const Bytes& bytes, size_t offset) {
    return uint32_t{bytes.at(offset)} << 24 | uint32_t{bytes.at(offset + 1)} << 16 |
           uint32_t{bytes.at(offset + 2)} << 8 | uint32_t{bytes.at(offset + 3)};
}

inline void put_be32(Bytes& bytes, size_t offset, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes.at(offset + i) = static_cast<uint8_t>(value >> (24 - 8 * i));
}

// A copy of `bytes` with one header field (or any big-endian word) replaced.
inline Bytes with_field(Bytes bytes, size_t field, uint32_t value) {
    put_be32(bytes, field, value);
    return bytes;
}

inline void append_be32(Bytes& bytes, uint32_t value) {
    bytes.resize(bytes.size() + 4);
    put_be32(bytes, bytes.size() - 4, value);
}

}  // namespace keel::fdt::test
