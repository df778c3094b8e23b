// SPDX-License-Identifier: MIT
// echo ARGS...: prints its arguments separated by single spaces.
#include <keel/core/console.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status echo_command(const Context&, const Args& args) {
    for (size_t i = 1; i < args.count(); ++i) console::print(i > 1 ? " {}" : "{}", args.word(i));
    console::print("\n");
    return Status::kOk;
}

}  // namespace

extern const Command kEchoCommand{"echo", "print the arguments", "echo ARGS...", echo_command};

}  // namespace keel::shell
