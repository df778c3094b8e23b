// SPDX-License-Identifier: MIT
// ps: every task, one line each: id, name, state, the hart it runs (or last ran) on, the CPU
// time it used, and how deep its kernel stack has been used (high-water mark) of its size; for
// a process (a program in user mode, its pid the task's id) also its parent and its pages.
#include <keel/core/console.h>
#include <keel/kernel/sched.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr size_t kMaxListed = 96;

Status ps_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    static sched::TaskInfo tasks[kMaxListed];  // the shell runs as one task: no reentry
    const size_t count = sched::list(tasks, kMaxListed);
    console::print("  id  name             state     hart   cpu ms  stack used  parent  pages\n");
    for (size_t i = 0; i < count && i < kMaxListed; ++i) {
        const sched::TaskInfo& task = tasks[i];
        console::print("{:>4}  {:<15}  {:<8}  {:>4}  {:>7}  ", task.id, task.name,
                       task.stopped ? "stopped" : sched::task_state_name(task.state), task.hart_id,
                       task.cpu_us / 1000);
        if (task.idle) {
            console::print("(the hart's boot stack)\n");
            continue;
        }
        char stack[24];
        format_to(stack, sizeof stack, "{}/{} KiB", (task.stack_used + 1023) / 1024,
                  task.stack_size / 1024);
        if (task.process) {
            console::print("{:<10}  {:>6}  {:>5}\n", stack, task.parent, task.user_pages);
        } else {
            console::print("{}\n", stack);
        }
    }
    if (count > kMaxListed) console::print("... and {} more\n", count - kMaxListed);
    return Status::kOk;
}

}  // namespace

extern const Command kPsCommand{"ps", "list the tasks: id, name, state, hart, CPU time, stack use",
                                "ps", ps_command};

}  // namespace keel::shell
