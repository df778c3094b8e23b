// SPDX-License-Identifier: MIT
// panic-hart N: makes hart N panic, to show that a panic on any hart stops every hart.
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/kernel/smp.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

void panic_here(void*) {
    panic("panic-hart: hart {} was asked to panic", this_hart().id);
}

Status panic_hart_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t id = 0;
    if (!parse_argument(args, 1, "HART", id)) return Status::kFailed;
    if (id == this_hart().id) panic_here(nullptr);
    const auto handed = smp::run_on(id, panic_here, nullptr);
    if (!handed.ok()) {
        console::print("panic-hart: hart {}: {}\n", id, smp::run_error_name(handed.error()));
        return Status::kFailed;
    }
    halt();  // hart N's panic ends the machine; this hart stops here meanwhile
}

}  // namespace

extern const Command kPanicHartCommand{"panic-hart", "make hart N panic (every hart stops)",
                                       "panic-hart N", panic_hart_command};

}  // namespace keel::shell
