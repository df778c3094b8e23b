// SPDX-License-Identifier: MIT
// Boot-time self tests, chosen on the kernel command line (selftest=NAME), so that the QEMU tests
// can drive fault, panic, timer, UART and power paths before (and without) the shell.
#pragma once
#include <keel/lib/format.h>

namespace keel {

// selftest=early-panic: a panic right after power::init(), before the console or the timer, to
// show that even that ends the machine with a failure status.
void run_early_selftest(StringView cmdline);

// Runs the test the command line asks for, if any. Tests that end the machine do not return.
void run_boot_selftest(StringView cmdline);

}  // namespace keel
