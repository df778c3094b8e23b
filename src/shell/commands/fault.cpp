// SPDX-License-Identifier: MIT
// fault KIND: provokes a fault to show the trap report. illegal, load, store and breakpoint run
// under a fault guard and come back to the prompt; `fatal` faults outside any guard, which the
// kernel cannot survive (it cannot know what state the code was in), so it panics.
#include <keel/kernel/console.h>
#include <keel/kernel/faults.h>
#include <keel/lib/cmdline.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status fault_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    if (equals(args.word(1), "fatal")) {
        console::print("fault: a load from 0x0 outside any fault guard: this panics\n");
        provoke_unguarded_fault();
    }
    const FaultKindInfo* kind = find_fault_kind(args.word(1));
    if (kind == nullptr) {
        console::print("fault: no fault kind '{}'; kinds:", args.word(1));
        for (const FaultKindInfo& info : kFaultKinds) console::print(" {}", info.name);
        console::print(" fatal\n");
        return Status::kFailed;
    }
    console::print("fault: {} (recoverable)\n", kind->description);
    if (!provoke_fault(kind->kind)) {
        console::print("fault: {} did not trap\n", kind->name);
        return Status::kFailed;
    }
    console::print("fault: recovered; back to the shell\n");
    return Status::kOk;
}

}  // namespace

extern const Command kFaultCommand{
    "fault", "provoke a fault: illegal|load|store|breakpoint recover, fatal panics", "fault KIND",
    fault_command};

}  // namespace keel::shell
