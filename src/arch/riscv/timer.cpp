// SPDX-License-Identifier: MIT
// Each hart programs its own next timer interrupt, either through SBI TIME set_timer (SBI v2.0
// §6) or by writing stimecmp (Sstc extension), which also clears the pending bit. The deadline is
// the earlier of the hart's alarm and its poll; with neither, it is "never".
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/lib/atomic.h>

namespace keel::timer {
namespace {

constinit uint64_t g_frequency = kDefaultFrequency;
constinit uint64_t g_boot_time = 0;
constinit bool g_sstc = false;

// One hart's alarm and poll. Only the hart itself touches them, with its interrupts off.
struct HartTimer {
    Atomic<uint64_t> interrupts{0};  // read by other harts (the harts command)
    uint64_t alarm = kNever;
    void (*poll)() = nullptr;
    uint64_t poll_interval = 0;
    uint64_t next_poll = kNever;
};
constinit HartTimer g_timers[memlayout::kMaxHarts];

void program(uint64_t deadline) {
    if (g_sstc) {
        KEEL_CSR_WRITE(stimecmp, deadline);
    } else {
        // set_timer fails only for a firmware without the TIME extension, and keel cannot keep
        // time there anyway: its sleeps then end on other interrupts.
        (void)sbi::timer::set_timer(deadline);
    }
}

// Ticks since init() in units of 1/per_second seconds, without overflowing for any uptime.
uint64_t elapsed(uint64_t per_second) {
    const uint64_t ticks = csr::time() - g_boot_time;
    return ticks / g_frequency * per_second + ticks % g_frequency * per_second / g_frequency;
}

void program_next(const HartTimer& timer) {
    const uint64_t poll = timer.poll != nullptr ? timer.next_poll : kNever;
    program(poll < timer.alarm ? poll : timer.alarm);
}

}  // namespace

void init(uint64_t timebase_hz, bool use_sstc) {
    if (timebase_hz >= kTickHz) g_frequency = timebase_hz;
    g_sstc = use_sstc;
    g_boot_time = csr::time();
}

uint64_t frequency() {
    return g_frequency;
}
bool uses_sstc() {
    return g_sstc;
}

uint64_t from_ms(uint64_t ms) {
    // ms * frequency / 1000, rounded up, without overflowing for large ms.
    return ms / 1000 * g_frequency + (ms % 1000 * g_frequency + 999) / 1000;
}

uint64_t tick_interval() {
    return g_frequency / kTickHz;
}

void set_alarm(unsigned slot, uint64_t deadline) {
    HartTimer& timer = g_timers[slot];
    if (deadline == timer.alarm) return;  // an SBI call saved: the scheduler re-arms often
    timer.alarm = deadline;
    program_next(timer);
}

void reset(unsigned slot) {
    HartTimer& timer = g_timers[slot];
    timer.alarm = kNever;
    timer.poll = nullptr;
    timer.next_poll = kNever;
    program(kNever);
}

void set_poll(unsigned slot, void (*function)(), unsigned hz) {
    HartTimer& timer = g_timers[slot];
    timer.poll = hz != 0 ? function : nullptr;
    timer.poll_interval = hz != 0 ? g_frequency / hz : 0;
    timer.next_poll = hz != 0 ? csr::time() + timer.poll_interval : kNever;
    program_next(timer);
}

bool on_interrupt(unsigned slot) {
    HartTimer& timer = g_timers[slot];
    timer.interrupts.fetch_add(1, MemoryOrder::kRelaxed);
    const uint64_t now = csr::time();
    const bool alarm = now >= timer.alarm;
    if (alarm) timer.alarm = kNever;
    if (timer.poll != nullptr && now >= timer.next_poll) {
        timer.next_poll = now + timer.poll_interval;
        timer.poll();  // may call set_poll() to change its own rate
    }
    program_next(timer);
    return alarm;
}

uint64_t interrupts(unsigned slot) {
    return g_timers[slot].interrupts.load(MemoryOrder::kRelaxed);
}

uint64_t uptime_ms() {
    return elapsed(1'000);
}

}  // namespace keel::timer
