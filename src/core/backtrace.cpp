// SPDX-License-Identifier: MIT
// Backtraces through frame records, bounded to the stack they start on so that a corrupt chain
// can never make keel read outside the stacks it knows.
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/backtrace.h>
#include <keel/core/console.h>
#include <keel/lib/memory.h>

namespace keel {
namespace {

constexpr int kMaxFrames = 32;

struct StackBounds {
    uintptr_t low = 0;
    uintptr_t high = 0;  // one past the top
};

// The stack holding `fp` (the running task's, a hart's, or a hart's emergency trap stack), or
// empty bounds when it is in none of them. fp may equal a stack's top.
StackBounds stack_holding(uintptr_t fp) {
    const TrapThread thread = current_trap_thread();
    if (fp > thread.stack_low && fp <= thread.stack_high) {
        return StackBounds{thread.stack_low, thread.stack_high};
    }
    const auto start = reinterpret_cast<uintptr_t>(__stacks_start);
    const auto end = reinterpret_cast<uintptr_t>(__stacks_end);
    if (fp > start && fp <= end) {
        const uintptr_t top =
            start + ((fp - 1 - start) / memlayout::kStackStride + 1) * memlayout::kStackStride;
        return StackBounds{top - memlayout::kStackSize, top};
    }
    const auto trap_start = reinterpret_cast<uintptr_t>(__trap_stacks_start);
    const auto trap_end = reinterpret_cast<uintptr_t>(__trap_stacks_end);
    if (fp > trap_start && fp <= trap_end) {
        const uintptr_t low = trap_start + (fp - 1 - trap_start) / memlayout::kTrapStackSize *
                                               memlayout::kTrapStackSize;
        return StackBounds{low, low + memlayout::kTrapStackSize};
    }
    return {};
}

// A return address inside trap.S's entry: the call to keel_trap. The frame record after it is the
// one trap.S built at the end of its TrapFrame.
bool returns_into_trap_entry(uint64_t address);

}  // namespace

SymbolTable kernel_symbols() {
    return SymbolTable::from(__symtab_start, static_cast<size_t>(__symtab_end - __symtab_start));
}

namespace {

bool returns_into_trap_entry(uint64_t address) {
    const SymbolMatch match = kernel_symbols().lookup(address - 1);
    return match.name != nullptr && strcmp(match.name, "keel_trap_entry") == 0;
}

}  // namespace

void print_code_address(uint64_t address, bool after_call) {
    // A return address points past its call, which may be the last instruction of the function:
    // look up the byte before it so the caller, not the next function, is named.
    const uint64_t probe = after_call && address != 0 ? address - 1 : address;
    SymbolMatch match = kernel_symbols().lookup(probe);
    if (match.name == nullptr) {
        console::print("{:#018x}", address);
    } else {
        console::print("{:#018x} {}+{:#x}", address, match.name, match.offset + (address - probe));
    }
}

void print_backtrace(uint64_t fp, const TrapFrame* trap) {
    console::print("backtrace:\n");
    StackBounds stack = stack_holding(fp);
    const TrapFrame* next_trap = trap;       // a trap frame whose record (trap.S's) comes next
    const TrapFrame* interrupted = nullptr;  // set for the frame of the code a trap interrupted
    for (int depth = 0; depth < kMaxFrames && fp != 0; ++depth) {
        // The record is the two words below fp; both must lie inside this hart's stack.
        if (fp % 8 != 0 || fp - 16 < stack.low || fp > stack.high) {
            console::print("  (frame pointer {:#x} leaves the stack; stopping)\n", fp);
            return;
        }
        const auto* record = reinterpret_cast<const uint64_t*>(fp - 16);
        uint64_t caller_fp = record[0];
        uint64_t return_address = record[1];
        const bool at_trap =
            next_trap != nullptr && fp == reinterpret_cast<uint64_t>(next_trap) + sizeof(TrapFrame);
        if (at_trap) {
            // trap.S's record: (the interrupted s0, sepc). sepc is the faulting instruction itself.
            interrupted = next_trap;
            next_trap = nullptr;
        } else if (interrupted != nullptr) {
            // The interrupted function. A GCC leaf saves only s0, at [fp-8], and keeps ra in its
            // register: a "return address" pointing into this stack above fp is that saved s0,
            // and the real one is the ra the trap frame saved.
            if (return_address > fp && return_address <= stack.high) {
                caller_fp = return_address;
                return_address = interrupted->regs[1];
            }
            interrupted = nullptr;
        }
        if (return_address == 0) return;
        console::print("  #{} ", depth);
        print_code_address(return_address, !at_trap);
        console::print("\n");
        // Returning into trap.S: the next record is the one it built, at the end of its TrapFrame.
        if (returns_into_trap_entry(return_address))
            next_trap = reinterpret_cast<const TrapFrame*>(caller_fp - sizeof(TrapFrame));
        if (caller_fp != 0) {
            // Within a stack the chain climbs; it may also cross once from a hart's emergency trap
            // stack (a stack overflow's report runs there) to the hart's own.
            const StackBounds next = stack_holding(caller_fp);
            if (next.low == stack.low && caller_fp <= fp) {
                console::print("  (frame chain does not climb the stack; stopping)\n");
                return;
            }
            stack = next;
        }
        fp = caller_fp;
    }
}

}  // namespace keel
