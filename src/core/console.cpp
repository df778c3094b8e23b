// SPDX-License-Identifier: MIT
// The console: text out to the attached UART (the SBI console until one is attached, and again if
// the UART stops responding), bytes in through a single-producer/single-consumer ring that the
// UART's receive interrupt fills, or, for a device without one, the timer's poll.
//
// Output is line-atomic across harts: each hart gathers its text in its own line buffer and sends
// whole lines to the device under one lock, so lines of different harts never interleave. A
// panicking hart switches the console to panic mode: straight to the device, no lock, so that
// its report gets out even if a stopped hart still holds the lock.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/irq.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/lock.h>
#include <keel/core/log.h>
#include <keel/drivers/sbi_console.h>
#include <keel/lib/kept_line.h>
#include <keel/lib/ring_buffer.h>

namespace keel::console {
namespace {

constexpr uint8_t kCtrlC = 0x03;
// A polled device is polled this often while input is recent (QEMU spike's HTIF holds one key:
// keys 5 ms apart arrive, where a third were lost at 100 Hz), and at the tick's rate after a quiet
// second, which costs an idle QEMU about 1% of a core instead of 4-5%.
constexpr unsigned kFastPollHz = 1000;
constexpr unsigned kIdlePollHz = timer::kTickHz;
constexpr uint64_t kQuietMs = 1000;

constinit SbiConsole g_firmware_console;
Uart* g_uart = nullptr;
constinit RingBuffer<kReceiveCapacity> g_received;
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
constinit Atomic<uint64_t> g_output_bytes{0};  // bytes written by any hart, to see new output
uint64_t g_output_seen = 0;                    // ...as the poll last saw it
constinit Lock g_output_lock;
constinit KeptLine g_kept;                  // the shell's edited line (under g_output_lock)
const PendingLine* g_kept_owner = nullptr;  // whose pending line it is
constinit Atomic<uint32_t> g_panic_mode{0};
unsigned g_input_slot = 0;  // the hart that reads input (the boot hart, slot 0): it polls

// Each hart's text not sent yet, by slot, for code that runs outside any task.
constinit PendingLine g_lines[memlayout::kMaxHarts];
constinit ThreadHooks g_hooks;

PendingLine& pending_line(const Hart& hart) {
    if (g_hooks.line != nullptr) {
        if (PendingLine* line = g_hooks.line()) return *line;
    }
    return g_lines[hart.slot];
}

class ConsoleSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override { console::write(text, length); }
};
constinit ConsoleSink g_sink;

using InputHandler = bool (*)(uint8_t byte);
constinit InputHandler g_input_handler = nullptr;

// Producer side (the receive interrupt, or the poll): one byte into the ring.
void receive(int byte) {
    if (g_input_handler != nullptr && g_input_handler(static_cast<uint8_t>(byte))) return;
    if (byte == kCtrlC) g_ctrl_c_typed.fetch_add(1, MemoryOrder::kRelease);
    if (g_received.push(static_cast<uint8_t>(byte))) g_queued.fetch_add(1, MemoryOrder::kRelaxed);
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
}

// The device stopped taking bytes: say so through the firmware, and use the firmware from now on.
void abandon(const char* why) {
    Uart* broken = g_uart;
    g_uart = &g_firmware_console;
    g_firmware_console.init();
    g_interrupt_driven = false;
    const char* name = broken != nullptr ? broken->name() : "uart";
    char line[160];
    const size_t length = format_to(
        line, sizeof line, "console: the {} UART {}; switching to the SBI console\n", name, why);
    for (size_t i = 0; i < length; ++i) g_uart->put(line[i]);
}

void write_device(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        if (g_uart == nullptr) {
            sbi::legacy::console_putchar(text[i]);  // before attach(); the firmware adds CR to LF
        } else if (!g_uart->put(text[i])) {
            abandon("stopped taking bytes (not ready to send for 20 ms)");
            g_uart->put(text[i]);
        }
    }
}

// The device as a sink, for the kept line's erasing and drawing (with the lock held).
class DeviceSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override { write_device(text, length); }
};
constinit DeviceSink g_device;

// `from`: the pending line it comes from (nullptr: none, early in the boot).
void send_line(const char* text, size_t length, const PendingLine* from) {
    if (g_panic_mode.load(MemoryOrder::kAcquire) != 0) {
        write_device(text, length);
        return;
    }
    LockGuard guard(g_output_lock, KEEL_HERE);
    const StringView line{text, length};
    if (from != nullptr && from == g_kept_owner) {
        if (g_kept.owner_writes(line)) write_device(text, length);
        return;
    }
    g_kept.before_other(g_device);
    write_device(text, length);
    g_kept.after_other(line, g_device);
}

// A line goes out, and to the kernel log unless its thread's output is not the kernel's; one the
// console level hides (dmesg -n) goes only there.
void flush_line(const Hart& hart) {
    PendingLine& line = pending_line(hart);
    if (line.length == 0) return;
    if (!line.unlogged) log::keep(line.text, line.length);
    if (line.unlogged || log::shown(log::kInfo)) send_line(line.text, line.length, &line);
    line.length = 0;
}

// Runs the driver's init and one byte (a NUL, which terminals ignore) under a quiet fault guard.
struct Probe {
    Uart* uart;
    bool sent;
};

void probe_device(void* argument) {
    auto& probe = *static_cast<Probe*>(argument);
    probe.uart->init();
    probe.sent = probe.uart->put_raw('\0');
}

}  // namespace

const char* attach_error_name(AttachError error) {
    switch (error) {
    case AttachError::kFaults: return "faults when touched";
    case AttachError::kNeverReady: return "never became ready to send";
    }
    return "unknown";
}

Result<void, AttachError> attach(Uart& uart) {
    Probe probe{&uart, false};
    const bool faulted = run_guarded(probe_device, &probe, true);
    if (faulted || !probe.sent) {
        g_firmware_console.init();
        g_uart = &g_firmware_console;
        return faulted ? AttachError::kFaults : AttachError::kNeverReady;
    }
    g_uart = &uart;
    return {};
}

void set_thread_hooks(const ThreadHooks& hooks) {
    g_hooks = hooks;
}

Uart* device() {
    return g_uart;
}

void write(const char* text, size_t length) {
    Hart* hart = this_hart_or_null();
    g_output_bytes.fetch_add(length, MemoryOrder::kRelaxed);
    if (hart == nullptr || g_panic_mode.load(MemoryOrder::kAcquire) != 0) {
        if (hart == nullptr) log::keep(text, length);
        send_line(text, length, nullptr);  // early boot (one hart) or panic: no buffering
        return;
    }
    PendingLine& line = pending_line(*hart);
    for (size_t i = 0; i < length; ++i) {
        line.text[line.length++] = text[i];
        if (text[i] == '\n' || line.length == sizeof line.text) flush_line(*hart);
    }
}

void keep_out_of_log() {
    if (Hart* hart = this_hart_or_null()) pending_line(*hart).unlogged = true;
}

void flush() {
    if (Hart* hart = this_hart_or_null()) flush_line(*hart);
}

void keep_line(const char* picture, size_t length) {
    Hart* hart = this_hart_or_null();
    if (hart == nullptr || g_panic_mode.load(MemoryOrder::kAcquire) != 0) {
        flush();
        return;
    }
    PendingLine& line = pending_line(*hart);
    if (!line.unlogged) log::keep(line.text, line.length);
    {
        LockGuard guard(g_output_lock, KEEL_HERE);
        g_kept.show(StringView{line.text, line.length}, StringView{picture, length}, g_device);
        g_kept_owner = &line;
    }
    line.length = 0;
}

void write_raw(const char* text, size_t length) {
    g_output_bytes.fetch_add(length, MemoryOrder::kRelaxed);
    if (length == 0) return;
    LockGuard guard(g_output_lock, KEEL_HERE);
    g_kept.before_other(g_device);
    // The firmware's console (and the SBI before attach) sends CR LF for LF itself.
    const bool device_adds_cr = g_uart == nullptr || g_uart->sends_cr_for_lf();
    for (size_t i = 0; i < length; ++i) {
        if (device_adds_cr && text[i] == '\r' && i + 1 < length && text[i + 1] == '\n') continue;
        if (g_uart == nullptr) {
            sbi::legacy::console_putchar(text[i]);
        } else if (!g_uart->put_raw(text[i])) {
            abandon("stopped taking bytes (not ready to send for 20 ms)");
            g_uart->put_raw(text[i]);
        }
    }
    g_kept.after_other(StringView{text, length}, g_device);
}

void set_input_handler(bool (*handler)(uint8_t byte)) {
    g_input_handler = handler;
}

void enter_panic_mode() {
    Hart* hart = this_hart_or_null();
    g_panic_mode.store(1, MemoryOrder::kRelease);
    if (hart != nullptr) flush_line(*hart);  // what this hart had half-written comes out first
}

FormatSink& sink() {
    return g_sink;
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
