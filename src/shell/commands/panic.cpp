// SPDX-License-Identifier: MIT
// panic [MSG]: panics on purpose (stops every hart; QEMU exits with status 1).
#include <keel/core/panic.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status panic_command(const Context&, const Args& args) {
    if (args.count() > 2) return Status::kBadUsage;
    if (args.count() == 2) panic("{}", args.word(1));
    panic("the panic command");
}

}  // namespace

extern const Command kPanicCommand{"panic", "panic on purpose (quote a message with spaces)",
                                   "panic [MSG]", panic_command};

}  // namespace keel::shell
