// SPDX-License-Identifier: MIT
// sched-test KIND ...: exercises the scheduler and prints the evidence for a test to check:
// sleepers (asked and slept time), spawn/join cycles (exit values, pages before and after),
// parked sleepers (for the idle benchmark), and the mutex misuses that must panic. The locks
// under load are in sched_test_locks.cpp.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/lock.h>
#include <keel/kernel/smp.h>
#include <keel/kernel/sync.h>
#include <keel/mm/pages.h>
#include <keel/shell/command.h>
#include <keel/shell/sched_test.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxSleepers = 32;

// --- sleep N: task i sleeps 7 (i + 1) ms (off the tick's 10 ms grid), timed by the time CSR,
// pinned to the online harts' slots in turn, so that every hart's alarm wakes some.
struct Sleeper {
    uint64_t asked_ms;
    uint64_t slept_us;
    uint64_t hart;
};

int64_t sleep_once(void* argument) {
    auto& sleeper = *static_cast<Sleeper*>(argument);
    const uint64_t start = csr::time();
    sched::sleep_ms(sleeper.asked_ms);
    sleeper.slept_us = (csr::time() - start) * 1'000'000 / timer::frequency();
    sleeper.hart = this_hart().id;
    return 0;
}

Status sleep_test(uint64_t count) {
    static Sleeper sleepers[kMaxSleepers];
    sched::TaskId ids[kMaxSleepers];
    const unsigned harts = smp::online_count();
    uint64_t started = 0;
    for (; started < count; ++started) {
        sleepers[started] = Sleeper{7 * (started + 1), 0, 0};
        sched::SpawnOptions options;
        options.hart_slot = static_cast<unsigned>(started % harts);  // (as park's, below)
        const auto task = sched::spawn("sleeper", &sleep_once, &sleepers[started], options);
        if (!task.ok()) break;
        ids[started] = task.value();
    }
    for (uint64_t i = 0; i < started; ++i) (void)sched::join(ids[i]);
    for (uint64_t i = 0; i < started; ++i) {
        console::print("sleeper {}: asked {} ms, slept {} us, on hart {}\n", i,
                       sleepers[i].asked_ms, sleepers[i].slept_us, sleepers[i].hart);
    }
    return started == count ? Status::kOk : Status::kFailed;
}

// --- spawn N: N spawn/join cycles of a task that returns its number.
int64_t return_argument(void* argument) {
    return static_cast<int64_t>(reinterpret_cast<uintptr_t>(argument));
}

Status spawn_test(uint64_t cycles) {
    const uint64_t free_before = pages::counters().free;
    const sched::Usage before = sched::usage();
    uint64_t sum = 0;
    for (uint64_t i = 1; i <= cycles && !console::cancel_requested(); ++i) {
        const auto task = sched::spawn("cycle", &return_argument, reinterpret_cast<void*>(i));
        if (!task.ok()) {
            console::print("sched-test spawn: cycle {}: {}\n", i,
                           sched::spawn_error_name(task.error()));
            return Status::kFailed;
        }
        const auto value = sched::join(task.value());
        sum += value.ok() ? static_cast<uint64_t>(value.value()) : 0;
    }
    const sched::Usage after = sched::usage();
    console::print(
        "sched-test spawn: {} cycle{}, exit values sum {}; pages free {} before, {} after; task "
        "pages {} before, {} after\n",
        cycles, plural(cycles), sum, free_before, pages::counters().free, before.pages,
        after.pages);
    return Status::kOk;
}

// --- park N MS: N detached tasks that sleep MS ms at a time until killed, task i pinned to hart
// slot i mod the harts online (one per hart, for the idle benchmark).
int64_t park(void* argument) {
    const auto ms = reinterpret_cast<uintptr_t>(argument);
    for (;;) sched::sleep_ms(ms);
}

Status park_test(uint64_t count, uint64_t ms) {
    sched::SpawnOptions options;
    options.detached = true;
    const unsigned harts = smp::online_count();
    for (uint64_t i = 0; i < count; ++i) {
        options.hart_slot =
            static_cast<unsigned>(i % harts);  // slots 0..harts-1 are the online ones
        const auto task = sched::spawn("parked", &park, reinterpret_cast<void*>(ms), options);
        if (!task.ok()) {
            console::print("sched-test park: {}\n", sched::spawn_error_name(task.error()));
            return Status::kFailed;
        }
    }
    console::print("sched-test park: {} task{} {} {} ms at a time (kill {} to stop)\n", count,
                   plural(count), plural(count, "sleeps", "sleep"), ms,
                   plural(count, "it", "them"));
    return Status::kOk;
}

// --- the misuses: each panics, naming where.
constinit sched::Mutex g_misused;
constinit Lock g_spinlock;

int64_t hold_misused(void*) {
    g_misused.lock(KEEL_HERE);
    sched::sleep_ms(60'000);
    return 0;
}

// Panics (does not return) for a misuse kind; kBadUsage for any other word.
Status misuse(StringView kind) {
    if (equals(kind, "mutex-twice")) {
        g_misused.lock(KEEL_HERE);
        g_misused.lock(KEEL_HERE);  // panics
    } else if (equals(kind, "mutex-not-held")) {
        (void)sched::spawn("holder", &hold_misused, nullptr);
        sched::sleep_ms(100);
        g_misused.unlock(KEEL_HERE);  // panics: the holder task holds it
    } else if (equals(kind, "mutex-in-spinlock")) {
        LockGuard guard(g_spinlock, KEEL_HERE);
        g_misused.lock(KEEL_HERE);  // panics: it might sleep with a spinlock held
    } else {
        return Status::kBadUsage;
    }
    return Status::kFailed;
}

constexpr const char* kKinds =
    "sched-test kinds:\n"
    "  mutex TASKS K [nolock]                     TASKS tasks add 1 to a counter K times each\n"
    "  semaphore|condvar PRODUCERS CONSUMERS N    items 1..N through an 8-slot queue\n"
    "  sleep N                                    N tasks sleep 7, 14, ... ms; asked and slept\n"
    "  spawn N                                    N spawn/join cycles; pages before and after\n"
    "  park N MS                                  N tasks sleep MS ms at a time until killed\n"
    "  mutex-twice | mutex-not-held | mutex-in-spinlock   misuses that panic\n";

Status sched_test_command(const Context&, const Args& args) {
    if (args.count() < 2) {
        console::print("{}", kKinds);
        return Status::kOk;
    }
    const StringView kind = args.word(1);
    uint64_t a = 0;
    uint64_t b = 0;
    if (equals(kind, "mutex")) return sched_test_mutex(args);
    if (equals(kind, "semaphore") || equals(kind, "condvar")) return sched_test_queues(args);
    if (equals(kind, "sleep") && args.count() == 3) {
        if (!parse_argument(args, 2, "N", a, 1, kMaxSleepers)) return Status::kFailed;
        return sleep_test(a);
    }
    if (equals(kind, "spawn") && args.count() == 3) {
        if (!parse_argument(args, 2, "N", a, 1, 1'000'000)) return Status::kFailed;
        return spawn_test(a);
    }
    if (equals(kind, "park") && args.count() == 4) {
        if (!parse_argument(args, 2, "N", a, 1, 64) || !parse_argument(args, 3, "MS", b, 1, 60'000))
            return Status::kFailed;
        return park_test(a, b);
    }
    if (args.count() == 2 && misuse(kind) == Status::kFailed) return Status::kFailed;
    console::print("{}", kKinds);
    return Status::kBadUsage;
}

}  // namespace

extern const Command kSchedTestCommand{
    "sched-test", "exercise tasks and locks for the tests; no KIND lists the kinds",
    "sched-test [KIND ARGS...]", sched_test_command};

}  // namespace keel::shell
