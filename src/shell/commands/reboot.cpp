// SPDX-License-Identifier: MIT
// reboot: cold reboot through SBI SRST.
#include <keel/core/console.h>
#include <keel/core/power.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status reboot_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    console::print("rebooting\n");
    power::reboot();
}

}  // namespace

extern const Command kRebootCommand{"reboot", "restart the machine (SBI SRST cold reboot)",
                                    "reboot", reboot_command};

}  // namespace keel::shell
