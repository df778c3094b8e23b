// SPDX-License-Identifier: MIT
// The scheduler's inside (src/kernel/sched*.cpp): each hart's run queue and sleepers, which
// sched.cpp switches between, sched_waits.cpp puts tasks to sleep on, and sched_figures.cpp counts.
#pragma once
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/task.h>
#include <keel/lib/atomic.h>

namespace keel::sched {

struct HartSched {
    Task* current = nullptr;
    Task* previous = nullptr;  // what this hart just switched away from, for finish_switch()
    TaskQueue runnable;
    IntrusiveList<Task, &Task::sleep_link> sleepers;
    Atomic<uint32_t> waiting{0};  // idle in wfi: new work needs an IPI
    uint64_t satp = 0;            // the address space loaded (0: the kernel's)
    bool online = false;
    uint64_t flushed_at = 0;  // stack_map_changes() when this hart last flushed its TLB
    Task idle;
};
extern HartSched g_sched[memlayout::kMaxHarts];
extern unsigned g_slots_in_use;  // one past the highest slot online (under the scheduler lock)
extern uint64_t g_switches;      // context switches since boot (/proc/stat's ctxt)

// This hart's, with the lock held (interrupts off, so the caller cannot move to another hart).
HartSched& mine();
// Tasks running or runnable on every hart (the load averages' count, taken on every switch: only
// the slots in use are read, not all kMaxHarts of them).
size_t active_now();
// Gives the console its ways to wait (sched_waits.cpp), once the first hart schedules.
void install_console_hooks();

}  // namespace keel::sched
