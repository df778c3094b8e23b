// SPDX-License-Identifier: MIT
// S-mode interrupts: the dispatcher trap.cpp calls, external interrupt sources behind the PLIC,
// and inter-processor interrupts (software interrupts sent through SBI IPI).
#pragma once
#include <keel/arch/riscv/trap_cause.h>
#include <stdint.h>

namespace keel {

class Plic;

// Called by the trap handler for every interrupt (interrupts stay off while it runs).
void handle_interrupt(TrapCause cause);

namespace irq {

using Handler = void (*)(void* context);

// The PLIC that external interrupts come through; init happens from BootInfo.
Plic& plic();

// Routes PLIC source `source` to `handler` and enables it for the calling hart's S context.
// False when the source is out of range, taken, or this hart has no S-mode PLIC context.
bool attach(uint32_t source, Handler handler, void* context);

// Interrupts keel takes on the calling hart: timer, external, software (sie), then sstatus.SIE.
void enable_on_this_hart();

// Counts, for `harts`/tests: external interrupts dispatched per source.
uint64_t count(uint32_t source);

}  // namespace irq

namespace ipi {

// Asks every other online hart to stop for good (panic). Returns without waiting.
void halt_others();

// True once some hart has called halt_others(): everyone else stops at their next interrupt.
bool halting();

}  // namespace ipi

}  // namespace keel
