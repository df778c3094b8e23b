// SPDX-License-Identifier: MIT
// The machine's real-time clock, if it has one (QEMU virt's goldfish RTC; sifive_u and spike have
// none): at boot it sets the time of day (CLOCK_REALTIME); /dev/rtc0 reads and sets it.
#pragma once
#include <keel/kernel/boot_info.h>
#include <keel/kernel/clock.h>

namespace keel::rtc {

// Takes the clock BootInfo found, sets the time of day from it and prints the boot line saying
// which clock and what date, or that there is none and the time of day starts at the epoch.
void init(const BootInfo& info);
bool present();
// The clock's time since the epoch (0 without one); setting it changes only the hardware.
clock::Time read();
void write(clock::Time now);

}  // namespace keel::rtc
