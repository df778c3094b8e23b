// SPDX-License-Identifier: MIT
// shutdown: power off through SBI SRST (QEMU exits with status 0).
#include <keel/core/console.h>
#include <keel/core/power.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status shutdown_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    console::print("powering off\n");
    power::shutdown();
}

}  // namespace

extern const Command kShutdownCommand{"shutdown", "power off (SBI SRST)", "shutdown",
                                      shutdown_command};

}  // namespace keel::shell
