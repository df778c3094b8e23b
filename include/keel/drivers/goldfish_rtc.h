// SPDX-License-Identifier: MIT
// The goldfish real-time clock (Android emulator's "goldfish" virtual hardware, which QEMU virt
// has as google,goldfish-rtc): a 64-bit count of nanoseconds since 1970-01-01 00:00:00 UTC in two
// 32-bit registers. It keeps counting while the machine runs; QEMU starts it at the host's time.
#pragma once
#include <stdint.h>

namespace keel {

class GoldfishRtc {
public:
    constexpr explicit GoldfishRtc(uintptr_t base) : base_(base) {}

    // Nanoseconds since the epoch, read as one 64-bit value.
    uint64_t read_ns() const;
    // Sets the clock, which counts on from `ns`.
    void write_ns(uint64_t ns) const;

private:
    uintptr_t base_;
};

}  // namespace keel
