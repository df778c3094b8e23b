// SPDX-License-Identifier: MIT
// Load average arithmetic (include/keel/lib/loadavg.h).
#include <keel/lib/loadavg.h>

namespace keel::loadavg {

uint64_t decay_towards(uint64_t load, uint64_t decay, uint64_t active) {
    const uint64_t target = active * kOne;
    uint64_t next = load * decay + target * (kOne - decay);
    if (target >= load) next += kOne - 1;
    return next / kOne;
}

uint64_t decay_power(uint64_t decay, uint64_t n) {
    // Square and multiply, each product rounded back to fixed point.
    const uint64_t half = kOne / 2;
    uint64_t result = kOne;
    uint64_t base = decay;
    while (n != 0) {
        if ((n & 1) != 0) result = (result * base + half) >> kFractionBits;
        n >>= 1;
        if (n != 0) base = (base * base + half) >> kFractionBits;
    }
    return result;
}

void Averages::sample(uint64_t active, uint64_t samples) {
    if (samples == 0) return;
    for (int i = 0; i < 3; ++i) {
        const uint64_t decay = samples == 1 ? kDecay[i] : decay_power(kDecay[i], samples);
        load[i] = decay_towards(load[i], decay, active);
    }
}

Decimal to_decimal(uint64_t load) {
    const uint64_t rounded = load + kOne / 200;
    return Decimal{rounded >> kFractionBits, ((rounded & (kOne - 1)) * 100) >> kFractionBits};
}

}  // namespace keel::loadavg
