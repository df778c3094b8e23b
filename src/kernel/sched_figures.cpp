// SPDX-License-Identifier: MIT
// What the scheduler counts (include/keel/kernel/sched.h), for ps, /proc and the load averages.
#include <keel/arch/riscv/csr.h>
#include <keel/kernel/task.h>

#include "sched_state.h"

namespace keel::sched {

const char* task_state_name(TaskState state) {
    switch (state) {
    case TaskState::kRunnable: return "runnable";
    case TaskState::kRunning: return "running";
    case TaskState::kSleeping: return "sleeping";
    case TaskState::kBlocked: return "blocked";
    case TaskState::kExited: return "exited";
    }
    return "?";
}

uint64_t idle_time(unsigned slot) {
    SchedLock guard;
    const HartSched& hs = g_sched[slot];
    if (!hs.online) return 0;
    const uint64_t running = hs.current == &hs.idle ? csr::time() - hs.idle.ran_since : 0;
    return hs.idle.cpu_time + running;
}

bool hart_online(unsigned slot) {
    SchedLock guard;
    return g_sched[slot].online;
}

uint64_t context_switches() {
    SchedLock guard;
    return g_switches;
}

size_t active_tasks() {
    SchedLock guard;
    return active_now();
}

}  // namespace keel::sched
