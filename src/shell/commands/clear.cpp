// SPDX-License-Identifier: MIT
// clear: clears the terminal (ECMA-48: CUP home, ED 2 erase display).
#include <keel/core/console.h>
#include <keel/lib/terminal.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status clear_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    console::print("{}", terminal::kClearScreen);
    return Status::kOk;
}

}  // namespace

extern const Command kClearCommand{"clear", "clear the screen", "clear", clear_command};

}  // namespace keel::shell
