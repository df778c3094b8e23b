// SPDX-License-Identifier: MIT
// Hart bring-up and hand-off. Each hart's work slot (Hart::work, Hart::work_argument) is written
// by the boot hart and taken by the hart itself; an IPI (SBI IPI, sip.SSIP) wakes it to look.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>
#include <keel/kernel/smp.h>

namespace keel::smp {
namespace {

constexpr uint64_t kStartDeadlineMs = 5000;  // TCG with 8 harts on a loaded host is slow

bool is_online(const Hart& hart) {
    return hart.state.load(MemoryOrder::kAcquire) == HartState::kOnline;
}

// Sleeps until an IPI: interrupts off between the look and wfi, so one cannot slip in between.
void wait_for_work(Hart& hart) {
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (hart.work.load(MemoryOrder::kAcquire) == 0) csr::wait_for_interrupt();
    csr::restore_interrupts(were_enabled);
}

void run_pending_work(Hart& hart) {
    const uintptr_t work = hart.work.load(MemoryOrder::kAcquire);
    if (work == 0) return;
    reinterpret_cast<Work>(work)(hart.work_argument);
    hart.work.store(0, MemoryOrder::kRelease);  // done: the slot is free, the results visible
}

// Claims a slot for the hart, hart_start, and a wait for the hart to say it is online.
bool start(const HartInfo& info) {
    Hart* hart = claim_hart_slot(info.id);
    if (hart == nullptr) {
        console::print("smp: hart {} not started: all {} hart slots are taken\n", info.id,
                       memlayout::kMaxHarts);
        return false;
    }
    hart->plic_context = info.plic_context;
    const sbi::Result started =
        sbi::hsm::hart_start(info.id, reinterpret_cast<uintptr_t>(&keel_secondary_entry),
                             reinterpret_cast<uintptr_t>(hart));
    if (!started.ok()) {
        release_hart_slot(*hart);
        console::print("smp: hart {} not started: {}\n", info.id, sbi::error_name(started.error));
        return false;
    }
    const uint64_t deadline = timer::uptime_ms() + kStartDeadlineMs;
    while (!is_online(*hart) && timer::uptime_ms() < deadline) {
    }
    if (!is_online(*hart)) {
        // Its slot stays claimed: the hart may still arrive and must not share a stack.
        console::print("smp: hart {} started but not online after {} ms\n", info.id,
                       kStartDeadlineMs);
        return false;
    }
    return true;
}

// "smp: 36 harts not started (keel runs at most 64): 64 65 ... 79 and 20 more"
void report_skipped(const BootInfo& info) {
    if (info.skipped_count == 0) return;
    console::print("smp: {} hart{} not started (keel runs at most {}):", info.skipped_count,
                   info.skipped_count == 1 ? "" : "s", memlayout::kMaxHarts);
    const unsigned listed =
        info.skipped_count < kMaxSkippedHarts ? info.skipped_count : kMaxSkippedHarts;
    for (unsigned i = 0; i < listed; ++i) console::print(" {}", info.skipped_ids[i]);
    if (listed < info.skipped_count) console::print(" and {} more", info.skipped_count - listed);
    console::print("\n");
}

}  // namespace

void start_secondary_harts(const BootInfo& info) {
    const uint64_t self = this_hart().id;
    console::print("hart {} online (boot hart)\n", self);
    for (unsigned i = 0; i < info.hart_count; ++i) {
        const HartInfo& hart = info.harts[i];
        if (hart.usable && hart.id != self) start(hart);
    }
    report_skipped(info);
    const unsigned online = online_count();
    console::print("smp: {} hart{} online\n", online, online == 1 ? "" : "s");
}

unsigned online_count() {
    unsigned count = 0;
    for (const Hart& hart : g_harts) count += is_online(hart) ? 1 : 0;
    return count;
}

namespace {

bool hand_over(Hart& hart, Work work, void* argument) {
    if (!is_online(hart) || &hart == &this_hart()) return false;
    if (hart.work.load(MemoryOrder::kAcquire) != 0) return false;
    hart.work_argument = argument;
    hart.work.store(reinterpret_cast<uintptr_t>(work), MemoryOrder::kRelease);
    sbi::ipi::send_ipi(1, hart.id);
    return true;
}

}  // namespace

bool run_on(uint64_t id, Work work, void* argument) {
    Hart* hart = find_hart(id);
    return hart != nullptr && hand_over(*hart, work, argument);
}

void run_on_all(Work work, void* argument) {
    bool started[memlayout::kMaxHarts] = {};
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot)
        started[slot] = hand_over(g_harts[slot], work, argument);
    work(argument);
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        // A hart that halted (a panic) will never finish; everyone else does.
        const Hart& hart = g_harts[slot];
        while (started[slot] && hart.work.load(MemoryOrder::kAcquire) != 0 && is_online(hart)) {
        }
    }
}

}  // namespace keel::smp

extern "C" void secondary_main(uint64_t hartid, keel::Hart*, bool came_to_start) {
    using namespace keel;
    Hart& hart = this_hart();  // boot.S pointed tp at our block
    install_trap_vector();
    timer::stop();  // no tick: an idle hart must not wake
    KEEL_CSR_SET(sie, csr::kSoftwareInterrupt);
    hart_online(hart, false);
    console::print(
        "hart {} online{}\n", hartid,
        came_to_start ? " (it came to _start: the firmware ran it before storing its start address)"
                      : "");
    csr::enable_interrupts();
    for (;;) {
        smp::run_pending_work(hart);
        smp::wait_for_work(hart);
    }
}
