// SPDX-License-Identifier: MIT
// Times and clocks for nanosleep, clock_gettime, clock_nanosleep, gettimeofday and the interval
// timers: Linux's include/uapi/linux/time.h and linux/time_types.h, as on a 64-bit machine.
#pragma once
#include <stdint.h>

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 16 bytes: seconds and nanoseconds (0..999999999). On riscv64 this is also the kernel's
// __kernel_timespec, the one every time call takes.
struct timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

// 16 bytes: seconds and microseconds (gettimeofday, setitimer, wait4's rusage).
struct timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

struct itimerspec {
    struct timespec it_interval;  // the period; zero for a one-shot timer
    struct timespec it_value;     // until the next expiry; zero disarms
};

struct itimerval {
    struct timeval it_interval;
    struct timeval it_value;
};

struct timezone {
    int32_t tz_minuteswest;
    int32_t tz_dsttime;
};

// NOLINTEND(readability-identifier-naming)

// Clocks (clock_gettime, clock_getres, clock_nanosleep, timer_create).
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

// clock_nanosleep and timer_settime: the time is absolute, not relative.
#define TIMER_ABSTIME 0x01

// setitimer and getitimer.
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

// utimensat's tv_nsec values that are no time (include/uapi/linux/stat.h).
#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)
