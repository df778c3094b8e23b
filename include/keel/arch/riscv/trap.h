// SPDX-License-Identifier: MIT
// Traps: the register frame trap.S saves, the C++ handler's entry point, and fault guards that let
// kernel code survive an exception it provoked on purpose (the fault selftests, `fault KIND`).
#pragma once
#include <keel/arch/riscv/trap_cause.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

// Saved by trap.S on the interrupted hart's stack. regs[i] is xi as it was (regs[0] unused,
// regs[2] the sp before the trap). link_fp/link_ra form a frame record ([s0-16], [s0-8]) so that a
// backtrace walks from the handler through the trap into the interrupted code.
struct TrapFrame {
    uint64_t regs[32];
    uint64_t sepc;
    uint64_t sstatus;
    uint64_t scause;
    uint64_t stval;
    uint64_t link_fp;
    uint64_t link_ra;
};
static_assert(sizeof(TrapFrame) == 38 * 8, "trap.S hard-codes this layout");
static_assert(offsetof(TrapFrame, sepc) == 32 * 8 && offsetof(TrapFrame, link_ra) == 37 * 8);
static_assert(sizeof(TrapFrame) % 16 == 0, "the RISC-V psABI keeps sp 16-byte aligned");

// The callee-saved state keel_context_save() records (psABI: ra, sp, s0-s11).
struct SavedContext {
    uint64_t ra;
    uint64_t sp;
    uint64_t s[12];
};

// Installs keel's trap vector on the calling hart (stvec, direct mode).
void install_trap_vector();

// Runs `body(argument)`; if it raises an exception, the trap handler resumes here instead of
// panicking, after printing its report unless `quiet` (probing for a feature that may trap).
// Returns true when a fault was caught. One guard per hart at a time.
bool run_guarded(void (*body)(void*), void* argument, bool quiet = false);

// Prints "  sepc=0x... name+0x..", stval, sstatus and all 31 registers, four to a line.
void print_trap_frame(const TrapFrame& frame);

}  // namespace keel

extern "C" {
void keel_trap_entry();
void keel_trap(keel::TrapFrame* frame);
// setjmp/longjmp for the kernel: save returns 0, and 1 again when resumed. Resuming sets
// sstatus.SIE when `enable_interrupts`, after the stack has been switched back.
__attribute__((returns_twice)) int keel_context_save(keel::SavedContext* context);
[[noreturn]] void keel_context_resume(const keel::SavedContext* context, bool enable_interrupts);
}
