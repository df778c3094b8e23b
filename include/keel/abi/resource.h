// SPDX-License-Identifier: MIT
// Resource limits and usage: getrlimit, setrlimit, prlimit64, getrusage, wait4's rusage, and the
// priorities of getpriority. Linux's include/uapi/asm-generic/resource.h and linux/resource.h.
#pragma once
#include <keel/abi/time.h>
#include <stdint.h>

#define RLIMIT_CPU 0    // seconds of CPU time
#define RLIMIT_FSIZE 1  // largest file, bytes
#define RLIMIT_DATA 2   // data segment and heap, bytes
#define RLIMIT_STACK 3  // the main stack, bytes
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6   // processes per user
#define RLIMIT_NOFILE 7  // one more than the highest descriptor
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9  // address space, bytes
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ULL)  // no limit

// getrusage's who.
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

// getpriority and setpriority.
#define PRIO_MIN (-20)
#define PRIO_MAX 20
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 16 bytes: the soft limit (what is enforced) and the hard limit (the ceiling for the soft one).
struct rlimit {
    uint64_t rlim_cur;
    uint64_t rlim_max;
};

// 144 bytes: two times, then fourteen counters (Linux keeps only some of them).
struct rusage {
    struct timeval ru_utime;  // time in user mode
    struct timeval ru_stime;  // time in the kernel
    int64_t ru_maxrss;        // KiB
    int64_t ru_ixrss;
    int64_t ru_idrss;
    int64_t ru_isrss;
    int64_t ru_minflt;  // page faults served without I/O
    int64_t ru_majflt;
    int64_t ru_nswap;
    int64_t ru_inblock;
    int64_t ru_oublock;
    int64_t ru_msgsnd;
    int64_t ru_msgrcv;
    int64_t ru_nsignals;
    int64_t ru_nvcsw;  // voluntary context switches
    int64_t ru_nivcsw;
};

// 32 bytes: times(2)'s CPU times in clock ticks (USER_HZ, 100 a second): Linux's
// include/uapi/linux/times.h.
struct tms {
    int64_t tms_utime;   // the caller's time in user mode
    int64_t tms_stime;   // the caller's time in the kernel
    int64_t tms_cutime;  // its waited-for children's (and theirs) in user mode
    int64_t tms_cstime;  // and in the kernel
};

// NOLINTEND(readability-identifier-naming)
