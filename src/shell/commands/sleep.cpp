// SPDX-License-Identifier: MIT
// sleep MS: the shell's task sleeps MS milliseconds (its hart runs other tasks, or waits in wfi)
// and prints nothing, unless Ctrl-C ends it early.
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxSleepMs = 3'600'000;

Status sleep_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t ms = 0;
    if (!parse_argument(args, 1, "MS", ms, 0, kMaxSleepMs))
        return Status::kFailed;  // an hour at most
    const uint64_t start = timer::uptime_ms();
    if (sched::sleep_ms(ms, console::cancel_requested)) return Status::kOk;
    console::print("sleep: interrupted after {} of {} ms\n", timer::uptime_ms() - start, ms);
    return Status::kFailed;
}

}  // namespace

extern const Command kSleepCommand{"sleep", "sleep MS milliseconds, silently (Ctrl-C stops it)",
                                   "sleep MS", sleep_command};

}  // namespace keel::shell
