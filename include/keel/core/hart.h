// SPDX-License-Identifier: MIT
// Who each hart is: the per-hart core block, identity and stage (and one counter). keel runs up to
// kMaxHarts harts at once, whatever their ids (OpenSBI may boot on hart 15 of 16; boards number
// harts sparsely): each gets a slot, g_harts[slot], and the stack of that slot. The boot hart is
// slot 0; the others get slots as they are started, in device-tree order (as Linux maps hart ids to
// logical cpus). While it runs keel a hart's `tp` register points at its own block (this_hart()).
// What subsystems keep per hart they keep themselves, indexed by slot (the timer's tick, the
// console's line, the trap code's guards, smp's work); the one exception is the heap's count
// below. The gdb helpers keel-harts and keel-heap read this table: keep the field names stable.
#pragma once
#include <keel/arch/riscv/memlayout.h>
#include <keel/lib/atomic.h>
#include <stdint.h>

namespace keel {

enum class HartStage : uint32_t {  // 32 bits: RISC-V atomics (AMOs, LR/SC) work on words
    kAbsent,                       // slot free: no hart, or one that did not start
    kStarting,                     // asked to start, not yet in keel
    kOnline,                       // running keel
    kHalted,                       // stopped for good (panic)
};

struct Hart {
    uint64_t id = 0;    // the hart id: what the device tree and SBI call it
    uint32_t slot = 0;  // index in g_harts
    Atomic<HartStage> stage{HartStage::kAbsent};
    bool is_boot_hart = false;
    // Blocks the heap gave this hart. The heap's, not core's: it lives here because operator new's
    // fast path reaches it from tp (mm/heap.h). Only code running on the hart adds to it, with an
    // atomic add (a task may move to another hart halfway), so it is exact; anyone may read it.
    Atomic<uint64_t> heap_allocations{0};
};

extern Hart g_harts[memlayout::kMaxHarts];

const char* hart_stage_name(HartStage stage);

// Takes the first free slot for hart `id` (the boot hart calls it first and gets slot 0, whose
// stack boot.S gave it) and marks it starting; nullptr when every slot is taken.
Hart* claim_hart_slot(uint64_t id);
// Gives back a slot whose hart never came online.
void release_hart_slot(Hart& hart);

// The block of hart `id`, or nullptr when keel does not run that hart.
Hart* find_hart(uint64_t id);

// Points the calling hart's tp at `hart` (its claimed slot) and records it online.
void hart_online(Hart& hart, bool is_boot_hart);

// The calling hart's block, or nullptr before hart_online() (boot.S zeroes tp). Volatile: a
// task may move to another hart at any switch, so the compiler must read tp again each time
// instead of reusing what it read before a call (it did, in sleep_ms's loop: a task woken on
// another hart went on with the old hart's scheduler state and ran as the shell).
inline Hart* this_hart_or_null() {
    Hart* hart;
    asm volatile("mv %0, tp" : "=r"(hart));
    return hart;
}

// The calling hart's block. Valid after hart_online() on that hart.
inline Hart& this_hart() {
    return *this_hart_or_null();
}

}  // namespace keel
