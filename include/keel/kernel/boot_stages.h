// SPDX-License-Identifier: MIT
// When each stage of the boot ended, read from the time CSR (which QEMU starts at 0 when the
// machine resets, so the first stage is the firmware's). `bench boot` prints them; make bench
// sets them beside the wall-clock figures.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel::boot_stages {

enum class Stage : uint32_t {
    kEntry,       // boot.S's first instruction: everything before is QEMU's and OpenSBI's
    kBssZeroed,   // .bss zeroed (boot.S)
    kDeviceTree,  // the device tree read (kmain)
    kPages,       // the page allocator started (its state: a byte per page of RAM)
    kKernelMap,   // the kernel map built and turned on
    kConsole,     // the console attached and the banner printed
    kHarts,       // ticks, interrupts and the secondary harts started
    kReady,       // heap demo and boot self tests done: the shell starts
    kCount,
};

// The time CSR when `stage` ended (0 if it has not).
uint64_t at(Stage stage);
void mark(Stage stage);
const char* name(Stage stage);

}  // namespace keel::boot_stages

// boot.S stores its two stamps here (time CSR values), before kmain runs.
extern "C" uint64_t keel_boot_stamps[2];  // NOLINT(readability-identifier-naming): boot.S's name
