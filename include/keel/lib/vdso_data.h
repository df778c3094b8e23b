// SPDX-License-Identifier: MIT
// The vDSO's data page ("vvar", as Linux calls it): one page the kernel writes and every process
// maps read-only just below the vDSO's code, from which that code (src/kernel/vdso/clock.cpp)
// answers clock_gettime, gettimeofday and clock_getres without a system call. The kernel's own
// clocks (kernel/clock.h) read the same page the same way, so both paths give the same time.
// A seqlock guards it (Linux's include/linux/seqlock.h): the writer makes `sequence` odd, writes,
// makes it even again; a reader retries while it is odd or changed under it.
#pragma once
#include <keel/abi/time.h>
#include <stdint.h>

namespace keel::vdso_data {

inline constexpr int64_t kNanosecond = 1'000'000'000;

struct Data {
    uint32_t sequence;  // odd while the kernel writes
    uint32_t reserved;
    uint64_t frequency;       // of the time CSR, in Hz (from the device tree's timebase)
    int64_t realtime_offset;  // CLOCK_REALTIME - CLOCK_MONOTONIC, in nanoseconds
    int32_t tz_minuteswest;   // the time zone settimeofday was given (Linux's sys_tz)
    int32_t tz_dsttime;
};
static_assert(sizeof(Data) == 32, "the vDSO and the kernel share this layout");

// What one consistent read of the page gives.
struct Snapshot {
    uint64_t frequency;
    int64_t realtime_offset;
    int32_t tz_minuteswest;
    int32_t tz_dsttime;
};

struct Time {
    int64_t seconds = 0;
    int64_t nanoseconds = 0;
};

// A time in `time` CSR units as seconds and nanoseconds (whole seconds first, so no overflow).
constexpr Time from_ticks(uint64_t ticks, uint64_t hz) {
    return Time{static_cast<int64_t>(ticks / hz),
                static_cast<int64_t>(ticks % hz * kNanosecond / hz)};
}

constexpr int64_t nanoseconds(Time t) {
    return t.seconds * kNanosecond + t.nanoseconds;
}

// Nanoseconds as a Time whose nanoseconds lie in 0..999999999 (also for negative times).
constexpr Time time_of(int64_t ns) {
    Time t{ns / kNanosecond, ns % kNanosecond};
    if (t.nanoseconds < 0) {
        t.nanoseconds += kNanosecond;
        --t.seconds;
    }
    return t;
}

// The time of day `ticks` after boot, given the page's offset.
constexpr Time realtime(uint64_t ticks, const Snapshot& s) {
    return time_of(nanoseconds(from_ticks(ticks, s.frequency)) + s.realtime_offset);
}

// clock_getres's answer, Linux's: the coarse clocks tick with the scheduler (TICK_NSEC at Debian's
// HZ=250: 4 ms), every other clock is a high-resolution one (hrtimer_resolution, 1 ns; the
// CPU-time clocks, CPUCLOCK_SCHED, 1 ns too), whatever the counter's period.
inline constexpr int64_t kCoarseResolution = 4'000'000;
constexpr Time resolution(long clock) {
    return Time{0, clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE
                       ? kCoarseResolution
                       : 1};
}

// Reads the page: retries while the kernel is writing it. The acquire load of the sequence keeps
// the fields' loads after it; the fence keeps them before the second look at the sequence.
inline Snapshot read(const Data& data) {
    for (;;) {
        const uint32_t begin = __atomic_load_n(&data.sequence, __ATOMIC_ACQUIRE);
        if ((begin & 1) != 0) continue;
        const Snapshot s{__atomic_load_n(&data.frequency, __ATOMIC_RELAXED),
                         __atomic_load_n(&data.realtime_offset, __ATOMIC_RELAXED),
                         __atomic_load_n(&data.tz_minuteswest, __ATOMIC_RELAXED),
                         __atomic_load_n(&data.tz_dsttime, __ATOMIC_RELAXED)};
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&data.sequence, __ATOMIC_RELAXED) == begin) return s;
    }
}

// A write of the page (the kernel only): begin_write waits out another writer by making the
// sequence odd itself, and its fence orders that before the fields' stores (relaxed atomic
// stores, between the two); end_write's release store orders them before the sequence is even.
inline uint32_t begin_write(Data& data) {
    uint32_t begin = __atomic_load_n(&data.sequence, __ATOMIC_RELAXED);
    while ((begin & 1) != 0 || !__atomic_compare_exchange_n(&data.sequence, &begin, begin + 1, true,
                                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        begin = __atomic_load_n(&data.sequence, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return begin + 1;
}

inline void end_write(Data& data, uint32_t odd) {
    __atomic_store_n(&data.sequence, odd + 1, __ATOMIC_RELEASE);
}

}  // namespace keel::vdso_data
