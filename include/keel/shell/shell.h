// SPDX-License-Identifier: MIT
// The interactive shell on the console: prompt "keel> ", a line editor, and the command table.
#pragma once
#include <keel/kernel/boot_info.h>
#include <keel/kernel/kmain.h>
#include <keel/lib/format.h>
#include <keel/shell/command.h>

namespace keel::shell {

// Runs one line: splits it into words and calls the command it names. Reports errors on one line.
Status execute(const Context& context, StringView line);

// shell::run(boot), the loop kmain ends in, is declared in kernel/kmain.h.

}  // namespace keel::shell
