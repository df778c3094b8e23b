// SPDX-License-Identifier: MIT
// The console's input (core/console.h): typed bytes into a single-producer/single-consumer ring
// that the UART's receive interrupt fills, or, for a device without one, the timer's poll; the
// reader (keel's shell) takes them out, and Ctrl-C ends the command it runs. While a session has
// the terminal, bytes go to its line discipline instead (set_input_handler).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/irq.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/lib/ring_buffer.h>

#include "console_state.h"

namespace keel::console {
namespace {

constexpr uint8_t kCtrlC = 0x03;
// A polled device is polled this often while input is recent (QEMU spike's HTIF holds one key:
// keys 5 ms apart arrive, where a third were lost at 100 Hz), and at the tick's rate after a quiet
// second, which costs an idle QEMU about 1% of a core instead of 4-5%.
constexpr unsigned kFastPollHz = 1000;
constexpr unsigned kIdlePollHz = timer::kTickHz;
constexpr uint64_t kQuietMs = 1000;

// kReceiveCapacity typed bytes, and as many slots again that only a Ctrl-C may take: a Ctrl-C
// typed when the typed bytes have filled theirs still gets in (it will drop them, and only a
// Ctrl-C in the ring can balance the count of those typed).
constinit RingBuffer<2 * kReceiveCapacity> g_received;
constinit Atomic<uint64_t> g_interrupts{0};
constinit Atomic<uint64_t> g_queued{0};
constinit Atomic<uint32_t> g_ctrl_c_typed{0};  // Ctrl-C bytes received, ever
uint32_t g_ctrl_c_read = 0;                    // ...and taken from the ring by the reader
uint32_t g_ctrl_c_at_command = 0;              // g_ctrl_c_read when the running command started
uint64_t g_dropped_reported = 0;
bool g_interrupt_driven = false;
bool g_polled = false;  // the timer polls the device into the ring
unsigned g_poll_hz = 0;
uint64_t g_last_activity = 0;  // time of the last byte in, or of the last new output
uint64_t g_output_seen = 0;    // console::g_output_bytes as the poll last saw it
unsigned g_input_slot = 0;     // the hart that reads input (the boot hart, slot 0): it polls

using InputHandler = bool (*)(uint8_t byte);
constinit InputHandler g_input_handler = nullptr;

// Producer side (the receive interrupt, or the poll): one byte into the ring. A Ctrl-C is counted
// only once it is in the ring, where the reader will take it and count it too.
void receive(int byte) {
    if (g_input_handler != nullptr && g_input_handler(static_cast<uint8_t>(byte))) return;
    const size_t limit = byte == kCtrlC ? g_received.capacity() : kReceiveCapacity;
    if (g_received.push(static_cast<uint8_t>(byte), limit)) {
        g_queued.fetch_add(1, MemoryOrder::kRelaxed);
        if (byte == kCtrlC) g_ctrl_c_typed.fetch_add(1, MemoryOrder::kRelease);
    }
    if (g_hooks.wake != nullptr) g_hooks.wake();
}

void on_receive_interrupt(void*) {
    g_interrupts.fetch_add(1, MemoryOrder::kRelaxed);
    for (int byte = g_uart->get(); byte >= 0; byte = g_uart->get()) receive(byte);
}

void on_poll();

void set_poll_rate(unsigned hz) {
    if (hz == g_poll_hz) return;
    g_poll_hz = hz;
    timer::set_poll(g_input_slot, on_poll, hz);
}

// The timer's poll of a device without a receive interrupt: fast while input is recent, and
// after any output (a prompt, an echo, a task's report): keys tend to follow.
void on_poll() {
    bool got = false;
    for (int byte = g_uart->get(); byte >= 0; byte = g_uart->get()) {
        receive(byte);
        got = true;
    }
    const uint64_t now = timer::uptime_ms();
    const uint64_t output = g_output_bytes.load(MemoryOrder::kRelaxed);
    if (got || output != g_output_seen) g_last_activity = now;
    g_output_seen = output;
    set_poll_rate(now - g_last_activity < kQuietMs ? kFastPollHz : kIdlePollHz);
    drain_kept_back();
}

}  // namespace

bool input_poll_drains(unsigned slot) {
    return g_polled && slot == g_input_slot;
}

void set_input_handler(bool (*handler)(uint8_t byte)) {
    g_input_handler = handler;
}

namespace {

// The consumer's pop, counting the Ctrl-Cs it takes.
int take_byte() {
    const int byte = g_received.pop();
    if (byte == kCtrlC) ++g_ctrl_c_read;
    return byte;
}

}  // namespace

int read_byte() {
    if (g_interrupt_driven || g_polled) return take_byte();
    return g_uart != nullptr ? g_uart->get() : sbi::legacy::console_getchar();
}

bool input_pending() {
    if (g_polled) {
        const bool were_enabled = csr::save_and_disable_interrupts();
        on_poll();
        csr::restore_interrupts(were_enabled);
    }
    return !g_received.empty();
}

void wake_input_waiters() {
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (g_hooks.wake != nullptr) g_hooks.wake();
    csr::restore_interrupts(were_enabled);
}

namespace {

bool input_waiting() {
    return !g_received.empty();
}

}  // namespace

void wait_for_input() {
    flush();  // a prompt or an echo must be on the screen before the reader sleeps
    // Interrupts off between the check and the sleep, so a byte arriving in between cannot be
    // missed: wfi still wakes for a pending interrupt, and a blocked task is woken by receive().
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (g_polled) on_poll();  // a key may have come while the prompt or an echo went out
    if (g_received.empty()) {
        if (g_hooks.wait != nullptr) {
            g_hooks.wait(input_waiting);  // the next receive interrupt or poll wakes the task
        } else {
            csr::wait_for_interrupt();  // the receive interrupt, or the next poll
        }
    }
    csr::restore_interrupts(were_enabled);
}

bool enable_receive_interrupt(uint32_t source, int plic_context) {
    if (g_uart == nullptr || !irq::attach(source, on_receive_interrupt, nullptr, plic_context))
        return false;
    g_interrupt_driven = true;
    g_uart->enable_receive_interrupt();
    return true;
}

void poll_input() {
    if (g_uart == nullptr || g_interrupt_driven) return;
    g_polled = true;
    // Poll once now: QEMU spike's HTIF console (OpenSBI 1.1) hands keys only to a firmware that
    // has asked for one, and a key that comes before the first request upsets the firmware.
    on_poll();
    set_poll_rate(kIdlePollHz);
}

// A Ctrl-C the reader has not taken yet was typed after the line that started the command (the
// reader takes bytes in order): it is for this command, even if it came before the command began.
void begin_command() {
    g_ctrl_c_at_command = g_ctrl_c_read;
}

bool cancel_requested() {
    return g_ctrl_c_typed.load(MemoryOrder::kAcquire) != g_ctrl_c_at_command;
}

bool end_command() {
    if (!cancel_requested()) return false;
    // As a terminal does on an interrupt: what was typed ahead of the Ctrl-C goes with it.
    for (int byte = take_byte(); byte >= 0 && byte != kCtrlC; byte = take_byte()) {
    }
    return true;
}

uint64_t take_dropped() {
    const uint64_t dropped = g_received.dropped();
    const uint64_t news = dropped - g_dropped_reported;
    g_dropped_reported = dropped;
    return news;
}

ReceiveStats receive_stats() {
    return ReceiveStats{g_interrupt_driven, g_interrupts.load(MemoryOrder::kRelaxed),
                        g_queued.load(MemoryOrder::kRelaxed), g_received.dropped(),
                        kReceiveCapacity};
}

}  // namespace keel::console
