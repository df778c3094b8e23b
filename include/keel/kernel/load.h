// SPDX-License-Identifier: MIT
// What the scheduler measures for /proc and sysinfo: load averages (lib/loadavg.h; sampled every
// 5 s at the scheduler's own events: a switch, a wake-up, an alarm), each hart's idle time, and
// the context switches made since boot.
#pragma once
#include <keel/lib/loadavg.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::sched {

// The scheduler, with its lock held, after a change of what runs: the samples due by `now` are
// taken with the number of active tasks that held since the last call, and `active` from now on.
// (Tasks blocked in the kernel are not counted: keel cannot tell an uninterruptible wait apart.)
void account_load(uint64_t now, size_t active);
// The averages now (the samples due so far taken).
loadavg::Averages load_averages();
// Tasks running or runnable now (idle tasks not counted).
size_t active_tasks();

// Time (`time` CSR units) hart slot `slot` has spent idle since it came online; 0 for a slot
// that never did. And whether it is online.
uint64_t idle_time(unsigned slot);
bool hart_online(unsigned slot);
// Context switches since boot, every hart.
uint64_t context_switches();

}  // namespace keel::sched
