// SPDX-License-Identifier: MIT
// The edge of U-mode, where a task's running time splits into user and system time (cpu_time.h):
// both trap paths call these on the running task with interrupts off, `now` being the time CSR
// read once. Inline, since every syscall and page fault pays for them: two loads, a subtraction,
// an add and two stores out of U-mode, a store back.
#pragma once
#include <keel/kernel/task.h>
#include <stdint.h>

namespace keel::process {

// A trap from U-mode: the time since the return there was the program's own. (Task::user_since
// is 0 while the task is in the kernel, which the time CSR never reads once programs run.)
inline void left_user_mode(sched::Task& task, uint64_t now) {
    task.user_time += now - task.user_since;
    __atomic_store_n(&task.user_since, 0, __ATOMIC_RELAXED);
}

// The return to U-mode (sret follows).
inline void entering_user_mode(sched::Task& task, uint64_t now) {
    __atomic_store_n(&task.user_since, now, __ATOMIC_RELAXED);
}

}  // namespace keel::process
