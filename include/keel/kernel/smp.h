// SPDX-License-Identifier: MIT
// Every hart: the boot hart starts the others (SBI HSM hart_start); each then runs tasks
// (kernel/sched.h), and work meant for one hart runs in a task pinned to it.
#pragma once
#include <keel/core/hart.h>
#include <keel/kernel/boot_info.h>
#include <keel/lib/result.h>
#include <stdint.h>

namespace keel::smp {

// Starts every usable hart but the caller (the boot hart), waits for each to come online, and
// prints "smp: N harts online". A hart the firmware refuses is reported by SBI error and skipped.
void start_secondary_harts(const BootInfo& info);

unsigned online_count();

using Work = void (*)(void* argument);

enum class RunError : uint8_t {
    kNoSuchHart = 1,  // keel does not run a hart with that id
    kSelf,            // the caller: run it directly
    kNotOnline,       // starting, or halted
    kNoTask,          // spawn failed (no pages, too many tasks)
};
const char* run_error_name(RunError error);

// Runs work(argument) on hart `id` (not the caller's) in a task pinned there; returns at once.
Result<void, RunError> run_on(uint64_t id, Work work, void* argument);

// What run_on_all managed: the harts that ran the work, and the online harts it did not run on
// because no task could be started there (no free page, too many tasks).
struct Coverage {
    unsigned ran = 0;  // the caller among them
    unsigned missed = 0;
    bool ran_on[memlayout::kMaxHarts] = {};  // by hart slot
};

// Runs work(argument) on every online hart: the caller itself, and a pinned task on each other
// hart; returns when all are done. The caller must not move meanwhile (the shell is pinned).
Coverage run_on_all(Work work, void* argument);

}  // namespace keel::smp

// Where a started hart enters C++ (boot.S): `context` is its block in the hart table, which tp
// points at. `came_to_start`: it arrived at the image's first byte instead of
// keel_secondary_entry (boot.S, late_hart) and found its start record there.
extern "C" [[noreturn]] void secondary_main(uint64_t hartid, keel::Hart* context,
                                            bool came_to_start);
