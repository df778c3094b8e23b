// SPDX-License-Identifier: MIT
// kill ID: ends what ID names with SIGKILL: a process group (a program keel's shell started is
// the leader of one, and every process it forks stays in it unless it moves, so a fork bomb ends
// whole, even once its first process has gone), else a process, else a kernel task (asked to
// exit at its next preemption point).
#include <keel/core/console.h>
#include <keel/kernel/process.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status kill_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t id = 0;
    if (!parse_argument(args, 1, "ID", id)) return Status::kFailed;
    if (process::kill_group_from_kernel(id, 9)) {
        console::print("kill: process group {} killed (SIGKILL)\n", id);
        return Status::kOk;
    }
    if (process::kill_from_kernel(id, 9)) {
        console::print("kill: process {} killed (SIGKILL)\n", id);
        return Status::kOk;
    }
    const auto killed = sched::kill(id);
    if (!killed.ok()) {
        console::print("kill: task {}: {}\n", id, sched::kill_error_name(killed.error()));
        return Status::kFailed;
    }
    console::print("kill: task {} asked to exit\n", id);
    return Status::kOk;
}

}  // namespace

extern const Command kKillCommand{"kill", "end process group, process or task ID (SIGKILL)",
                                  "kill ID", kill_command};

}  // namespace keel::shell
