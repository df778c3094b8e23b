// SPDX-License-Identifier: MIT
// Load averages as Linux keeps them (kernel/sched/loadavg.c): the number of active tasks (running,
// runnable, uninterruptible), sampled every 5 seconds into three exponentially decayed averages
// (1, 5 and 15 minutes) in fixed point with 11 fraction bits. Pure arithmetic, host-tested.
#pragma once
#include <stdint.h>

namespace keel::loadavg {

inline constexpr unsigned kFractionBits = 11;        // Linux's FSHIFT
inline constexpr uint64_t kOne = uint64_t{1} << 11;  // FIXED_1: 1.0
inline constexpr uint64_t kSamplePeriodSeconds = 5;  // LOAD_FREQ is 5 s (and a tick)
// e^(-5 s / 1 min), e^(-5 s / 5 min), e^(-5 s / 15 min) in fixed point (Linux's EXP_1, 5, 15).
inline constexpr uint64_t kDecay[3] = {1884, 2014, 2037};

// One sample: `load` decayed by `decay` towards `active` (a count of tasks, not fixed point).
// As Linux's calc_load, a load rising towards its target is rounded up.
uint64_t decay_towards(uint64_t load, uint64_t decay, uint64_t active);
// `decay` to the power `n` in fixed point (Linux's fixed_power_int), rounded.
uint64_t decay_power(uint64_t decay, uint64_t n);

// The three averages.
struct Averages {
    uint64_t load[3] = {};  // fixed point, kFractionBits

    // `samples` periods (at least 1) during which `active` tasks were active.
    void sample(uint64_t active, uint64_t samples = 1);
};

// What /proc/loadavg prints for `load`: the whole part and two decimals (rounded to the nearest
// hundredth, as Linux adds FIXED_1/200 before cutting).
struct Decimal {
    uint64_t whole;
    uint64_t hundredths;
};
Decimal to_decimal(uint64_t load);
// sysinfo(2)'s loads[]: fixed point with 16 fraction bits (SI_LOAD_SHIFT).
inline constexpr uint64_t to_sysinfo(uint64_t load) {
    return load << (16 - kFractionBits);
}

}  // namespace keel::loadavg
