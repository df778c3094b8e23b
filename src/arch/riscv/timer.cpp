// SPDX-License-Identifier: MIT
// The tick: each hart programs its own next deadline, either through SBI TIME set_timer (SBI
// v2.0 §6) or by writing stimecmp (Sstc extension), which also clears the pending bit.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/lib/atomic.h>

namespace keel::timer {
namespace {

constinit uint64_t g_frequency = kDefaultFrequency;
constinit uint64_t g_interval = kDefaultFrequency / kTickHz;
constinit uint64_t g_boot_time = 0;
constinit bool g_sstc = false;

// One hart's tick, and a function its timer interrupt also calls, `interval` apart.
struct HartTimer {
    Atomic<uint64_t> ticks{0};  // read by other harts (the harts command)
    uint64_t next_tick = 0;     // `time` value of the next tick; only this hart touches the rest
    void (*poll)() = nullptr;
    uint64_t poll_interval = 0;
    uint64_t next_poll = 0;
};
constinit HartTimer g_timers[memlayout::kMaxHarts];

void program(uint64_t deadline) {
    if (g_sstc) {
        KEEL_CSR_WRITE(stimecmp, deadline);
    } else {
        // set_timer fails only for a firmware without the TIME extension, and keel cannot tick
        // there anyway: its sleeps then end on other interrupts.
        (void)sbi::timer::set_timer(deadline);
    }
}

// Ticks since init() in units of 1/per_second seconds, without overflowing for any uptime.
uint64_t elapsed(uint64_t per_second) {
    const uint64_t ticks = csr::time() - g_boot_time;
    return ticks / g_frequency * per_second + ticks % g_frequency * per_second / g_frequency;
}

// The next deadline of a hart: its tick, or its poll if that comes first.
void program_next(const HartTimer& timer) {
    program(timer.poll != nullptr && timer.next_poll < timer.next_tick ? timer.next_poll
                                                                       : timer.next_tick);
}

}  // namespace

void init(uint64_t timebase_hz, bool use_sstc) {
    if (timebase_hz >= kTickHz) g_frequency = timebase_hz;
    g_interval = g_frequency / kTickHz;
    g_sstc = use_sstc;
    g_boot_time = csr::time();
}

uint64_t frequency() {
    return g_frequency;
}
bool uses_sstc() {
    return g_sstc;
}

void start_tick(unsigned slot) {
    HartTimer& timer = g_timers[slot];
    timer.next_tick = csr::time() + g_interval;
    program_next(timer);
}

void set_poll(unsigned slot, void (*function)(), unsigned hz) {
    HartTimer& timer = g_timers[slot];
    timer.poll = hz != 0 ? function : nullptr;
    timer.poll_interval = hz != 0 ? g_frequency / hz : 0;
    timer.next_poll = csr::time() + timer.poll_interval;
    program_next(timer);
}

void stop() {
    program(UINT64_MAX);
}

void resume_tick(unsigned slot) {
    // The ticks that fell while the timer was off count as if they had happened.
    HartTimer& timer = g_timers[slot];
    const uint64_t now = csr::time();
    if (now >= timer.next_tick) {
        const uint64_t missed = (now - timer.next_tick) / g_interval + 1;
        timer.ticks.fetch_add(missed, MemoryOrder::kRelaxed);
        timer.next_tick += missed * g_interval;
    }
    program_next(timer);
}

void on_interrupt(unsigned slot) {
    HartTimer& timer = g_timers[slot];
    const uint64_t now = csr::time();
    if (now >= timer.next_tick) {
        timer.ticks.fetch_add(1, MemoryOrder::kRelaxed);
        // Keep a steady cadence; if ticks were missed (a long stop in gdb), skip rather than storm.
        timer.next_tick += g_interval;
        if (timer.next_tick <= now) timer.next_tick = now + g_interval;
    }
    if (timer.poll != nullptr && now >= timer.next_poll) {
        timer.next_poll = now + timer.poll_interval;
        timer.poll();  // may call set_poll() to change its own rate
    }
    program_next(timer);
}

uint64_t ticks(unsigned slot) {
    return g_timers[slot].ticks.load(MemoryOrder::kRelaxed);
}

uint64_t uptime_ms() {
    return elapsed(1'000);
}

bool sleep_ms(uint64_t ms, bool (*stop)()) {
    // ms * frequency / 1000, rounded up, without overflowing for large ms.
    const uint64_t ticks = ms / 1000 * g_frequency + (ms % 1000 * g_frequency + 999) / 1000;
    const uint64_t deadline = csr::time() + ticks;
    while (csr::time() < deadline) {
        if (stop != nullptr && stop()) return false;
        csr::wait_for_interrupt();  // the tick wakes us, or the interrupt that makes stop() true
    }
    return true;
}

}  // namespace keel::timer
