// SPDX-License-Identifier: MIT
// What a trap means (the policy; arch/riscv/trap.h is the mechanism): interrupts go to the tick,
// the PLIC's handlers and the halt request a panic leaves; an exception gets a report (cause by
// name, sepc, stval, registers, backtrace) and then resumes a fault guard, steps over an ebreak,
// or panics. traps::stats reads each hart's counters, which trap.S keeps in arch/riscv/trap.cpp.
#pragma once
#include <keel/arch/riscv/trap.h>
#include <stdint.h>

namespace keel::traps {

struct Stats {
    uint64_t exceptions = 0;  // taken on the hart
    uint64_t last = 0;        // scause of the last one; meaningful once exceptions > 0
};
Stats stats(unsigned slot);

// Prints "  sepc=0x... name+0x..", stval, sstatus and all 31 registers, four to a line.
void print_frame(const TrapFrame& frame);

// The calling hart's S-mode PLIC context (from BootInfo), which external interrupts are claimed
// from; set before the hart enables interrupts.
void set_plic_context(int context);

}  // namespace keel::traps
