// The C++ side of every trap: interrupts go to their drivers; exceptions get a report (cause by
// name, sepc, stval, registers, backtrace) and then resume a fault guard, step over an ebreak,
// or panic.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/interrupts.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/backtrace.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>

namespace keel {
namespace {

constexpr const char* kRegisterNames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
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

void handle_exception(TrapFrame& frame, TrapCause cause) {
    Hart& hart = this_hart();
    hart.last_trap.store(cause.raw, MemoryOrder::kRelaxed);
    hart.traps.fetch_add(1, MemoryOrder::kRelaxed);
    if (hart.fault_guard == nullptr || !hart.fault_guard_quiet) report(frame, cause, hart.id);

    if (hart.fault_guard != nullptr) {
        SavedContext* guard = hart.fault_guard;
        if (!hart.fault_guard_quiet) console::print("trap: recovered: the guarded call is abandoned\n");
        hart.fault_guard = nullptr;
        // Leaving through the guard instead of sret: restore the interrupt state sret would have.
        if ((frame.sstatus & csr::kSstatusSpie) != 0) csr::enable_interrupts();
        keel_context_resume(guard);
    }
    if (cause.is(Exception::kBreakpoint)) {
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
    hart.fault_guard = &context;
    body(argument);
    hart.fault_guard = nullptr;
    return false;
}

}  // namespace keel

extern "C" void keel_trap(keel::TrapFrame* frame) {
    const keel::TrapCause cause{frame->scause};
    if (cause.is_interrupt()) {
        keel::handle_interrupt(cause);
    } else {
        keel::handle_exception(*frame, cause);
    }
}
