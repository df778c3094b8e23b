// SPDX-License-Identifier: MIT
// Hart bring-up and hand-off. Each hart's work slot is written by the hart that hands work over
// and taken by the hart itself; an IPI (SBI IPI, sip.SSIP) wakes it to look.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/hart_start.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/smp.h>
#include <keel/kernel/vm.h>

namespace keel::smp {
namespace {

constexpr uint64_t kStartDeadlineUs = 5'000'000;  // TCG with 64 harts on a loaded host is slow

// A hart's work: the function (0 when none) and its argument. By slot.
struct WorkSlot {
    Atomic<uintptr_t> work{0};
    void* argument = nullptr;
};
constinit WorkSlot g_work[memlayout::kMaxHarts];

bool is_online(const Hart& hart) {
    return hart.stage.load(MemoryOrder::kAcquire) == HartStage::kOnline;
}

// Sleeps until an IPI: interrupts off between the look and wfi, so one cannot slip in between.
void wait_for_work(const WorkSlot& slot) {
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (slot.work.load(MemoryOrder::kAcquire) == 0) csr::wait_for_interrupt();
    csr::restore_interrupts(were_enabled);
}

void run_pending_work(WorkSlot& slot) {
    const uintptr_t work = slot.work.load(MemoryOrder::kAcquire);
    if (work == 0) return;
    reinterpret_cast<Work>(work)(slot.argument);
    slot.work.store(0, MemoryOrder::kRelease);  // done: the slot is free, the results visible
}

// Claims a slot for the hart, hart_start, and a wait for the hart to say it is online.
bool start(const HartInfo& info) {
    Hart* hart = claim_hart_slot(info.id);
    if (hart == nullptr) {
        console::print("smp: hart {} not started: all {} hart slots are taken\n", info.id,
                       memlayout::kMaxHarts);
        return false;
    }
    const sbi::Result started =
        start_hart(hart->slot, info.id, memlayout::stack_top(hart->slot), hart);
    if (!started.ok()) {
        release_hart_slot(*hart);
        console::print("smp: hart {} not started: {}\n", info.id, sbi::error_name(started.error()));
        return false;
    }
    if (!timer::poll_until([hart] { return is_online(*hart); }, kStartDeadlineUs)) {
        // Its slot stays claimed: the hart may still arrive and must not share a stack.
        console::print("smp: hart {} started but not online after {} ms\n", info.id,
                       kStartDeadlineUs / 1000);
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

Result<void, RunError> hand_over(Hart& hart, Work work, void* argument) {
    if (&hart == &this_hart()) return RunError::kSelf;
    if (!is_online(hart)) return RunError::kNotOnline;
    WorkSlot& slot = g_work[hart.slot];
    if (slot.work.load(MemoryOrder::kAcquire) != 0) return RunError::kBusy;
    slot.argument = argument;
    slot.work.store(reinterpret_cast<uintptr_t>(work), MemoryOrder::kRelease);
    // The hart finds the work at its next wake-up anyway; the IPI only makes that now.
    (void)sbi::ipi::send_ipi(1, hart.id);
    return {};
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

const char* run_error_name(RunError error) {
    switch (error) {
    case RunError::kNoSuchHart: return "keel runs no such hart";
    case RunError::kSelf: return "that is this hart";
    case RunError::kNotOnline: return "not online";
    case RunError::kBusy: return "busy with earlier work";
    }
    return "unknown";
}

Result<void, RunError> run_on(uint64_t id, Work work, void* argument) {
    Hart* hart = find_hart(id);
    if (hart == nullptr) return RunError::kNoSuchHart;
    return hand_over(*hart, work, argument);
}

void run_on_all(Work work, void* argument) {
    bool started[memlayout::kMaxHarts] = {};
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        started[slot] = hand_over(g_harts[slot], work, argument).ok();
    }
    work(argument);
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        // A hart that halted (a panic) will never finish; everyone else does.
        while (started[slot] && g_work[slot].work.load(MemoryOrder::kAcquire) != 0 &&
               is_online(g_harts[slot])) {
        }
    }
}

}  // namespace keel::smp

extern "C" void secondary_main(uint64_t, keel::Hart* context, bool came_to_start) {
    using namespace keel;
    Hart& hart = *context;      // boot.S pointed tp at it too; it says which hart this is
    vm::enable_on_this_hart();  // the kernel map, before anything that could fault
    install_trap_vector(hart.slot);
    timer::stop();  // no tick: an idle hart must not wake
    KEEL_CSR_SET(sie, csr::kSoftwareInterrupt);
    hart_online(hart, false);
    console::print(
        "hart {} online{}\n", hart.id,
        came_to_start ? " (it came to _start: the firmware ran it before storing its start address)"
                      : "");
    csr::enable_interrupts();
    smp::WorkSlot& work = smp::g_work[hart.slot];
    for (;;) {
        smp::run_pending_work(work);
        smp::wait_for_work(work);
    }
}
