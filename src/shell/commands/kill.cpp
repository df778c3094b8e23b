// SPDX-License-Identifier: MIT
// kill ID: asks task ID to exit at its next preemption point (a sleeping task wakes for it). A
// program ends with its whole job, as Ctrl-C ends a foreground one: every process forked from
// the one the shell started (so that a fork bomb can be stopped). The id of that first process
// names the job even after it has ended.
#include <keel/core/console.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status kill_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t id = 0;
    if (!parse_argument(args, 1, "ID", id)) return Status::kFailed;
    const sched::TaskId job = sched::job_of(id);
    const auto killed = sched::kill(id);
    if (!killed.ok() && killed.error() == sched::KillError::kNoSuchTask) {
        // The first process of a job names the job, even once it has ended: what is left of a
        // fork bomb whose processes come and go can be ended by the id the shell printed.
        if (const size_t asked = sched::kill_job(id); asked > 0) {
            console::print("kill: job {}: {} task{} asked to exit\n", id, asked,
                           asked == 1 ? "" : "s");
            return Status::kOk;
        }
    }
    if (!killed.ok()) {
        console::print("kill: task {}: {}\n", id, sched::kill_error_name(killed.error()));
        return Status::kFailed;
    }
    const size_t others = sched::kill_job(job, id);
    if (others > 0) {
        console::print("kill: task {} asked to exit, with {} more of its job\n", id, others);
    } else {
        console::print("kill: task {} asked to exit\n", id);
    }
    return Status::kOk;
}

}  // namespace

extern const Command kKillCommand{"kill", "ask task ID to exit (a program: with its whole job)",
                                  "kill ID", kill_command};

}  // namespace keel::shell
