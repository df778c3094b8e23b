// SPDX-License-Identifier: MIT
// panic: the last words of the machine. The first hart to panic stops the others (IPI), prints
// the message, where it came from and a backtrace, then makes QEMU exit with a failure (or halts).
// A panic while panicking prints one line and halts; a second hart's panic just halts.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/backtrace.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/core/power.h>

namespace keel {
namespace {

// The panicking hart: its per-hart block address | 1 (so that even "no block yet" is non-zero).
constinit Atomic<uintptr_t> g_panic_owner{0};
// Panics the owner raised while already panicking; past the first, print nothing more.
constinit Atomic<uint32_t> g_recursions{0};
constinit Atomic<uint32_t> g_halting{0};  // words: RISC-V has no byte AMOs

// Asks every other online hart to stop for good; their software-interrupt handler sees halting().
void halt_others() {
    g_halting.store(1, MemoryOrder::kRelease);
    const Hart* self = this_hart_or_null();
    for (const Hart& hart : g_harts) {
        if (&hart == self || hart.stage.load(MemoryOrder::kAcquire) != HartStage::kOnline) continue;
        // A hart the IPI does not reach cannot be stopped any other way; the report still prints.
        (void)sbi::ipi::send_ipi(1ul, hart.id);  // mask bit 0, relative to base: that hart
    }
}

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
        hart->stage.store(HartStage::kHalted, MemoryOrder::kRelease);
    for (;;) csr::wait_for_interrupt();
}

bool halting() {
    return g_halting.load(MemoryOrder::kAcquire) != 0;
}

void panic_with(const char* file, int line, const char* format, const FormatArg* args,
                size_t count) {
    csr::disable_interrupts();
    disarm_guard();  // a fault from here on must not resume code that armed a guard before

    const uintptr_t me = reinterpret_cast<uintptr_t>(this_hart_or_null()) | 1;
    uintptr_t owner = 0;
    if (!g_panic_owner.compare_exchange_strong(owner, me, MemoryOrder::kAcqRel,
                                               MemoryOrder::kAcquire)) {
        if (owner != me) halt();  // another hart is reporting, and stopping everyone
        if (g_recursions.fetch_add(1, MemoryOrder::kRelaxed) == 0) {
            console::enter_panic_mode();
            print_message("PANIC (recursive): ", file, line, format, args, count);
            console::finish_panic_report();
            power::fail(power::ExitStatus::kRecursivePanic);  // one MMIO write; if even that
                                                              // faults, we come back here and halt
        }
        halt();
    }
    halt_others();
    console::enter_panic_mode();
    print_message("PANIC: ", file, line, format, args, count);
    print_backtrace(current_frame());
    console::finish_panic_report();
    power::fail(power::ExitStatus::kPanic);
}

}  // namespace keel
