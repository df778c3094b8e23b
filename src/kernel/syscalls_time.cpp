// SPDX-License-Identifier: MIT
// Clocks and sleeps: clock_gettime, clock_getres, clock_settime, gettimeofday, settimeofday,
// nanosleep, clock_nanosleep, with Linux's clocks and errors. CLOCK_REALTIME is the time of day
// (kernel/clock.h); the CPU-time clocks count the caller's use (kernel/cpu_time.h); the others
// count from boot.
#include <keel/abi/errno.h>
#include <keel/abi/time.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/cpu_time.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/signals.h>
#include <keel/kernel/sync.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vdso.h>

namespace keel::syscalls {
namespace {

using process::Process;

constexpr int64_t kNanosecond = 1'000'000'000;

// A clock clock_gettime and clock_getres read: 0-7 and CLOCK_TAI.
bool readable_clock(uint64_t clock) {
    return clock <= CLOCK_BOOTTIME || clock == CLOCK_TAI;
}

clock::Time now(uint64_t clock_id) {
    if (clock_id == CLOCK_PROCESS_CPUTIME_ID || clock_id == CLOCK_THREAD_CPUTIME_ID) {
        // One task per process: the thread's time is the process's.
        const process::CpuTimes times = process::cpu_times(*process::current());
        const uint64_t ns = times.user + times.system;
        return clock::Time{static_cast<int64_t>(ns / kNanosecond),
                           static_cast<int64_t>(ns % kNanosecond)};
    }
    return clock_id == CLOCK_REALTIME || clock_id == CLOCK_REALTIME_COARSE || clock_id == CLOCK_TAI
               ? clock::realtime()
               : clock::monotonic();
}

// Linux's limit for a time of day set (TIME_SETTOD_SEC_MAX): 30 years of uptime short of where
// its nanosecond clock ends (2262), so that nothing overflows.
constexpr int64_t kLatestTimeOfDay = 9'223'372'036 - 30 * 365 * 86'400;

// Sets the time of day as Linux's do_sys_settimeofday64 checks it: -EINVAL past the limit.
int64_t set_time_of_day(const struct timespec& value) {
    if (value.tv_sec < 0 || value.tv_sec >= kLatestTimeOfDay || value.tv_nsec < 0 ||
        value.tv_nsec >= kNanosecond)
        return -EINVAL;
    clock::set_realtime(clock::Time{value.tv_sec, value.tv_nsec});
    return 0;
}

// A struct timespec from the program, in whole milliseconds (rounded up): -EFAULT, or -EINVAL
// for a negative time or nanoseconds past a second. Times past 2^40 ms (34 years) are that.
int64_t timespec_ms(Process& p, uint64_t request, uint64_t& ms) {
    struct timespec value;
    if (!copy_from_user(p, &value, request, sizeof value)) return -EFAULT;
    if (value.tv_sec < 0 || value.tv_nsec < 0 || value.tv_nsec >= 1'000'000'000) return -EINVAL;
    constexpr uint64_t kLongest = uint64_t{1} << 40;
    const auto seconds = static_cast<uint64_t>(value.tv_sec);
    const uint64_t part = (static_cast<uint64_t>(value.tv_nsec) + 999'999) / 1'000'000;
    ms = seconds >= kLongest / 1000 ? kLongest : seconds * 1000 + part;
    return 0;
}

// Sleeps `ms`; cut short by a signal, it stores the time left in `remain` (unless 0) and
// returns kRestartNoHand: -EINTR when a handler runs, else the sleep starts again (Linux resumes
// it with the time left; keel sleeps the whole time again).
int64_t sleep_for(Process& p, uint64_t ms, uint64_t remain) {
    const uint64_t deadline = csr::time() + timer::from_ms(ms);
    sched::Event never;
    if (never.wait(never.count(), deadline) != sched::WaitResult::kInterrupted) return 0;
    const uint64_t now = csr::time();
    const uint64_t left = deadline > now ? deadline - now : 0;
    const uint64_t hz = timer::frequency();
    const struct timespec value = {static_cast<int64_t>(left / hz),
                                   static_cast<int64_t>(left % hz * 1'000'000'000 / hz)};
    if (remain != 0 && !copy_to_user(p, remain, &value, sizeof value)) return -EFAULT;
    return signals::kRestartNoHand;
}

}  // namespace

int64_t sys_clock_gettime(Process& p, TrapFrame& frame) {
    const uint64_t clock_id = uint_arg(frame, 0);
    if (!readable_clock(clock_id)) return -EINVAL;
    const clock::Time t = now(clock_id);
    const struct timespec value = {t.seconds, t.nanoseconds};
    return copy_to_user(p, arg(frame, 1), &value, sizeof value) ? 0 : -EFAULT;
}

// clock_settime: only CLOCK_REALTIME can be set; every other clock is -EINVAL before the time is
// read (Linux 6.12: the CPU-time clocks too).
int64_t sys_clock_settime(Process& p, TrapFrame& frame) {
    if (uint_arg(frame, 0) != CLOCK_REALTIME) return -EINVAL;
    struct timespec value;
    if (!copy_from_user(p, &value, arg(frame, 1), sizeof value)) return -EFAULT;
    return set_time_of_day(value);
}

// gettimeofday(tv, tz): the time of day in microseconds, and the time zone settimeofday set;
// either pointer may be null.
int64_t sys_gettimeofday(Process& p, TrapFrame& frame) {
    if (const uint64_t tv = arg(frame, 0); tv != 0) {
        const clock::Time t = clock::realtime();
        const struct timeval value = {t.seconds, t.nanoseconds / 1000};
        if (!copy_to_user(p, tv, &value, sizeof value)) return -EFAULT;
    }
    // The time zone settimeofday was given (Linux's sys_tz), kept in the vDSO's data page; it
    // changes nothing else (the clocks are UTC).
    if (const uint64_t tz = arg(frame, 1); tz != 0) {
        const vdso_data::Snapshot page = vdso::read();
        const struct timezone zone = {page.tz_minuteswest, page.tz_dsttime};
        if (!copy_to_user(p, tz, &zone, sizeof zone)) return -EFAULT;
    }
    return 0;
}

// settimeofday(tv, tz), checked as Linux does: both read first (-EFAULT), microseconds outside
// 0..999999 or a negative time -EINVAL, a zone more than 15 hours from UTC -EINVAL; then the zone
// is kept and the time set. (Linux's one-time warp of a local-time hardware clock on the first
// zone-only call is not done: keel's clock is UTC.)
int64_t sys_settimeofday(Process& p, TrapFrame& frame) {
    const uint64_t tv = arg(frame, 0);
    const uint64_t tz = arg(frame, 1);
    struct timeval time;
    if (tv != 0) {
        if (!copy_from_user(p, &time, tv, sizeof time)) return -EFAULT;
        if (time.tv_usec < 0 || time.tv_usec > 1'000'000) return -EINVAL;  // (Linux's order)
    }
    struct timezone zone;
    if (tz != 0 && !copy_from_user(p, &zone, tz, sizeof zone)) return -EFAULT;
    if (tv != 0 &&
        (time.tv_sec < 0 || time.tv_sec >= kLatestTimeOfDay || time.tv_usec == 1'000'000))
        return -EINVAL;
    if (tz != 0) {
        if (zone.tz_minuteswest > 15 * 60 || zone.tz_minuteswest < -15 * 60) return -EINVAL;
        vdso::set_timezone(zone.tz_minuteswest, zone.tz_dsttime);
    }
    return tv != 0 ? set_time_of_day(timespec{time.tv_sec, time.tv_usec * 1000}) : 0;
}

// clock_getres: Linux's resolutions (lib/vdso_data.h), which the vDSO gives too.
int64_t sys_clock_getres(Process& p, TrapFrame& frame) {
    const uint64_t clock_id = uint_arg(frame, 0);
    if (!readable_clock(clock_id)) return -EINVAL;
    const clock::Time t = vdso_data::resolution(static_cast<long>(clock_id));
    const struct timespec value = {t.seconds, t.nanoseconds};
    const uint64_t resolution = arg(frame, 1);
    if (resolution != 0 && !copy_to_user(p, resolution, &value, sizeof value)) return -EFAULT;
    return 0;
}

int64_t sys_nanosleep(Process& p, TrapFrame& frame) {
    uint64_t ms;
    if (const int64_t error = timespec_ms(p, arg(frame, 0), ms); error != 0) return error;
    return sleep_for(p, ms, arg(frame, 1));
}

// clock_nanosleep(clock, flags, request, remain): relative, or absolute (TIMER_ABSTIME).
int64_t sys_clock_nanosleep(Process& p, TrapFrame& frame) {
    const uint64_t clock_id = uint_arg(frame, 0);
    const uint64_t flags = uint_arg(frame, 1);
    // As Linux: a clock that does not exist is -EINVAL; realtime, monotonic, boottime, TAI and
    // the process's CPU clock sleep, the thread's CPU clock and the raw and coarse ones cannot
    // (-EOPNOTSUPP: no nsleep); flags past TIMER_ABSTIME are ignored.
    if (!readable_clock(clock_id)) return -EINVAL;
    if (clock_id == CLOCK_THREAD_CPUTIME_ID ||
        (clock_id >= CLOCK_MONOTONIC_RAW && clock_id <= CLOCK_MONOTONIC_COARSE))
        return -EOPNOTSUPP;
    uint64_t ms;
    if (const int64_t error = timespec_ms(p, arg(frame, 2), ms); error != 0) return error;
    if ((flags & TIMER_ABSTIME) != 0) {
        const clock::Time t = now(clock_id);
        const uint64_t now_ms = static_cast<uint64_t>(t.seconds) * 1000 +
                                static_cast<uint64_t>(t.nanoseconds) / 1'000'000;
        ms = ms > now_ms ? ms - now_ms : 0;
    }
    // An absolute sleep has no time left to report: it is simply asked again.
    return sleep_for(p, ms, (flags & TIMER_ABSTIME) != 0 ? 0 : arg(frame, 3));
}

}  // namespace keel::syscalls
