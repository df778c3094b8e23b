// SPDX-License-Identifier: MIT
// uptime: time since keel started, and this hart's ticks.
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status uptime_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    const uint64_t ms = timer::uptime_ms();
    console::print("up {}.{:03} s ({} ms), {} ticks on hart {}\n", ms / 1000, ms % 1000, ms,
                   timer::ticks(this_hart().slot), this_hart().id);
    return Status::kOk;
}

}  // namespace

extern const Command kUptimeCommand{"uptime", "time since boot", "uptime", uptime_command};

}  // namespace keel::shell
