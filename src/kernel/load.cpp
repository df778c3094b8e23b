// SPDX-License-Identifier: MIT
// Load averages (include/keel/kernel/load.h): Linux's samples every 5 s, taken at the scheduler's
// events. The number of active tasks changes only at those events, so the samples between two of
// them all saw the number the first one left: exact, without a tick on idle harts.
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/load.h>
#include <keel/kernel/task.h>

namespace keel::sched {
namespace {

// Under the scheduler lock.
constinit loadavg::Averages g_averages;
constinit uint64_t g_next_sample = 0;  // `time` of the next sample (0: not yet started)
constinit size_t g_active = 0;         // active tasks since the last event
constinit uint64_t g_period = 0;       // 5 s in `time` units (reckoned at the first event)

void take_due_samples(uint64_t now) {
    if (g_next_sample == 0) {
        g_period = timer::from_ms(loadavg::kSamplePeriodSeconds * 1000);
        g_next_sample = now + g_period;
    }
    if (now < g_next_sample) return;  // (every switch: nothing more to do, mostly)
    const uint64_t period = g_period;
    const uint64_t samples = 1 + (now - g_next_sample) / period;
    g_averages.sample(g_active, samples);
    g_next_sample += samples * period;
}

}  // namespace

void account_load(uint64_t now, size_t active) {
    take_due_samples(now);
    g_active = active;
}

loadavg::Averages load_averages() {
    SchedLock guard;
    take_due_samples(csr::time());
    return g_averages;
}

}  // namespace keel::sched
