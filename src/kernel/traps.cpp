// SPDX-License-Identifier: MIT
// The kernel's side of every trap (arch/riscv/trap.cpp calls handle_interrupt and
// handle_exception): interrupts to the tick, the PLIC's handlers, or a halt; exceptions reported,
// then a fault guard resumed, an ebreak stepped over, or a panic.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/irq.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/backtrace.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/core/power.h>
#include <keel/kernel/process.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/task.h>
#include <keel/kernel/traps.h>
#include <keel/kernel/user_time.h>
#include <keel/kernel/vm.h>

namespace keel {
namespace {

constexpr const char* kRegisterNames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

// Per hart, by slot. (Its exceptions are counted by trap.S: trap_counts().)
struct HartTraps {
    bool reporting = false;  // reporting an exception right now
    int plic_context = -1;
};
constinit HartTraps g_harts_traps[memlayout::kMaxHarts];

HartTraps& this_hart_traps() {
    return g_harts_traps[this_hart().slot];
}

void report(const TrapFrame& frame, TrapCause cause, uint64_t hartid) {
    console::print("\nTRAP: {} (scause={:#x}) on hart {}\n", cause.name(), cause.raw, hartid);
    if (!cause.is_interrupt()) vm::explain_fault(cause, frame.stval);
    traps::print_frame(frame);
    // The frame record trap.S built ends where the TrapFrame ends.
    print_backtrace(reinterpret_cast<uint64_t>(&frame) + sizeof(TrapFrame), &frame);
}

// A fault while reporting a fault: the console may be what is broken, so say it through the
// firmware, once, and stop.
[[noreturn]] void nested_fault(const TrapFrame& frame, TrapCause cause) {
    char line[160];
    const size_t length =
        format_to(line, sizeof line, "\r\nTRAP inside the trap handler: {} at sepc={:#x}\r\n",
                  cause.name(), frame.sepc);
    for (size_t i = 0; i < length; ++i) sbi::legacy::console_putchar(line[i]);
    power::fail(power::ExitStatus::kNestedTrap);
}

}  // namespace

void handle_exception(TrapFrame& frame, TrapCause cause) {
    HartTraps& mine = this_hart_traps();
    if (from_user(frame)) {  // a syscall, or a program's fault: the program's business alone
        process::handle_user_exception(frame, cause);
        return;
    }
    if (mine.reporting) nested_fault(frame, cause);
    mine.reporting = true;

    const Guard guard = take_guard();
    const bool quiet = guard.context != nullptr && guard.quiet;
    if (!quiet) report(frame, cause, this_hart().id);
    mine.reporting = false;
    if (guard.context != nullptr) {
        if (!quiet) console::print("trap: recovered: the guarded call is abandoned\n");
        resume_guard(guard, frame);
    }
    // A task whose stack ran into its guard ends (the report above said why); the kernel goes on.
    sched::end_faulting_task(frame.stval);
    if (cause.is(Exception::kBreakpoint) && trap_depth() == 1) {
        frame.sepc += instruction_length(frame.sepc);
        console::print("trap: breakpoint: continuing after it\n");
        return;
    }
    panic("unhandled {} in the kernel", cause.name());
}

void entered_from_user() {
    sched::Task& task = sched::running();
    // (Not when the lean path handed the trap on after counting it: user_trap.cpp.)
    if (task.user_since != 0) process::left_user_mode(task, csr::time());
}

void return_to_user(TrapFrame& frame) {
    process::return_to_user(frame);
}

void handle_interrupt(TrapCause cause) {
    if (cause.is(Interrupt::kSupervisorTimer)) {
        if (timer::on_interrupt(this_hart().slot)) sched::on_alarm();
    } else if (cause.is(Interrupt::kSupervisorExternal)) {
        irq::dispatch(this_hart_traps().plic_context);
    } else if (cause.is(Interrupt::kSupervisorSoftware)) {
        KEEL_CSR_CLEAR(sip, csr::kSoftwareInterrupt);  // SSIP is ours to clear (§4.1.3)
        if (halting()) halt();
        // Otherwise the scheduler's IPI: new work for this hart, or a task here to kill.
    }
    // Where preemption happens: an interrupt that is not nested in another trap is ending.
    if (trap_depth() == 1) {
        sched::on_interrupt_exit();
    } else if (cause.is(Interrupt::kSupervisorSoftware)) {
        // Nested in a syscall: no switch here, but the task the IPI brought must get its turn
        // when the slice ends, so the alarm is armed for it now.
        sched::on_nested_ipi();
    }
}

namespace traps {

Stats stats(unsigned slot) {
    const TrapCounts counts = trap_counts(slot);
    return Stats{counts.exceptions, counts.last_cause};
}

void set_plic_context(int context) {
    this_hart_traps().plic_context = context;
}

void print_frame(const TrapFrame& frame) {
    console::print("  sepc=");
    print_code_address(frame.sepc);
    console::print("\n  stval={:#018x} sstatus={:#018x}\n", frame.stval, frame.sstatus);
    for (int i = 1; i < 32; ++i) {
        console::print("{}{:>4}={:#018x}", (i - 1) % 4 == 0 ? "  " : " ", kRegisterNames[i],
                       frame.regs[i]);
        if (i % 4 == 0 || i == 31) console::print("\n");
    }
}

}  // namespace traps
}  // namespace keel
