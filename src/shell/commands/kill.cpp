// SPDX-License-Identifier: MIT
// kill ID: asks task ID to exit at its next preemption point (a sleeping task wakes for it).
#include <keel/core/console.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status kill_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t id = 0;
    if (!parse_argument(args, 1, "ID", id)) return Status::kFailed;
    const auto killed = sched::kill(id);
    if (!killed.ok()) {
        console::print("kill: task {}: {}\n", id, sched::kill_error_name(killed.error()));
        return Status::kFailed;
    }
    console::print("kill: task {} asked to exit\n", id);
    return Status::kOk;
}

}  // namespace

extern const Command kKillCommand{"kill", "ask task ID to exit (not the shell, not an idle task)",
                                  "kill ID", kill_command};

}  // namespace keel::shell
