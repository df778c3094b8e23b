// SPDX-License-Identifier: MIT
// Traps, the hardware side: the register frame trap.S saves, the trap entry that hands each trap to
// the kernel, and fault guards that let code survive an exception it provoked on purpose (the
// fault selftests, a feature probe, a UART that faults when touched). What a trap means is the
// kernel's business: it defines handle_interrupt() and handle_exception() (src/kernel/traps.cpp).
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

// Whether the trap came from U-mode (sstatus.SPP = 0, privileged spec §4.1.1).
inline bool from_user(const TrapFrame& frame) {
    return (frame.sstatus & (1ull << 8)) == 0;
}

// The callee-saved state keel_context_save() records (psABI: ra, sp, s0-s11).
struct SavedContext {
    uint64_t ra;
    uint64_t sp;
    uint64_t s[12];
};
static_assert(offsetof(SavedContext, ra) == 0 && offsetof(SavedContext, sp) == 8 &&
                  offsetof(SavedContext, s) == 16 && sizeof(SavedContext) == 14 * 8,
              "trap.S's keel_context_save/resume hard-code this layout");

// What the trap code keeps per thread of execution (a task, or a hart's idle loop): the bottom of
// its stack (below it, trap.S takes the emergency stack), its trap nesting and its fault guard.
// The scheduler swaps it at every switch, so that one task's guard never catches another's fault.
struct TrapThread {
    uint64_t stack_low = 0;
    uint64_t stack_high = 0;  // one past its top (backtraces stay inside [low, high))
    void* owner = nullptr;    // the kernel's task it is: handed to the lean path as is
    uint32_t depth = 0;
    SavedContext* guard = nullptr;
    uint32_t guard_depth = 0;
    bool guard_quiet = false;
};
// Saves the calling hart's current thread state into *save and makes `load` current. (Its stack
// and owner never change while it runs: only its nesting and guard are saved.)
void switch_trap_thread(TrapThread* save, const TrapThread& load);
// The calling hart's current thread state (install_trap_vector starts it on the hart's stack;
// empty before that).
TrapThread current_trap_thread();

// Installs keel's trap vector on the calling hart (stvec, direct mode) and points sscratch at the
// trap state of hart slot `slot`, where the trap code keeps the hart's guard and nesting depth.
void install_trap_vector(unsigned slot);

// Defined by the kernel (src/kernel/traps.cpp), called by the trap entry with interrupts off.
void handle_interrupt(TrapCause cause);
void handle_exception(TrapFrame& frame, TrapCause cause);
// Called first for a trap from U-mode (interrupts off) that the lean path handed on:
// the program's time in U-mode ends.
void entered_from_user();
// Called last for a trap from U-mode (interrupts off), on its way back there: the kernel's one
// return-to-user path (preemption, kills, signals).
void return_to_user(TrapFrame& frame);

// Runs `body(argument)`; if it raises an exception, the kernel's handler resumes here instead of
// panicking, after printing its report unless `quiet` (probing for a feature that may trap).
// Returns true when a fault was caught. One guard per hart at a time.
bool run_guarded(void (*body)(void*), void* argument, bool quiet = false);

// A guard run_guarded() armed, for the kernel's exception handler.
struct Guard {
    SavedContext* context = nullptr;  // nullptr: no guard covers this trap
    uint32_t depth = 0;               // trap depth when it was armed
    bool quiet = false;
};
// The guard covering the code this exception interrupted, disarmed; empty when there is none. A
// guard covers faults of the code that armed it, not of an interrupt handler nested inside it.
Guard take_guard();
// Disarms the calling hart's guard: from a panic on, no fault may resume code that armed one.
void disarm_guard();
// Leaves the exception through `guard` (run_guarded() returns true), restoring the interrupt
// state sret would have (the interrupted code's, from `frame`).
[[noreturn]] void resume_guard(const Guard& guard, const TrapFrame& frame);
// Traps being handled on the calling hart (1 inside a handler, 2 for a trap inside that one...).
uint32_t trap_depth();
// The exceptions hart slot `slot` has taken (trap.S counts them as they come), and the scause of
// the last one (meaningful once exceptions > 0).
struct TrapCounts {
    uint64_t exceptions = 0;
    uint64_t last_cause = 0;
};
TrapCounts trap_counts(unsigned slot);

// Length of the instruction at `pc`: 4 when its low two bits are 11, else 2 (RVC). Unprivileged
// spec §1.5 "Base Instruction-Length Encoding".
uint64_t instruction_length(uint64_t pc);

// What the lean path (keel_user_syscall, keel_user_fault) did with an exception from U-mode
// (trap.S tests these values).
enum class UserTrap : uint64_t {
    kDone = 0,       // handled, and nothing waits for the way back: straight back to U-mode
    kFinish = 1,     // handled, but the way back has work (return_to_user(), with the whole frame)
    kUnhandled = 2,  // nothing done: the full path takes the trap (keel_trap())
};

}  // namespace keel

extern "C" {
void keel_trap_entry();
void keel_trap(keel::TrapFrame* frame);
// The lean path of an exception from U-mode, defined by the kernel (src/kernel/user_trap.cpp)
// and called by trap.S with interrupts off, before anything else sees the trap: an ecall, and
// every other exception. `frame` is not whole: it holds what a C call may clobber (ra, t0-t6,
// a0-a7), sp, gp, tp, s0 and the CSRs, but s1-s11 are still the program's, in the registers,
// which the C ABI keeps for trap.S (it stores them into the frame before kFinish or kUnhandled go
// on). `owner` is the running task's TrapThread::owner.
keel::UserTrap keel_user_syscall(keel::TrapFrame* frame, void* owner);
keel::UserTrap keel_user_fault(keel::TrapFrame* frame, void* owner);
// kFinish's way on: return_to_user(*frame) with the frame now whole.
void keel_trap_finish(keel::TrapFrame* frame);
// setjmp/longjmp for the kernel: save returns 0, and 1 again when resumed. Resuming sets
// sstatus.SIE when `enable_interrupts`, after the stack has been switched back.
__attribute__((returns_twice)) int keel_context_save(keel::SavedContext* context);
[[noreturn]] void keel_context_resume(const keel::SavedContext* context, bool enable_interrupts);
// Leaves for user mode through the trap exit with `frame`'s registers (trap.S). Never returns.
[[noreturn]] void keel_enter_user(keel::TrapFrame* frame);
}
