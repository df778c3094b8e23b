// SPDX-License-Identifier: MIT
// Hart bring-up and hand-off: each started hart becomes a scheduler hart (its idle loop), and
// work for a given hart runs in a task pinned to it.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/hart_start.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/smp.h>
#include <keel/kernel/vm.h>

namespace keel::smp {
namespace {

constexpr uint64_t kStartDeadlineUs = 5'000'000;  // TCG with 64 harts on a loaded host is slow

// What a task started by run_on()/run_on_all() runs: work(argument).
struct Handoff {
    Work work = nullptr;
    void* argument = nullptr;
};
constinit Handoff g_async[memlayout::kMaxHarts];  // run_on's, which outlive the call

bool is_online(const Hart& hart) {
    return hart.stage.load(MemoryOrder::kAcquire) == HartStage::kOnline;
}

int64_t run_handoff(void* argument) {
    const auto& handoff = *static_cast<const Handoff*>(argument);
    handoff.work(handoff.argument);
    return 0;
}

// A task pinned to `hart` that runs `handoff`.
Result<sched::TaskId, RunError> start_on(const Hart& hart, Handoff& handoff, bool detached) {
    if (&hart == &this_hart()) return RunError::kSelf;
    if (!is_online(hart)) return RunError::kNotOnline;
    sched::SpawnOptions options;
    options.hart_slot = hart.slot;
    options.detached = detached;
    const auto spawned = sched::spawn("smp-work", &run_handoff, &handoff, options);
    if (!spawned.ok()) return RunError::kNoTask;
    return spawned.value();
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
                   plural(info.skipped_count), memlayout::kMaxHarts);
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
    console::print("smp: {} hart{} online\n", online, plural(online));
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
    case RunError::kNoTask: return "no task could be started for it";
    }
    return "unknown";
}

Result<void, RunError> run_on(uint64_t id, Work work, void* argument) {
    Hart* hart = find_hart(id);
    if (hart == nullptr) return RunError::kNoSuchHart;
    g_async[hart->slot] = Handoff{work, argument};
    const auto started = start_on(*hart, g_async[hart->slot], true);
    if (!started.ok()) return started.error();
    return {};
}

Coverage run_on_all(Work work, void* argument) {
    Handoff handoff{work, argument};
    sched::TaskId tasks[memlayout::kMaxHarts] = {};
    Coverage coverage;
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        const auto task = start_on(g_harts[slot], handoff, false);
        if (task.ok()) {
            tasks[slot] = task.value();
            coverage.ran_on[slot] = true;
        } else if (task.error() == RunError::kNoTask) {
            ++coverage.missed;
        }
    }
    coverage.ran_on[this_hart().slot] = true;
    work(argument);
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        if (!coverage.ran_on[slot]) continue;
        ++coverage.ran;
        if (slot != this_hart().slot) (void)sched::join(tasks[slot]);
    }
    return coverage;
}

}  // namespace keel::smp

extern "C" void secondary_main(uint64_t, keel::Hart* context, bool came_to_start) {
    using namespace keel;
    Hart& hart = *context;      // boot.S pointed tp at it too; it says which hart this is
    vm::enable_on_this_hart();  // the kernel map, before anything that could fault
    install_trap_vector(hart.slot);
    timer::reset(hart.slot);  // no alarm: an idle hart must not wake
    KEEL_CSR_SET(sie, csr::kSoftwareInterrupt | csr::kTimerInterrupt);
    hart_online(hart, false);
    console::print(
        "hart {} online{}\n", hart.id,
        came_to_start ? " (it came to _start: the firmware ran it before storing its start address)"
                      : "");
    sched::init_hart(hart.slot);
    sched::idle();  // runs tasks from here on, sleeping in wfi when there are none
}
