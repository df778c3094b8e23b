// SPDX-License-Identifier: MIT
// The RISC-V Platform-Level Interrupt Controller (riscv-plic-spec v1.0.0): per-source priority,
// per-context enable bits and threshold, and the claim/complete handshake. A "context" is one
// hart in one privilege mode; the device tree's interrupts-extended says which is which.
#pragma once
#include <stdint.h>

namespace keel {

class Plic {
public:
    static constexpr uint32_t kMaxSources = 1023;  // source 0 means "none"

    constexpr Plic() = default;

    void init(uintptr_t base, uint32_t sources);
    bool present() const { return base_ != 0; }
    uint32_t sources() const { return sources_; }

    void set_priority(uint32_t source, uint32_t priority) const;
    void enable(int context, uint32_t source) const;
    void set_threshold(int context, uint32_t threshold) const;
    // The highest-priority pending source for `context` (0: none); it stays claimed until
    // complete() (spec §7 "Interrupt Claim Process", §8 "Interrupt Completion").
    uint32_t claim(int context) const;
    void complete(int context, uint32_t source) const;

private:
    uintptr_t base_ = 0;
    uint32_t sources_ = 0;
};

}  // namespace keel
