// SPDX-License-Identifier: MIT
// Time: the `time` CSR at /cpus/timebase-frequency, one alarm per hart (SBI set_timer, or the
// stimecmp CSR directly when the hart has Sstc), polls riding on it, and uptime. The timer keeps
// each hart's alarm itself, by the hart's slot (core/hart.h), which callers pass: arch code knows
// nothing of the harts above it.
#pragma once
#include <keel/arch/riscv/csr.h>
#include <stdint.h>

namespace keel::timer {

// The scheduler's time slice is one tick: 100 Hz, 10 ms.
inline constexpr unsigned kTickHz = 100;
inline constexpr uint64_t kDefaultFrequency = 10'000'000;  // QEMU virt's, when nothing says

// Once, on the boot hart, before any hart sets an alarm.
void init(uint64_t timebase_hz, bool use_sstc);
uint64_t frequency();
bool uses_sstc();
// `time` units in `ms` milliseconds (rounded up) and in one tick.
uint64_t from_ms(uint64_t ms);
uint64_t tick_interval();

// The calling hart's one alarm: a timer interrupt once `time` reaches `deadline` (kNever: none).
// Whoever owns the hart's time (the scheduler) sets it; nothing else wakes an idle hart, so a
// hart without an alarm and without a poll takes no timer interrupt at all.
inline constexpr uint64_t kNever = UINT64_MAX;
void set_alarm(unsigned slot, uint64_t deadline);
// Once on each hart as it comes up: no alarm, no poll, and the hardware told so (the comparator
// may hold anything at reset, even a time long past).
void reset(unsigned slot);
// Also call `function` from the calling hart's timer interrupt `hz` times a second (the console
// polls a UART that has no interrupt this way); hz = 0 stops it. The function may call set_poll()
// itself to change its rate.
void set_poll(unsigned slot, void (*function)(), unsigned hz);
// The timer interrupt: polls when due, re-arms. Returns true when the alarm came due (it is then
// cleared: the caller sets the next one).
bool on_interrupt(unsigned slot);
// Timer interrupts hart `slot` has taken: an idle hart takes none.
uint64_t interrupts(unsigned slot);

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
}  // namespace keel::timer
