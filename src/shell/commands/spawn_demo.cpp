// SPDX-License-Identifier: MIT
// spawn-demo N: starts N tasks that each count primes, sleep, count again, and print a line when
// done. The shell comes back at once and stays responsive while they run, on every hart.
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxDemoTasks = 64;

uint64_t count_primes(uint64_t below) {
    uint64_t count = 0;
    for (uint64_t n = 2; n < below; ++n) {
        bool prime = true;
        for (uint64_t d = 2; d * d <= n && prime; ++d) prime = n % d != 0;
        count += prime ? 1 : 0;
    }
    return count;
}

// Task i counts the primes below 20000 (i + 1), sleeping 100 (i + 1) ms halfway.
int64_t demo(void* argument) {
    const auto index = reinterpret_cast<uintptr_t>(argument);
    const uint64_t start_ms = timer::uptime_ms();
    const uint64_t first = count_primes(10'000 * (index + 1));
    sched::sleep_ms(100 * (index + 1));
    const uint64_t second = count_primes(20'000 * (index + 1)) - first;
    console::print("demo {}: task {} found {} primes below {} in {} ms, slept {} ms, on hart {}\n",
                   index, sched::current_id(), first + second, 20'000 * (index + 1),
                   timer::uptime_ms() - start_ms, 100 * (index + 1), this_hart().id);
    return static_cast<int64_t>(first + second);
}

Status spawn_demo_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t count = 0;
    if (!parse_argument(args, 1, "N", count, 1, kMaxDemoTasks)) return Status::kFailed;
    sched::SpawnOptions options;
    options.detached = true;
    uint64_t started = 0;
    sched::TaskId first = 0;
    sched::TaskId last = 0;
    for (uint64_t i = 0; i < count; ++i) {
        char name[16];
        format_to(name, sizeof name, "demo-{}", i);
        const auto task = sched::spawn(name, &demo, reinterpret_cast<void*>(i), options);
        if (!task.ok()) {
            console::print("spawn-demo: task {}: {}\n", i, sched::spawn_error_name(task.error()));
            break;
        }
        if (started++ == 0) first = task.value();
        last = task.value();
    }
    if (started == 0) return Status::kFailed;
    console::print("spawn-demo: started {} task{} (ids {}..{}); each prints a line when done\n",
                   started, plural(started), first, last);
    return started == count ? Status::kOk : Status::kFailed;
}

}  // namespace

extern const Command kSpawnDemoCommand{
    "spawn-demo", "start N tasks that compute and sleep, each printing a line when done",
    "spawn-demo N", spawn_demo_command};

}  // namespace keel::shell
