// SPDX-License-Identifier: MIT
// Time: the `time` CSR at /cpus/timebase-frequency, a periodic tick per hart (SBI set_timer, or
// the stimecmp CSR directly when the hart has Sstc), polls riding on it, uptime, and sleeping in
// wfi. The timer keeps each hart's tick itself, by the hart's slot (core/hart.h), which callers
// pass: arch code knows nothing of the harts above it.
#pragma once
#include <keel/arch/riscv/csr.h>
#include <stdint.h>

namespace keel::timer {

inline constexpr unsigned kTickHz = 100;
inline constexpr uint64_t kDefaultFrequency = 10'000'000;  // QEMU virt's, when nothing says

// Once, on the boot hart, before any hart starts its tick.
void init(uint64_t timebase_hz, bool use_sstc);
uint64_t frequency();
bool uses_sstc();

// Arms the calling hart's periodic tick (the timer interrupt must be enabled in sie).
void start_tick(unsigned slot);
// Silences the calling hart's timer (parked or halted harts, or a hart waiting for a key).
void stop();
// Re-arms the tick after stop(), counting the ticks that fell meanwhile, so that ticks keep
// matching elapsed time while an idle hart sleeps without being woken 100 times a second.
void resume_tick(unsigned slot);
// Also call `function` from the calling hart's timer interrupt `hz` times a second, beside its
// tick (the console polls a UART that has no interrupt this way); hz = 0 stops it. The function
// may call set_poll() itself to change its rate.
void set_poll(unsigned slot, void (*function)(), unsigned hz);
// The timer interrupt: count a tick on this hart when one is due, poll, arm the next deadline.
void on_interrupt(unsigned slot);
// Ticks hart `slot` has counted since its tick started.
uint64_t ticks(unsigned slot);

// Calls ready() until it returns true or `us` microseconds have passed: every wait for a device
// is bounded. Returns whether it became ready. Usable before init() (at the default frequency).
template <typename Ready>
bool poll_until(Ready ready, uint64_t us) {
    const uint64_t end = csr::time() + us * (frequency() / 1'000'000 + 1);
    while (!ready()) {
        if (csr::time() >= end) return ready();
    }
    return true;
}

uint64_t uptime_ms();
// Sleeps at least `ms` milliseconds in wfi; interrupts must be enabled. With `stop`, checks it at
// every wake-up (each tick or interrupt) and returns false as soon as it says so.
bool sleep_ms(uint64_t ms, bool (*stop)() = nullptr);

}  // namespace keel::timer
