// SPDX-License-Identifier: MIT
// uptime: time since keel started, and the timer interrupts this hart took.
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status uptime_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    const uint64_t ms = timer::uptime_ms();
    const uint64_t interrupts = timer::interrupts(this_hart().slot);
    console::print("up {}.{:03} s ({} ms); hart {} took {} timer interrupt{}\n", ms / 1000,
                   ms % 1000, ms, this_hart().id, interrupts, plural(interrupts));
    return Status::kOk;
}

}  // namespace

extern const Command kUptimeCommand{"uptime", "time since boot", "uptime", uptime_command};

}  // namespace keel::shell
