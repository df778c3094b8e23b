// SPDX-License-Identifier: MIT
// What a process has used: times and getrusage, from the CPU-time accounting
// (kernel/cpu_time.h); wait4's rusage is made the same way.
#include <keel/abi/errno.h>
#include <keel/abi/resource.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/cpu_time.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>

namespace keel::syscalls {
namespace {

using process::Process;

struct timeval timeval_of(uint64_t nanoseconds) {
    return timeval{static_cast<int64_t>(nanoseconds / 1'000'000'000),
                   static_cast<int64_t>(nanoseconds % 1'000'000'000 / 1000)};
}

}  // namespace

struct rusage rusage_of(uint64_t user, uint64_t system, uint64_t max_resident_kib) {
    struct rusage usage = {};
    usage.ru_utime = timeval_of(user);
    usage.ru_stime = timeval_of(system);
    usage.ru_maxrss = static_cast<int64_t>(max_resident_kib);
    return usage;
}

// times(buf): the caller's and its waited-for children's times in clock ticks (buf may be null),
// and clock ticks since boot (Linux counts from a point before it: only differences mean anything).
int64_t sys_times(Process& p, TrapFrame& frame) {
    if (const uint64_t buffer = arg(frame, 0); buffer != 0) {
        const process::CpuTimes t = process::cpu_times(p);
        const struct tms value = {static_cast<int64_t>(process::clock_ticks(t.user)),
                                  static_cast<int64_t>(process::clock_ticks(t.system)),
                                  static_cast<int64_t>(process::clock_ticks(t.children_user)),
                                  static_cast<int64_t>(process::clock_ticks(t.children_system))};
        if (!copy_to_user(p, buffer, &value, sizeof value)) return -EFAULT;
    }
    const clock::Time up = clock::monotonic();
    return up.seconds * static_cast<int64_t>(process::kUserHz) +
           up.nanoseconds / static_cast<int64_t>(1'000'000'000 / process::kUserHz);
}

// getrusage(who, usage): RUSAGE_SELF and RUSAGE_THREAD (one task per process: the same), or
// RUSAGE_CHILDREN (the waited-for ones): the two times and ru_maxrss (its most user memory
// present at once, in KiB; the children's: the largest of theirs), every counter 0.
int64_t sys_getrusage(Process& p, TrapFrame& frame) {
    const int32_t who = int_arg(frame, 0);
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) return -EINVAL;
    const process::CpuTimes t = process::cpu_times(p);
    const struct rusage usage =
        who == RUSAGE_CHILDREN
            ? rusage_of(t.children_user, t.children_system, t.children_max_resident_kib)
            : rusage_of(t.user, t.system, t.max_resident_kib);
    return copy_to_user(p, arg(frame, 1), &usage, sizeof usage) ? 0 : -EFAULT;
}

}  // namespace keel::syscalls
