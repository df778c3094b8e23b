// SPDX-License-Identifier: MIT
// The C++ side of every trap: interrupts go to their drivers; exceptions get a report (cause by
// name, sepc, stval, registers, backtrace) and then resume a fault guard, step over an ebreak,
// or panic.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/interrupts.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/backtrace.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>
#include <keel/kernel/power.h>

namespace keel {
namespace {

constexpr const char* kRegisterNames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

// Length of the instruction at `pc`: 4 when its low two bits are 11, else 2 (RVC). Unprivileged
// spec §1.5 "Base Instruction-Length Encoding".
uint64_t instruction_length(uint64_t pc) {
    const uint16_t low = *reinterpret_cast<const volatile uint16_t*>(pc);
    return (low & 0x3) == 0x3 ? 4 : 2;
}

void report(const TrapFrame& frame, TrapCause cause, uint64_t hartid) {
    console::print("\nTRAP: {} (scause={:#x}) on hart {}\n", cause.name(), cause.raw, hartid);
    print_trap_frame(frame);
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

void handle_exception(TrapFrame& frame, TrapCause cause) {
    Hart& hart = this_hart();
    hart.last_trap.store(cause.raw, MemoryOrder::kRelaxed);
    hart.traps.fetch_add(1, MemoryOrder::kRelaxed);
    if (hart.in_exception) nested_fault(frame, cause);
    hart.in_exception = true;

    // A guard covers faults of the code that armed it, not of an interrupt handler that happened
    // to run inside it (that handler's claim or timer would be left unfinished).
    SavedContext* guard = hart.fault_guard;
    if (guard != nullptr && hart.trap_depth != hart.fault_guard_depth + 1) guard = nullptr;
    hart.fault_guard = nullptr;
    const bool quiet = guard != nullptr && hart.fault_guard_quiet;
    if (!quiet) report(frame, cause, hart.id);

    if (guard != nullptr) {
        if (!quiet) console::print("trap: recovered: the guarded call is abandoned\n");
        hart.in_exception = false;
        hart.trap_depth = hart.fault_guard_depth;
        // Leaving through the guard instead of sret: it restores the interrupt state sret would.
        keel_context_resume(guard, (frame.sstatus & csr::kSstatusSpie) != 0);
    }
    hart.in_exception = false;
    if (cause.is(Exception::kBreakpoint) && hart.trap_depth == 1) {
        frame.sepc += instruction_length(frame.sepc);
        console::print("trap: breakpoint: continuing after it\n");
        return;
    }
    panic("unhandled {} in the kernel", cause.name());
}

}  // namespace

void install_trap_vector() {
    // Direct mode (stvec[1:0] = 0): the vector is 4-byte aligned (trap.S).
    KEEL_CSR_WRITE(stvec, reinterpret_cast<uint64_t>(&keel_trap_entry));
}

void print_trap_frame(const TrapFrame& frame) {
    console::print("  sepc=");
    print_code_address(frame.sepc);
    console::print("\n  stval={:#018x} sstatus={:#018x}\n", frame.stval, frame.sstatus);
    for (int i = 1; i < 32; ++i) {
        console::print("{}{:>4}={:#018x}", (i - 1) % 4 == 0 ? "  " : " ", kRegisterNames[i],
                       frame.regs[i]);
        if (i % 4 == 0 || i == 31) console::print("\n");
    }
}

bool run_guarded(void (*body)(void*), void* argument, bool quiet) {
    SavedContext context;
    Hart& hart = this_hart();
    if (keel_context_save(&context) != 0) return true;  // resumed by the trap handler
    hart.fault_guard_quiet = quiet;
    hart.fault_guard_depth = hart.trap_depth;
    hart.fault_guard = &context;
    body(argument);
    hart.fault_guard = nullptr;
    return false;
}

}  // namespace keel

extern "C" void keel_trap(keel::TrapFrame* frame) {
    keel::Hart& hart = keel::this_hart();  // stvec is installed only after hart_online()
    const keel::TrapCause cause{frame->scause};
    ++hart.trap_depth;
    if (cause.is_interrupt()) {
        keel::handle_interrupt(cause);
    } else {
        keel::handle_exception(*frame, cause);
    }
    --hart.trap_depth;
}
