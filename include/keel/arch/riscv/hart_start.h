// SPDX-License-Identifier: MIT
// Starting a hart (SBI HSM hart_start, SBI v2.0 §9.1) at keel_secondary_entry (boot.S) with what
// it needs before it can run C++: a stack, and a context pointer it keeps in tp and passes to
// secondary_main(). The start record of each hart slot holds them; boot.S reads it, so its layout
// is shared below. A hart that the firmware sends to the image's first byte instead (OpenSBI 1.1
// can: boot.S, late_hart) finds its record by hart id.
#pragma once

#define KEEL_HART_START_SIZE 32
#define KEEL_HART_START_ID 0
#define KEEL_HART_START_STACK 8
#define KEEL_HART_START_CONTEXT 16
#define KEEL_HART_START_PENDING 24

#ifndef __ASSEMBLER__
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/lib/atomic.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct HartStart {
    uint64_t hart_id = 0;
    uintptr_t stack_top = 0;
    void* context = nullptr;
    Atomic<uint32_t> pending{0};  // 1 from the request until the hart reaches keel_secondary_entry
};
static_assert(sizeof(HartStart) == KEEL_HART_START_SIZE &&
                  offsetof(HartStart, hart_id) == KEEL_HART_START_ID &&
                  offsetof(HartStart, stack_top) == KEEL_HART_START_STACK &&
                  offsetof(HartStart, context) == KEEL_HART_START_CONTEXT &&
                  offsetof(HartStart, pending) == KEEL_HART_START_PENDING,
              "boot.S reads HartStart with these offsets");

// Asks the firmware to start hart `hart_id` (whose slot is `slot`) on the stack `stack_top`; it
// enters secondary_main(hart_id, context, ...) with tp = context.
sbi::Result start_hart(unsigned slot, uint64_t hart_id, uintptr_t stack_top, void* context);

}  // namespace keel

extern "C" {
extern keel::HartStart
    keel_hart_starts[KEEL_MAX_HARTS];  // NOLINT(readability-identifier-naming): boot.S's name
void keel_secondary_entry();
}
#endif
