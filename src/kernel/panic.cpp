// SPDX-License-Identifier: MIT
// panic: the last words of the machine. The first hart to panic stops the others (IPI), prints
// the message, where it came from and a backtrace, then makes QEMU exit with a failure (or halts).
// A panic while panicking prints one line and halts; a second hart's panic just halts.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/interrupts.h>
#include <keel/kernel/backtrace.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>
#include <keel/kernel/power.h>

namespace keel {
namespace {

// The panicking hart: its per-hart block address | 1 (so that even "no block yet" is non-zero).
constinit Atomic<uintptr_t> g_panic_owner{0};
// Panics the owner raised while already panicking; past the first, print nothing more.
constinit Atomic<uint32_t> g_recursions{0};

void print_message(const char* prefix, const char* file, int line, const char* format,
                   const FormatArg* args, size_t count) {
    const Hart* hart = this_hart_or_null();
    console::print("\n{}", prefix);
    vformat(console::sink(), format, args, count);
    if (hart != nullptr) {
        console::print("\n  at {}:{} on hart {}\n", file, line, hart->id);
    } else {
        console::print("\n  at {}:{} (early boot)\n", file, line);
    }
}

}  // namespace

void halt() {
    csr::disable_interrupts();
    KEEL_CSR_WRITE(sie, 0);  // wfi also wakes for interrupts enabled in sie; allow none
    if (Hart* hart = this_hart_or_null())
        hart->state.store(HartState::kHalted, MemoryOrder::kRelease);
    for (;;) csr::wait_for_interrupt();
}

void panic_with(const char* file, int line, const char* format, const FormatArg* args,
                size_t count) {
    csr::disable_interrupts();
    // A fault from here on must not resume code that armed a guard before the panic.
    if (Hart* hart = this_hart_or_null()) hart->fault_guard = nullptr;
    const uintptr_t me = reinterpret_cast<uintptr_t>(this_hart_or_null()) | 1;
    uintptr_t owner = 0;
    if (!g_panic_owner.compare_exchange_strong(owner, me, MemoryOrder::kAcqRel,
                                               MemoryOrder::kAcquire)) {
        if (owner != me) halt();  // another hart is reporting, and stopping everyone
        if (g_recursions.fetch_add(1, MemoryOrder::kRelaxed) == 0) {
            console::enter_panic_mode();
            print_message("PANIC (recursive): ", file, line, format, args, count);
            power::fail(power::ExitStatus::kRecursivePanic);  // one MMIO write; if even that
                                                              // faults, we come back here and halt
        }
        halt();
    }
    ipi::halt_others();
    console::enter_panic_mode();
    print_message("PANIC: ", file, line, format, args, count);
    print_backtrace(current_frame());
    power::fail(power::ExitStatus::kPanic);
}

}  // namespace keel
