// SPDX-License-Identifier: MIT
// Time: the `time` CSR at /cpus/timebase-frequency, a periodic tick per hart (SBI set_timer, or
// the stimecmp CSR directly when the hart has Sstc), uptime, and sleeping in wfi.
#pragma once
#include <stdint.h>

namespace keel::timer {

inline constexpr unsigned kTickHz = 100;
inline constexpr uint64_t kDefaultFrequency = 10'000'000;  // QEMU virt's, when nothing says

// Once, on the boot hart, before any hart starts its tick.
void init(uint64_t timebase_hz, bool use_sstc);
uint64_t frequency();
bool uses_sstc();

// Arms the calling hart's periodic tick (the timer interrupt must be enabled in sie).
void start_tick();
// Silences the calling hart's timer (parked or halted harts, or a hart waiting for a key).
void stop();
// Re-arms the tick after stop(), counting the ticks that fell meanwhile, so that ticks keep
// matching elapsed time while an idle hart sleeps without being woken 100 times a second.
void resume_tick();
// The timer interrupt: count a tick on this hart and arm the next one.
void on_interrupt();

uint64_t uptime_ms();
uint64_t uptime_us();
// Sleeps at least `ms` milliseconds in wfi; interrupts must be enabled.
void sleep_ms(uint64_t ms);

}  // namespace keel::timer
