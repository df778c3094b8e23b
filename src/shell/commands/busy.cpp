// SPDX-License-Identifier: MIT
// busy MS: a task that spins for MS milliseconds without ever yielding. Only preemption lets the
// other tasks of its hart (the shell, on a one-hart machine) run meanwhile.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxBusyMs = 600'000;

int64_t spin(void* argument) {
    const auto ms = reinterpret_cast<uintptr_t>(argument);
    const uint64_t start_ms = timer::uptime_ms();
    const uint64_t start_hart = this_hart().id;
    const uint64_t end = csr::time() + timer::from_ms(ms);
    uint64_t spins = 0;
    while (csr::time() < end) ++spins;
    console::print("busy: task {} done: spun {} ms (hart {} to hart {}, {} loop{})\n",
                   sched::current_id(), timer::uptime_ms() - start_ms, start_hart, this_hart().id,
                   spins, plural(spins));
    return 0;
}

Status busy_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t ms = 0;
    if (!parse_argument(args, 1, "MS", ms, 1, kMaxBusyMs)) return Status::kFailed;
    sched::SpawnOptions options;
    options.detached = true;
    const auto task = sched::spawn("busy", &spin, reinterpret_cast<void*>(ms), options);
    if (!task.ok()) {
        console::print("busy: {}\n", sched::spawn_error_name(task.error()));
        return Status::kFailed;
    }
    console::print("busy: task {} spins for {} ms without yielding\n", task.value(), ms);
    return Status::kOk;
}

}  // namespace

extern const Command kBusyCommand{"busy", "start a task that spins MS ms without yielding",
                                  "busy MS", busy_command};

}  // namespace keel::shell
