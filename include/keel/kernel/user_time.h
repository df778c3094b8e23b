// SPDX-License-Identifier: MIT
// The edge of U-mode, where a task's running time splits into user and system time (cpu_time.h):
// both trap paths call these on the running task with interrupts off, `now` being the time CSR
// read once. Inline, since every syscall and page fault pays for them: two loads, a subtraction,
// an add and two stores out of U-mode, a store back.
#pragma once
#include <keel/kernel/task.h>
#include <stdint.h>

namespace keel::process {

// Only the task itself writes these fields; other harts read them with relaxed loads
// (cpu_time.cpp), which an aligned word's store serves whole. The store goes through volatile:
// GCC 12 turns even a relaxed atomic store into an amoswap (as Atomic::add_by_owner notes).
inline void store_by_owner(uint64_t& field, uint64_t value) {
    *const_cast<volatile uint64_t*>(&field) = value;
}

// A trap from U-mode: the time since the return there was the program's own. (Task::user_since
// is 0 while the task is in the kernel, which the time CSR never reads once programs run.)
inline void left_user_mode(sched::Task& task, uint64_t now) {
    store_by_owner(task.user_time, task.user_time + (now - task.user_since));
    store_by_owner(task.user_since, 0);
}

// The return to U-mode (sret follows).
inline void entering_user_mode(sched::Task& task, uint64_t now) {
    store_by_owner(task.user_since, now);
}

}  // namespace keel::process
