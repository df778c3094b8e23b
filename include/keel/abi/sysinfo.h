// SPDX-License-Identifier: MIT
// What sysinfo fills in: uptime, load averages, memory and swap in units of mem_unit bytes, the
// number of processes (sysinfo(2)). Linux's include/uapi/linux/sysinfo.h, as on a 64-bit machine.
#pragma once
#include <stdint.h>

// loads[] are fixed point with this many fraction bits.
#define SI_LOAD_SHIFT 16

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 112 bytes. (Linux ends it with char _f[20 - 2 * 8 - 4], which is empty on 64-bit machines;
// the struct's own alignment pads it to 112.)
struct sysinfo {
    int64_t uptime;     // seconds since boot
    uint64_t loads[3];  // 1, 5 and 15 minutes
    uint64_t totalram;
    uint64_t freeram;
    uint64_t sharedram;
    uint64_t bufferram;
    uint64_t totalswap;
    uint64_t freeswap;
    uint16_t procs;
    uint16_t pad;
    uint64_t totalhigh;
    uint64_t freehigh;
    uint32_t mem_unit;  // the size of the unit the memory fields count, bytes
    uint32_t pad_end;   // what the struct's alignment adds
};

// NOLINTEND(readability-identifier-naming)
