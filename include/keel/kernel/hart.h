// SPDX-License-Identifier: MIT
// What keel records about each hart: the per-hart block. keel runs up to kMaxHarts harts at once,
// whatever their ids (OpenSBI may boot on hart 15 of 16; boards number harts sparsely): each gets
// a slot, g_harts[slot], and the stack of that slot. The boot hart is slot 0; the others get slots
// as they are started, in device-tree order (as Linux maps hart ids to logical cpus). While it runs
// keel a hart's `tp` register points at its own block (this_hart()). The gdb helper keel-harts
// reads this table, so keep the field names stable.
#pragma once

// The layout boot.S relies on (a hart that OpenSBI sends to _start finds its block by id):
// static_asserted against struct Hart below.
#define KEEL_HART_SIZE 320
#define KEEL_HART_ID_OFFSET 8
#define KEEL_HART_STATE_OFFSET 20
#define KEEL_HART_STATE_STARTING 1

#ifndef __ASSEMBLER__
#include <keel/arch/riscv/memlayout.h>
#include <keel/lib/atomic.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct SavedContext;

enum class HartState : uint32_t {  // 32 bits: RISC-V atomics (AMOs, LR/SC) work on words
    kAbsent,                       // slot free: no hart, or one that did not start
    kStarting,                     // asked to start, not yet in keel
    kOnline,                       // running keel
    kHalted,                       // stopped for good (panic)
};

// Cache-line aligned: each hart writes its own block, and must not slow down its neighbours'.
struct alignas(64) Hart {
    uintptr_t stack_top = 0;  // boot.S's secondary entry loads sp from here: keep it first
    uint64_t id = 0;          // the hart id: what the device tree and SBI call it
    uint32_t slot = 0;        // index in g_harts
    Atomic<HartState> state{HartState::kAbsent};
    bool is_boot_hart = false;
    Atomic<uint64_t> ticks{0};        // timer interrupts taken
    Atomic<uint64_t> allocations{0};  // heap blocks this hart was given
    Atomic<uint64_t> last_trap{0};    // scause of the last exception; meaningful once traps > 0
    Atomic<uint64_t> traps{0};        // exceptions taken
    uint64_t next_tick = 0;           // `time` value of the next tick; only this hart touches it
    SavedContext* fault_guard = nullptr;  // armed by run_guarded() on this hart
    uint32_t fault_guard_depth = 0;       // trap_depth when it was armed
    bool fault_guard_quiet = false;       // ...without a trap report (feature probes)
    bool in_exception = false;            // reporting an exception right now
    uint32_t trap_depth = 0;              // traps being handled on this hart (nesting)
    int plic_context = -1;                // this hart's S-mode PLIC context, -1 if none
    Atomic<uintptr_t> work{0};            // smp::Work to run, 0 when none (smp.cpp)
    void* work_argument = nullptr;
    // Console text not yet sent: a partial line (console.cpp sends whole lines).
    char console_line[160] = {};
    size_t console_length = 0;
};
static_assert(offsetof(Hart, stack_top) == 0, "boot.S: keel_secondary_entry does ld sp, 0(a1)");
static_assert(sizeof(Hart) == KEEL_HART_SIZE && offsetof(Hart, id) == KEEL_HART_ID_OFFSET &&
                  offsetof(Hart, state) == KEEL_HART_STATE_OFFSET &&
                  static_cast<uint32_t>(HartState::kStarting) == KEEL_HART_STATE_STARTING,
              "boot.S's late_hart walks g_harts with these numbers: update them together");

extern Hart g_harts[memlayout::kMaxHarts];

const char* hart_state_name(HartState state);

// Takes the first free slot for hart `id` (the boot hart calls it first and gets slot 0, whose
// stack boot.S gave it) and marks it starting; nullptr when every slot is taken.
Hart* claim_hart_slot(uint64_t id);
// Gives back a slot whose hart never came online.
void release_hart_slot(Hart& hart);

// The block of hart `id`, or nullptr when keel does not run that hart.
Hart* find_hart(uint64_t id);

// Points the calling hart's tp at `hart` (its claimed slot) and records it online.
void hart_online(Hart& hart, bool is_boot_hart);

// The calling hart's block, or nullptr before hart_online() (boot.S zeroes tp).
inline Hart* this_hart_or_null() {
    Hart* hart;
    asm("mv %0, tp" : "=r"(hart));
    return hart;
}

// The calling hart's block. Valid after hart_online() on that hart.
inline Hart& this_hart() {
    return *this_hart_or_null();
}

}  // namespace keel
#endif  // __ASSEMBLER__
