// SPDX-License-Identifier: MIT
// Ending the machine: power off, reboot, and "exit with a failure" (what panic does), through
// whatever the device tree says this machine has. QEMU virt has a test finisher (exit status of
// our choosing), spike an HTIF (exit status too), sifive_u only a reset line on a GPIO pin (which
// ends QEMU when it runs with -no-reboot, with status 0). Firmware (SBI SRST) does the rest.
#pragma once
#include <stdint.h>

namespace keel::power {

// A reset line wired to a GPIO pin (Linux binding gpio-restart): sifive_u has one, on GPIO 10.
struct RestartGpio {
    uintptr_t controller = 0;  // a sifive,gpio0 block; 0 = none
    uint32_t pin = 0;
    bool active_low = false;  // the gpios flag GPIO_ACTIVE_LOW (bit 0)
};

// What the device tree offers for ending the machine (each 0 / empty when absent).
struct Devices {
    uintptr_t test_finisher = 0;  // sifive,test0/test1 (QEMU virt)
    uintptr_t htif = 0;           // ucb,htif0 (QEMU spike): fromhost at +0, tohost at +8
    RestartGpio restart;          // gpio-restart (QEMU sifive_u)
};

// The exit statuses a failing keel gives QEMU (where the machine can carry one).
enum class ExitStatus : uint16_t {
    kPanic = 1,           // panic()
    kRecursivePanic = 2,  // a panic raised while panicking
    kNestedTrap = 3,      // a fault inside the trap handler's own report
};

// The first thing kmain does once it has read the device tree: from then on a panic ends the
// machine with a failure. Before it, a panic halts (it never reports success).
void init(const Devices& devices);

[[noreturn]] void shutdown();
[[noreturn]] void reboot();

// Ends the machine with a failure: a test finisher or HTIF carries `status` out of QEMU; a reset
// line resets the machine (QEMU -no-reboot: it exits); with none of them every hart halts in wfi.
// Never SBI shutdown, which QEMU virt reports as success.
[[noreturn]] void fail(ExitStatus status);

}  // namespace keel::power
