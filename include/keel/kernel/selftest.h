// SPDX-License-Identifier: MIT
// Boot-time self tests, chosen on the kernel command line (selftest=NAME), so that the QEMU tests
// can drive fault, panic, timer, UART and power paths before (and without) the shell.
#pragma once
#include <keel/lib/format.h>

namespace keel {

// Runs the test the command line asks for, if any. Tests that end the machine do not return.
void run_boot_selftest(StringView cmdline);

}  // namespace keel
