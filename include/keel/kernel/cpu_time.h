// SPDX-License-Identifier: MIT
// CPU time: what each process has used, in user mode and in the kernel, and what its waited-for
// children used (Linux's utime, stime, cutime, cstime: getrusage, times, wait4's rusage,
// CLOCK_PROCESS_CPUTIME_ID, /proc/PID/stat). The scheduler counts every task's running time at its
// switches; the trap entry and exit split it: the time from a return to user mode to the next
// trap is user time, the rest system time. A child's use joins its parent's children's when the
// parent's wait4 reaps it (a child reaped for a parent that ignores SIGCHLD does not count).
#pragma once
#include <stdint.h>

namespace keel::process {

struct Process;

// CPU time in nanoseconds, and (for getrusage's ru_maxrss) the most memory it had present.
struct CpuTimes {
    uint64_t user = 0;
    uint64_t system = 0;
    uint64_t children_user = 0;  // its reaped children's, their own reaped children's included
    uint64_t children_system = 0;
    uint64_t max_resident_kib = 0;           // its user pages' high-water mark
    uint64_t children_max_resident_kib = 0;  // the largest of its reaped children's (and theirs)
};

// A process's times now: running, stopped or a zombie. For another process than the caller's,
// hold the process lock (TreeLock) so that it cannot go meanwhile.
CpuTimes cpu_times(const Process& p);

// Clock ticks of USER_HZ (100 per second), what times(2) and /proc/PID/stat count in.
inline constexpr uint64_t kUserHz = 100;
inline uint64_t clock_ticks(uint64_t nanoseconds) {
    return nanoseconds / (1'000'000'000 / kUserHz);
}

// (The trap paths split the time at the edge of U-mode: user_time.h.)
// The calling process ends: its times are kept for the parent's wait4.
void keep_times_at_end(Process& p);
// `parent` reaps `child` (wait4): the child's times, its children's with them, become the
// parent's children's.
void add_child_times(Process& parent, const Process& child);

}  // namespace keel::process
