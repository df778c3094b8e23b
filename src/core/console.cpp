// SPDX-License-Identifier: MIT
// The console's output (core/console.h): text out to the attached UART (the SBI console until one
// is attached, or when none works then); its input is console_input.cpp.
//
// Output is line-atomic across harts: each hart gathers its text in its own line buffer and sends
// whole lines to the device under one lock, so lines of different harts never interleave. A
// panicking hart switches the console to panic mode: straight to the device, no lock, so that
// its report gets out even if a stopped hart still holds the lock. A UART that worked at attach()
// is never given up: while it makes no room (its terminal does not read), tasks wait for it and
// what others send is kept back for later (send()).
#include <keel/arch/riscv/csr.h>
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

#include "console_state.h"

namespace keel::console {

Uart* g_uart = nullptr;
constinit ThreadHooks g_hooks;
constinit Atomic<uint64_t> g_output_bytes{0};

namespace {

// How long one byte may wait for room before its writer changes how it waits (send_byte): a byte
// takes about 1 ms at 9600 baud, so a device that has made none in this long is stalled (or, at
// attach(), not working).
constexpr uint64_t kPatienceUs = 20'000;
// Below this many bytes kept back, a writer that may not wait is told there is room again (Linux's
// WAKEUP_CHARS).
constexpr size_t kWakeBelow = 256;

constinit SbiConsole g_firmware_console;
constinit Lock g_output_lock;
// Under the output lock: a byte waited kPatienceUs in vain and none has gone since; what writers
// that may not sleep (an echo, from the receive interrupt) sent meanwhile, kept back for the next
// byte to send first, and what did not fit there; the writer that naps mid-text, keeping its turn.
bool g_stalled = false;
constinit RingBuffer<4096> g_kept_back;  // as much as Linux's UART_XMIT_SIZE
uint64_t g_lost = 0;
const void* g_napping = nullptr;
bool g_room_asked = false;  // output_room() said there was little: drain_kept_back() tells them
constinit KeptLine g_kept;  // the shell's edited line (under g_output_lock)
const PendingLine* g_kept_owner = nullptr;  // whose pending line it is
constinit Atomic<uint32_t> g_panic_mode{0};

// Each hart's text not sent yet, by slot, for code that runs outside any task.
constinit PendingLine g_lines[memlayout::kMaxHarts];

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

// Where a writer is in its text: the byte it is at, and how many of the device bytes that byte
// became (see expand) have gone.
struct Progress {
    size_t byte = 0;
    size_t part = 0;
};

// The device bytes text[i] becomes: keel's '\n' is CR LF for a device that wants CR LF; in raw
// text (a terminal's, processed already) the CR of a CR LF is left out for a device that adds it.
size_t expand(const char* text, size_t length, size_t i, bool raw, char (&out)[2]) {
    const bool device_adds_cr = g_uart == nullptr || g_uart->sends_cr_for_lf();
    if (raw && device_adds_cr && text[i] == '\r' && i + 1 < length && text[i + 1] == '\n') return 0;
    if (!raw && !device_adds_cr && text[i] == '\n') {
        out[0] = '\r';
        out[1] = '\n';
        return 2;
    }
    out[0] = text[i];
    return 1;
}

// Whether the device takes `c`, given up to kPatienceUs to make room (no time while it is
// stalled, or at all when `wait` is false). A stall that ends says in the kernel log what it
// cost, if anything.
bool device_takes(char c, bool wait = true) {
    const uint64_t patience = g_stalled || !wait ? 0 : kPatienceUs;
    if (!timer::poll_until([c] { return g_uart->try_send(c); }, patience)) {
        g_stalled = true;
        return false;
    }
    if (g_stalled && g_lost != 0 && g_panic_mode.load(MemoryOrder::kAcquire) == 0) {
        log::note("console: {} bytes of output lost while the terminal did not read", g_lost);
    }
    g_stalled = false;
    g_lost = 0;
    return true;
}

// Sends what was kept back, oldest first, while the device takes it (with the output lock held,
// or in panic mode); whether none is left. `wait`: as device_takes.
bool send_kept_back(bool wait) {
    for (int kept = g_kept_back.peek(); kept >= 0; kept = g_kept_back.peek()) {
        if (!device_takes(static_cast<char>(kept), wait)) return false;
        (void)g_kept_back.pop();
    }
    return true;
}

// Bytes kept back go out as the device makes room: the timer of the hart that kept the last of
// them tries a tick at a time while any are left (the input poll does, where it runs).
void drain_poll() {
    if (drain_kept_back()) timer::set_poll(this_hart().slot, nullptr, 0);
}

// With the output lock held (interrupts off): from a tick on (again, if it was: set_poll is all
// of this hart's poll state, whatever reset it meanwhile).
void arm_drain() {
    const Hart* hart = this_hart_or_null();
    if (hart == nullptr || g_panic_mode.load(MemoryOrder::kAcquire) != 0) return;
    if (!input_poll_drains(hart->slot)) timer::set_poll(hart->slot, &drain_poll, timer::kTickHz);
}

// One byte to the device, with the output lock held (or in panic mode), after the bytes kept
// back before it. When the device has no room, a writer that may sleep gets false (it naps, then
// tries again); one that may not leaves the byte kept back (or, with no room there, lost).
bool send_byte(char c, bool may_sleep) {
    if (g_uart == nullptr) {  // before attach(); the firmware waits for its device itself
        sbi::legacy::console_putchar(c);
        return true;
    }
    if (send_kept_back(true) && device_takes(c)) return true;
    if (may_sleep) return false;
    if (g_panic_mode.load(MemoryOrder::kAcquire) != 0 &&
        g_kept_back.size() == g_kept_back.capacity())
        (void)g_kept_back.pop();  // a panic's report matters more than what waited before it
    if (!g_kept_back.push(static_cast<uint8_t>(c))) ++g_lost;
    arm_drain();
    return true;
}

}  // namespace

bool drain_kept_back() {
    bool wake = false, empty = false;
    {
        LockGuard guard(g_output_lock, KEEL_HERE);
        empty = send_kept_back(false);
        // Whoever made the room (this drain, or another writer's bytes before its own), those
        // told there was little look again once there is.
        wake = g_room_asked && g_kept_back.size() < kWakeBelow;
        if (wake) g_room_asked = false;
    }
    if (wake && g_hooks.wake != nullptr) g_hooks.wake();
    return empty;
}

namespace {

// Sends on from `at` until the text is out (true), or the device has no room for a writer that
// may sleep (false).
bool send_text(const char* text, size_t length, bool raw, Progress& at, bool may_sleep) {
    for (; at.byte < length; ++at.byte, at.part = 0) {
        char device[2];
        const size_t parts = expand(text, length, at.byte, raw, device);
        for (; at.part < parts; ++at.part) {
            if (!send_byte(device[at.part], may_sleep)) return false;
        }
    }
    return true;
}

// The device as a sink for the kept line's erasing and drawing, with the output lock held: what
// finds no room is kept back, as an echo is.
class DeviceSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override {
        Progress at;
        (void)send_text(text, length, false, at, false);
    }
};
constinit DeviceSink g_device;

// Under the output lock, before a text's first byte: whether it goes out at all. The owner of the
// kept line writes over it (or not at all, when its bytes are on the screen already); anyone else's
// text first erases it (`other`), and after_other draws it again below.
bool begin_text(StringView text, const PendingLine* from, bool& other) {
    if (from != nullptr && from == g_kept_owner) return g_kept.owner_writes(text);
    g_kept.before_other(g_device);
    other = true;
    return true;
}

// With the output lock held: how many bytes a writer that may not wait may send, so that all of
// them fit where bytes are kept back even if the device stops taking any (Linux's write room: its
// 4 KiB transmit buffer), with room kept for the shell's line to be erased and drawn again.
size_t room_left() {
    const size_t reserve = g_kept.kept() ? KeptLine::kCapacity + 16 : 0;
    const size_t used = g_kept_back.size() + reserve;
    return used < g_kept_back.capacity() ? g_kept_back.capacity() - used : 0;
}

// Who may sleep while the device makes no room: a task (not an interrupt handler, not code
// under a spinlock: their interrupts are off). Its identity, or nullptr.
const void* sleeper() {
    if (g_hooks.nap == nullptr || g_hooks.line == nullptr || !csr::interrupts_enabled() ||
        this_hart_or_null() == nullptr)
        return nullptr;
    return g_hooks.line();
}

// Sends `text` under the output lock, so that it never interleaves with another writer's. When
// the device makes no room (its terminal stopped reading: Ctrl-S, a scrolled-back tmux, a slow
// link), a writer that may sleep keeps its turn and naps until the device takes bytes again,
// however long that is, as a program's write(2) waits on Linux; other writers that may sleep
// wait for the turn, and what writers that may not sleep send meanwhile (an echo) comes between.
// A kill or a signal cuts the nap short (false is returned): the rest goes on as a writer's that
// may not sleep, kept back for the drain if the device has no room.
// `from`: the pending line the text comes from (nullptr: none). `now`: a writer that may not
// wait (O_NONBLOCK) sends only what fits where bytes are kept back, whatever the device does;
// else nothing, and false.
bool send(const char* text, size_t length, bool raw, const PendingLine* from = nullptr,
          bool now = false) {
    Progress at;
    if (g_panic_mode.load(MemoryOrder::kAcquire) != 0) {
        send_text(text, length, raw, at, false);
        return true;
    }
    const void* self = now ? nullptr : sleeper();
    bool napped_through = true, started = false, other = false;
    for (;;) {
        {
            LockGuard guard(g_output_lock, KEEL_HERE);
            // (Past the shell line's reserve, if that is what it takes: the room was looked at,
            // and the bytes processed, before another writer took some.)
            if (now && g_kept_back.capacity() - g_kept_back.size() < length) return false;
            if (self == nullptr || g_napping == nullptr || g_napping == self) {
                if (!started && !begin_text(StringView{text, length}, from, other)) return true;
                started = true;
                if (send_text(text, length, raw, at, self != nullptr)) {
                    if (other) g_kept.after_other(StringView{text, length}, g_device);
                    if (self != nullptr && g_napping == self) g_napping = nullptr;
                    return napped_through;
                }
                g_napping = self;
            }
        }
        if (!g_hooks.nap()) {
            LockGuard guard(g_output_lock, KEEL_HERE);
            if (g_napping == self) g_napping = nullptr;
            self = nullptr;
            napped_through = false;
        }
    }
}

// A line goes out, and to the kernel log unless its thread's output is not the kernel's; one the
// console level hides (dmesg -n) goes only there.
void flush_line(const Hart& hart) {
    PendingLine& line = pending_line(hart);
    if (line.length == 0) return;
    if (!line.unlogged) log::keep(line.text, line.length);
    if (line.unlogged || log::shown(log::kInfo)) (void)send(line.text, line.length, false, &line);
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
    probe.sent = timer::poll_until([&probe] { return probe.uart->try_send('\0'); }, kPatienceUs);
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
        (void)send(text, length, false);  // early boot (one hart) or panic: no buffering
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

bool write_raw(const char* text, size_t length) {
    g_output_bytes.fetch_add(length, MemoryOrder::kRelaxed);
    if (length == 0) return true;
    return send(text, length, true);
}

bool write_raw_now(const char* text, size_t length) {
    if (length != 0 && !send(text, length, true, nullptr, true)) return false;
    g_output_bytes.fetch_add(length, MemoryOrder::kRelaxed);
    return true;
}

OutputRoom output_room() {
    LockGuard guard(g_output_lock, KEEL_HERE);
    const OutputRoom room{room_left(), g_kept_back.size() < kWakeBelow};
    if (!room.drained || room.bytes < kWakeBelow) g_room_asked = true;
    return room;
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

void enter_panic_mode() {
    Hart* hart = this_hart_or_null();
    g_panic_mode.store(1, MemoryOrder::kRelease);
    if (hart != nullptr) flush_line(*hart);  // what this hart had half-written comes out first
}

void finish_panic_report() {
    if (g_uart == nullptr) return;
    const uint64_t until = csr::time() + timer::from_ms(kPanicWaitMs);
    for (int kept = g_kept_back.peek(); kept >= 0; kept = g_kept_back.peek()) {
        while (!g_uart->try_send(static_cast<char>(kept))) {
            if (csr::time() >= until) return;
        }
        (void)g_kept_back.pop();
    }
}

FormatSink& sink() {
    return g_sink;
}

}  // namespace keel::console
