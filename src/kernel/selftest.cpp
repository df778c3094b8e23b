// SPDX-License-Identifier: MIT
// selftest=fault:KIND | ebreak | panic | panic-recursive | oom | sleep | uart | shutdown | reboot
// | early-panic, from /chosen/bootargs.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/core/power.h>
#include <keel/kernel/faults.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/selftest.h>
#include <keel/lib/cmdline.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

namespace keel {
namespace {

constexpr char kFaultPrefix[] = "fault:";

void fault_test(StringView kind_name) {
    const FaultKindInfo* kind = find_fault_kind(kind_name);
    if (kind == nullptr) {
        console::print("selftest: no fault kind '{:e}' (see the fault command)\n", kind_name);
        return;
    }
    console::print("selftest: provoking a fault: {}\n", kind->description);
    const auto caught = provoke_fault(kind->kind);
    if (!caught.ok()) {
        console::print("selftest: fault {} not provoked: no task for it ({})\n", kind->name,
                       sched::spawn_error_name(caught.error()));
        return;
    }
    console::print("selftest: fault {} {}\n", kind->name,
                   caught.value() ? "caught, kernel carries on" : "NOT raised");
}

// Gives the page allocator back a page it never handed out (the middle of a page it did): a bug,
// which must panic with the address and the caller.
[[gnu::noinline]] void bad_page_free() {
    const auto page = pages::allocate(0);
    if (!page.ok()) {
        console::print("selftest: page-free: no page to start from\n");
        return;
    }
    console::print("selftest: page-free: freeing {:#x}, 8 bytes into the page {:#x}\n",
                   page.value() + 8, page.value());
    pages::free(page.value() + 8, 0);
    console::print("selftest: page-free: NOT refused\n");
}

// Runs with sp 256 bytes above the bottom of this task's stack, interrupts on, for 50 ms, with
// the alarm set to come 10 ms in: the trap finds too little stack, takes the emergency one, and
// must hand back the sp it found (trap.S restores the saved one, not "frame + size").
void stack_edge_test() {
    const unsigned slot = this_hart().slot;
    const uint64_t low = current_trap_thread().stack_low;
    const uint64_t interrupts = timer::interrupts(slot);
    const uint64_t until = csr::time() + timer::from_ms(50);
    timer::set_alarm(slot, csr::time() + timer::from_ms(10));
    uint64_t before;
    uint64_t after;
    const bool were_enabled = csr::save_and_disable_interrupts();
    asm volatile(
        "mv   t0, sp\n\t"
        "addi sp, %[low], 256\n\t"
        "mv   %[before], sp\n\t"
        "csrsi sstatus, 2\n\t"  // SIE: let the tick in
        "1: rdtime t1\n\t"
        "bltu t1, %[until], 1b\n\t"
        "csrci sstatus, 2\n\t"
        "mv   %[after], sp\n\t"
        "mv   sp, t0"
        : [before] "=&r"(before), [after] "=&r"(after)
        : [low] "r"(low), [until] "r"(until)
        : "t0", "t1", "memory");
    csr::restore_interrupts(were_enabled);
    const uint64_t taken = timer::interrupts(slot) - interrupts;
    console::print(
        "selftest: stack-edge: sp {:#x} before, {:#x} after {} timer interrupt{} there\n", before,
        after, taken, plural(taken));
}

// A task sleeps 300 ms; its hart, with nothing else to run, waits in wfi for the one alarm.
void sleep_test() {
    const unsigned slot = this_hart().slot;
    const uint64_t interrupts_before = timer::interrupts(slot);
    const uint64_t start_ms = timer::uptime_ms();
    console::print("selftest: sleep: uptime {} ms, timer interrupts {}; sleeping 300 ms\n",
                   start_ms, interrupts_before);
    sched::sleep_ms(300);
    console::print("selftest: sleep: woke at uptime {} ms, timer interrupts {}\n",
                   timer::uptime_ms(), timer::interrupts(slot));
}

// Sleeps until input has stopped arriving: nothing new for 300 ms (at most 10 s in all).
void wait_for_quiet_input() {
    uint64_t last = 0;
    int quiet_periods = 0;
    for (int i = 0; i < 100 && quiet_periods < 3; ++i) {
        sched::sleep_ms(100);
        const console::ReceiveStats stats = console::receive_stats();
        const uint64_t seen = stats.received + stats.dropped;
        quiet_periods = seen != 0 && seen == last ? quiet_periods + 1 : 0;
        last = seen;
    }
}

// Bytes typed while nobody reads pile up in the receive ring; past its capacity they are dropped
// and counted. Afterwards the console echoes one line to show input still flows.
void uart_test() {
    console::print("selftest: uart: send now\n");
    wait_for_quiet_input();
    size_t drained = 0;
    while (console::read_byte() >= 0) ++drained;
    const console::ReceiveStats stats = console::receive_stats();
    console::print(
        "selftest: uart: interrupt-driven {}, interrupts {}, queued {}, dropped {}, "
        "ring {}, drained {}\n",
        stats.interrupt_driven, stats.interrupts, stats.received, stats.dropped, stats.capacity,
        drained);
    char line[64];
    size_t length = 0;
    for (;;) {
        const int byte = console::read_byte();
        if (byte < 0) {
            sched::sleep_ms(10);
            continue;
        }
        if (byte == '\r' || byte == '\n') break;
        if (length + 1 < sizeof line) line[length++] = static_cast<char>(byte);
    }
    console::print("selftest: uart: line \"{}\"\n", StringView{line, length});
}

}  // namespace

void run_early_selftest(StringView cmdline) {
    const BootOption option = boot_option(cmdline, "selftest");
    if (option.found && equals(option.value, "early-panic")) {
        panic("selftest: an early panic, before the console is attached");
    }
}

void run_boot_selftest(StringView cmdline) {
    const BootOption option = boot_option(cmdline, "selftest");
    if (!option.found) return;
    const StringView name = option.value;
    const StringView fault_prefix = StringView::of(kFaultPrefix);
    if (name.starts_with(fault_prefix)) {
        fault_test(name.after(fault_prefix.size));
    } else if (equals(name, "ebreak")) {
        console::print("selftest: ebreak outside any fault guard\n");
        asm volatile("ebreak");  // reported, then stepped over
        console::print("selftest: ebreak: still running after it\n");
    } else if (equals(name, "panic")) {
        panic("selftest: panic requested on the command line");
    } else if (equals(name, "panic-recursive")) {
        // Formatting this argument faults (no memory at 0x8), inside panic: the trap handler
        // panics again, on the hart that is already panicking.
        panic("selftest: a panic whose message faults: {}", reinterpret_cast<const char*>(0x8));
    } else if (equals(name, "oom")) {
        console::print("selftest: oom: asking operator new for 1 MiB from a 128 KiB heap\n");
        volatile char* block = new char[1024 * 1024];
        block[0] = 1;  // never reached: the throwing new panics instead of returning nullptr
    } else if (equals(name, "stack-edge")) {
        stack_edge_test();
    } else if (equals(name, "page-free")) {
        bad_page_free();
    } else if (equals(name, "sleep")) {
        sleep_test();
    } else if (equals(name, "uart")) {
        uart_test();
    } else if (equals(name, "shutdown")) {
        console::print("selftest: shutdown via SBI SRST\n");
        power::shutdown();
    } else if (equals(name, "early-panic")) {
        // run_early_selftest() ran it already, or the machine would not be here.
    } else if (equals(name, "reboot")) {
        console::print("selftest: cold reboot via SBI SRST\n");
        power::reboot();
    } else {
        console::print(
            "selftest: unknown test '{:e}' (fault:KIND, ebreak, panic, panic-recursive, oom, "
            "page-free, stack-edge, sleep, uart, shutdown, reboot, early-panic)\n",
            name);
    }
}

}  // namespace keel
