// SPDX-License-Identifier: MIT
// fault KIND: provokes a fault to show the trap report. illegal, load, store and breakpoint run
// under a fault guard and come back to the prompt, and stack-overflow ends only the task it ran
// in; the other memory faults (null, write-text, exec-data) and `fatal` fault outside any guard,
// as a real bug would: the kernel cannot survive that (it cannot know what state the code was
// in), so it panics.
#include <keel/core/console.h>
#include <keel/kernel/faults.h>
#include <keel/lib/cmdline.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

void list_kinds() {
    console::print("fault kinds:\n");
    for (const FaultKindInfo& info : kFaultKinds) {
        console::print("  {:<14} {}{}\n", info.name, info.description,
                       info.recoverable ? ", then back to the shell"
                                        : ": the kernel panics (every hart stops, QEMU ends)");
    }
}

Status fault_command(const Context&, const Args& args) {
    if (args.count() == 1) {
        list_kinds();
        return Status::kOk;
    }
    if (args.count() != 2) return Status::kBadUsage;
    const FaultKindInfo* kind = find_fault_kind(args.word(1));
    if (kind == nullptr) {
        console::print("fault: no fault kind '{:e}'; kinds:", args.word(1));
        for (const FaultKindInfo& info : kFaultKinds) console::print(" {}", info.name);
        console::print("\n");
        return Status::kFailed;
    }
    console::print("fault: {}\n", kind->description);
    const auto caught = provoke_fault(kind->kind);
    if (!caught.ok()) {
        console::print("fault: {} not provoked: no task could be started for it ({})\n", kind->name,
                       sched::spawn_error_name(caught.error()));
        return Status::kFailed;
    }
    if (!caught.value()) {
        console::print("fault: {} did not trap\n", kind->name);
        return Status::kFailed;
    }
    console::print("fault: recovered; back to the shell\n");
    return Status::kOk;
}

}  // namespace

extern const Command kFaultCommand{
    "fault",
    "provoke a fault: illegal|load|store|breakpoint|stack-overflow recover, the rest panic",
    "fault [KIND]", fault_command};

}  // namespace keel::shell
