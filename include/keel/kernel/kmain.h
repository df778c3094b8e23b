// SPDX-License-Identifier: MIT
// Where the boot path ends: kmain (boot.S calls it) hands the machine to the shell, a layer above
// the kernel, which defines shell::run (src/shell/shell.cpp): called by symbol, not by include.
#pragma once
#include <keel/kernel/boot_info.h>
#include <stdint.h>

namespace keel::shell {

// Reads keys forever (the hart sleeps in wfi between them) and runs each line.
[[noreturn]] void run(const BootInfo& boot);

}  // namespace keel::shell

// The boot hart's C++ entry: a0 = its hart id, a1 = the device tree (boot.S).
extern "C" [[noreturn]] void kmain(uint64_t hartid, const void* dtb);
