// SPDX-License-Identifier: MIT
// The clocks (include/keel/kernel/clock.h).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/clock.h>
#include <keel/lib/atomic.h>

namespace keel::clock {
namespace {

constexpr int64_t kNanosecond = 1'000'000'000;
// The time of day at boot (time CSR 0), in nanoseconds.
constinit Atomic<int64_t> g_epoch_at_boot{0};

int64_t nanoseconds(Time t) {
    return t.seconds * kNanosecond + t.nanoseconds;
}

Time time_of(int64_t ns) {
    Time t{ns / kNanosecond, ns % kNanosecond};
    if (t.nanoseconds < 0) {
        t.nanoseconds += kNanosecond;
        --t.seconds;
    }
    return t;
}

}  // namespace

Time from_ticks(uint64_t ticks) {
    const uint64_t hz = timer::frequency();
    return Time{static_cast<int64_t>(ticks / hz),
                static_cast<int64_t>(ticks % hz * kNanosecond / hz)};
}

Time monotonic() {
    return from_ticks(csr::time());
}

Time realtime() {
    return time_of(nanoseconds(monotonic()) + g_epoch_at_boot.load(MemoryOrder::kRelaxed));
}

void set_realtime(Time now) {
    g_epoch_at_boot.store(nanoseconds(now) - nanoseconds(monotonic()), MemoryOrder::kRelaxed);
}

}  // namespace keel::clock
