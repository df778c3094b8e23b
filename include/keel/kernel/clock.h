// SPDX-License-Identifier: MIT
// The clocks programs read: monotonic time since boot (the `time` CSR), and the time of day
// (CLOCK_REALTIME), which is the monotonic clock plus where the epoch was at boot (0 until
// something sets it: the machine's real-time clock, or settimeofday), kept in the vDSO's data page.
#pragma once
#include <keel/lib/vdso_data.h>
#include <stdint.h>

namespace keel::clock {

using Time = vdso_data::Time;

// Publishes the time CSR's frequency (timer::init read it) to the vDSO's data page.
void init();
Time monotonic();
Time realtime();
// Sets the time of day: from now on realtime() counts from `now`.
void set_realtime(Time now);
// A time in `time` CSR units, as a Time.
Time from_ticks(uint64_t ticks);

}  // namespace keel::clock
