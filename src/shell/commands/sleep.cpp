// SPDX-License-Identifier: MIT
// sleep MS: waits MS milliseconds with the hart in wfi.
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/console.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxSleepMs = 3'600'000;

Status sleep_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t ms = 0;
    if (!parse_argument(args, 1, "MS", ms, 0, kMaxSleepMs)) return Status::kFailed;  // an hour at most
    timer::sleep_ms(ms);
    return Status::kOk;
}

}  // namespace

extern const Command kSleepCommand{"sleep", "sleep MS milliseconds (in wfi)", "sleep MS",
                                   sleep_command};

}  // namespace keel::shell
