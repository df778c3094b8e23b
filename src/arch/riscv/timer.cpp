// SPDX-License-Identifier: MIT
// The tick: each hart programs its own next deadline, either through SBI TIME set_timer (SBI
// v2.0 §6) or by writing stimecmp (Sstc extension, CSR 0x14D), which also clears the pending bit.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/hart.h>

namespace keel::timer {
namespace {

constinit uint64_t g_frequency = kDefaultFrequency;
constinit uint64_t g_interval = kDefaultFrequency / kTickHz;
constinit uint64_t g_boot_time = 0;
constinit bool g_sstc = false;

// Per hart (by slot): a function the timer interrupt also calls, `interval` ticks apart.
struct Poll {
    void (*function)() = nullptr;
    uint64_t interval = 0;
    uint64_t next = 0;
};
constinit Poll g_polls[memlayout::kMaxHarts];

void program(uint64_t deadline) {
    if (g_sstc) {
        asm volatile("csrw 0x14d, %0" ::"r"(deadline));  // stimecmp
    } else {
        sbi::timer::set_timer(deadline);
    }
}

// Ticks since init() in units of 1/per_second seconds, without overflowing for any uptime.
uint64_t elapsed(uint64_t per_second) {
    const uint64_t ticks = csr::time() - g_boot_time;
    return ticks / g_frequency * per_second + ticks % g_frequency * per_second / g_frequency;
}

// The next deadline of this hart: its tick, or its poll if that comes first.
void program_next(const Hart& hart) {
    const Poll& poll = g_polls[hart.slot];
    program(poll.function != nullptr && poll.next < hart.next_tick ? poll.next : hart.next_tick);
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

void start_tick() {
    Hart& hart = this_hart();
    hart.next_tick = csr::time() + g_interval;
    program_next(hart);
}

void set_poll(void (*function)(), unsigned hz) {
    Hart& hart = this_hart();
    Poll& poll = g_polls[hart.slot];
    poll.function = hz != 0 ? function : nullptr;
    poll.interval = hz != 0 ? g_frequency / hz : 0;
    poll.next = csr::time() + poll.interval;
    program_next(hart);
}

void stop() {
    program(UINT64_MAX);
}

void resume_tick() {
    // The ticks that fell while the timer was off count as if they had happened.
    Hart& hart = this_hart();
    const uint64_t now = csr::time();
    if (now >= hart.next_tick) {
        const uint64_t missed = (now - hart.next_tick) / g_interval + 1;
        hart.ticks.fetch_add(missed, MemoryOrder::kRelaxed);
        hart.next_tick += missed * g_interval;
    }
    program_next(hart);
}

void on_interrupt() {
    Hart& hart = this_hart();
    const uint64_t now = csr::time();
    if (now >= hart.next_tick) {
        hart.ticks.fetch_add(1, MemoryOrder::kRelaxed);
        // Keep a steady cadence; if ticks were missed (a long stop in gdb), skip rather than storm.
        hart.next_tick += g_interval;
        if (hart.next_tick <= now) hart.next_tick = now + g_interval;
    }
    Poll& poll = g_polls[hart.slot];
    if (poll.function != nullptr && now >= poll.next) {
        poll.next = now + poll.interval;
        poll.function();  // may call set_poll() to change its own rate
    }
    program_next(hart);
}

uint64_t uptime_us() {
    return elapsed(1'000'000);
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
