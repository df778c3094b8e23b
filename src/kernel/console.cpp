// SPDX-License-Identifier: MIT
// The console: text out to the attached UART (SBI legacy putchar until one is attached), bytes in
// through a single-producer/single-consumer ring that the UART's receive interrupt fills.
//
// Output is line-atomic across harts: each hart gathers its text in its own line buffer and sends
// whole lines to the device under one lock, so lines of different harts never interleave. A
// panicking hart switches the console to panic mode: straight to the device, no lock, so that
// its report gets out even if a stopped hart still holds the lock.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/interrupts.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/lock.h>
#include <keel/lib/ring_buffer.h>

namespace keel::console {
namespace {

constexpr size_t kReceiveCapacity = 256;

Uart* g_uart = nullptr;
constinit RingBuffer<kReceiveCapacity> g_received;
constinit Atomic<uint64_t> g_interrupts{0};
constinit Atomic<uint64_t> g_queued{0};
bool g_interrupt_driven = false;
constinit Lock g_output_lock;
constinit Atomic<uint32_t> g_panic_mode{0};

class ConsoleSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override { console::write(text, length); }
};
constinit ConsoleSink g_sink;

// The receive interrupt (producer side): move every waiting byte into the ring.
void on_receive_interrupt(void*) {
    g_interrupts.fetch_add(1, MemoryOrder::kRelaxed);
    for (int byte = g_uart->get(); byte >= 0; byte = g_uart->get()) {
        if (g_received.push(static_cast<uint8_t>(byte))) g_queued.fetch_add(1, MemoryOrder::kRelaxed);
    }
}

}  // namespace

void attach(Uart& uart) {
    uart.init();
    g_uart = &uart;
}

Uart* device() { return g_uart; }

namespace {

void write_device(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        if (g_uart != nullptr) {
            g_uart->put(text[i]);
        } else {
            sbi::legacy::console_putchar(text[i]);  // before attach(); the firmware adds CR to LF
        }
    }
}

void send_line(const char* text, size_t length) {
    if (g_panic_mode.load(MemoryOrder::kAcquire) != 0) {
        write_device(text, length);
        return;
    }
    LockGuard guard(g_output_lock, KEEL_HERE);
    write_device(text, length);
}

void flush_line(Hart& hart) {
    if (hart.console_length == 0) return;
    send_line(hart.console_line, hart.console_length);
    hart.console_length = 0;
}

}  // namespace

void write(const char* text, size_t length) {
    Hart* hart = this_hart_or_null();
    if (hart == nullptr || g_panic_mode.load(MemoryOrder::kAcquire) != 0) {
        send_line(text, length);  // early boot (one hart) or panic: no buffering
        return;
    }
    for (size_t i = 0; i < length; ++i) {
        hart->console_line[hart->console_length++] = text[i];
        if (text[i] == '\n' || hart->console_length == sizeof hart->console_line) flush_line(*hart);
    }
}

void flush() {
    if (Hart* hart = this_hart_or_null()) flush_line(*hart);
}

void enter_panic_mode() {
    Hart* hart = this_hart_or_null();
    g_panic_mode.store(1, MemoryOrder::kRelease);
    if (hart != nullptr) flush_line(*hart);  // what this hart had half-written comes out first
}

FormatSink& sink() { return g_sink; }

int read_byte() {
    if (g_interrupt_driven) return g_received.pop();
    return g_uart != nullptr ? g_uart->get() : sbi::legacy::console_getchar();
}

void wait_for_input() {
    flush();  // a prompt or an echo must be on the screen before the hart sleeps
    // Interrupts off between the check and wfi, so a byte arriving in between cannot be missed:
    // wfi still wakes for a pending interrupt, which is taken as soon as they are back on.
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (!g_interrupt_driven) {
        csr::wait_for_interrupt();  // polled input: the next tick is when to look again
    } else if (g_received.empty()) {
        // Input arrives by interrupt, so nothing needs the tick until a key: QEMU sits at 0%.
        timer::stop();
        csr::wait_for_interrupt();
        timer::resume_tick();
    }
    csr::restore_interrupts(were_enabled);
}

bool enable_receive_interrupt(uint32_t source) {
    if (g_uart == nullptr || !irq::attach(source, on_receive_interrupt, nullptr)) return false;
    g_interrupt_driven = true;
    g_uart->enable_receive_interrupt();
    return true;
}

ReceiveStats receive_stats() {
    return ReceiveStats{g_interrupt_driven, g_interrupts.load(MemoryOrder::kRelaxed),
                        g_queued.load(MemoryOrder::kRelaxed), g_received.dropped(), kReceiveCapacity};
}

}  // namespace keel::console
