// SPDX-License-Identifier: MIT
// Power off, reboot, and "exit with a failure" (what panic does). Firmware first (SBI SRST), the
// legacy SBI call next, then QEMU's test finisher when the device tree has one.
#pragma once
#include <stdint.h>

namespace keel::power {

// `test_finisher`: the sifive,test0/test1 device's address from the device tree, 0 when absent.
void init(uintptr_t test_finisher);

[[noreturn]] void shutdown();
[[noreturn]] void reboot();
// Ends the machine with a failure status: under QEMU with a test finisher, QEMU exits with
// `code`; elsewhere SBI SRST shuts down for a system failure if it can, else the hart halts.
[[noreturn]] void fail(uint16_t code);

}  // namespace keel::power
