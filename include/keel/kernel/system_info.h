// SPDX-License-Identifier: MIT
// The numbers sysinfo(2) and /proc (meminfo, loadavg, stat) both give, from one place so that they
// agree: memory from the page allocator's counters, and the processes of the process tree.
#pragma once
#include <stdint.h>

namespace keel::system {

// Bytes. keel has no page cache, buffers or swap: tmpfs pages are counted as Linux counts them
// (Shmem, and within Cached).
struct Memory {
    uint64_t total;      // RAM the page allocator manages (its reservations not counted)
    uint64_t free;       // free pages
    uint64_t available;  // what could be had without swapping: the free pages
    uint64_t buffers;    // 0
    uint64_t cached;     // 0
    uint64_t shared;     // 0
};
Memory memory();

struct Processes {
    uint64_t all;       // every process but zombies (Linux's nr_threads, one thread each)
    uint64_t running;   // of them, running or runnable
    uint64_t blocked;   // of them, in an uninterruptible wait: none keel can tell
    uint64_t last_pid;  // the highest pid there is (Linux's LASTPID: the last one given)
};
Processes processes();

// Seconds and hundredths since boot (the monotonic clock).
struct Uptime {
    uint64_t seconds;
    uint64_t hundredths;
};
Uptime uptime();

}  // namespace keel::system
