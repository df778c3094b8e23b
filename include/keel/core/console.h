// SPDX-License-Identifier: MIT
// The kernel console: the one print path, and the one input path. Output goes to the attached UART
// (or, before one is attached, or when none exists or works at attach(), to the SBI console). A
// UART that once worked is kept: while its terminal does not read, tasks wait for it (see send()
// in console.cpp).
// Input lands in a ring of kReceiveCapacity bytes: by interrupt once enable_receive_interrupt()
// succeeds, else by the timer's poll once poll_input() is called. While a command runs, typed
// bytes wait there; past its capacity they are dropped and counted (take_dropped()), except a
// Ctrl-C, which has room of its own.
#pragma once
#include <keel/drivers/uart.h>
#include <keel/lib/format.h>
#include <keel/lib/result.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::console {

// Typed bytes kept while nobody reads them (a command runs): a pasted screenful.
inline constexpr size_t kReceiveCapacity = 1024;

enum class AttachError : uint8_t {
    kFaults = 1,  // touching its registers faults (nothing there)
    kNeverReady,  // it never became ready to send
};
// "faults when touched", "never became ready to send".
const char* attach_error_name(AttachError error);

// Sets the UART up and sends it one byte, under a fault guard and with bounded waits. On failure
// the console stays on the SBI console.
Result<void, AttachError> attach(Uart& uart);
Uart* device();

// Text goes out a line at a time (see console.cpp); flush() sends a partial line now (a prompt).
void write(const char* text, size_t length);
void flush();
FormatSink& sink();

// From now on output bypasses buffers and the lock. For panic: other harts are stopped.
void enter_panic_mode();
// Panic's last step before the machine stops: what a device that made no room (a terminal after
// Ctrl-S) left kept back goes out if it takes it within kPanicWaitMs, so that the report is seen.
inline constexpr uint64_t kPanicWaitMs = 10'000;
void finish_panic_report();

// The line the calling thread (keel's shell) is editing: `picture` draws it from the start of its
// row (prompt, text, the cursor put back). Sends what the thread has written so far (the echo of
// a key) and keeps the line on the screen from now on (lib/kept_line.h): a line anyone else
// prints erases it first and draws it again below. The thread's next line end lets it go.
void keep_line(const char* picture, size_t length);

template <typename... Args>
void print(const char* format, const Args&... args) {
    keel::format(sink(), format, args...);
}

// Text a thread of execution has written but not sent yet: a partial line (whole lines go out at
// once, so that lines of different harts and tasks never interleave).
struct PendingLine {
    char text[160] = {};
    size_t length = 0;
    bool unlogged = false;  // the thread's lines stay out of the kernel log (keep_out_of_log)
};

// How the layers above keep console state per thread (the scheduler, once tasks run): `line`
// returns the calling thread's PendingLine (nullptr: the hart's own); `wait` blocks the calling
// thread until ready() holds, and `wake` (called from the receive interrupt or poll, interrupts
// off) wakes it; `nap` blocks the calling task for about a tick while the UART makes no room,
// false when a kill or a signal cut it short. Until set, each hart has one line, input waits in
// wfi, and output never sleeps.
struct ThreadHooks {
    PendingLine* (*line)() = nullptr;
    void (*wait)(bool (*ready)()) = nullptr;
    void (*wake)() = nullptr;
    bool (*nap)() = nullptr;
};
void set_thread_hooks(const ThreadHooks& hooks);

// The calling thread's lines from now on are not the kernel's to keep (core/log.h): keel's shell,
// whose commands' output is not kernel messages, says so once it has booted.
void keep_out_of_log();

// Bytes as they are, now (no line buffering, no carriage return added): a terminal's output,
// processed by its line discipline already. A task waits while the UART makes no room; false
// when a kill or a signal cut that wait short (what had not gone then goes when the UART takes
// bytes again, before anything else).
bool write_raw(const char* text, size_t length);
// The same for a writer that may not wait (O_NONBLOCK): the bytes go only if they all fit where
// bytes are kept back for a device that makes no room (true); otherwise nothing goes (false).
bool write_raw_now(const char* text, size_t length);
struct OutputRoom {
    size_t bytes;  // what write_raw_now takes now
    bool drained;  // little is left to send (Linux's POLLOUT for a terminal)
};
OutputRoom output_room();
// Where typed bytes go first (the terminal, kernel/fs/tty.cpp): called for each, in the receive
// interrupt or poll; a byte it takes (true) does not reach the ring.
void set_input_handler(bool (*handler)(uint8_t byte));

// The next byte typed, or -1 when none is waiting (never blocks).
int read_byte();
// Whether a typed byte waits to be read.
bool input_pending();
// Wakes every task waiting for input, to look again (who may read has changed).
void wake_input_waiters();

// Waits until input may have arrived (a receive interrupt, a poll, or any other one): the calling
// task blocks, or, before tasks run, the hart sleeps in wfi.
void wait_for_input();

// Routes the UART's PLIC source to the console's receive ring, for the calling hart's PLIC
// context. False if it cannot be routed (input is then polled: poll_input()).
bool enable_receive_interrupt(uint32_t source, int plic_context);
// For a device without a usable interrupt: the calling hart's timer polls it into the ring, at
// 1 kHz while input or output is recent (a prompt, an echo, a task's report), at 100 Hz after a
// quiet second.
void poll_input();

// Ctrl-C ends a long-running command. The shell calls begin_command() before a command and
// end_command() after it; the command checks cancel_requested() where it can stop. end_command()
// returns whether a Ctrl-C came, and then drops what was typed ahead of it (as a terminal does).
void begin_command();
bool cancel_requested();
bool end_command();

// Typed bytes dropped since the last call, because the ring was full.
uint64_t take_dropped();

struct ReceiveStats {
    bool interrupt_driven;
    uint64_t interrupts;  // receive interrupts taken
    uint64_t received;    // bytes queued
    uint64_t dropped;     // bytes lost because the ring was full
    size_t capacity;      // ring size
};
ReceiveStats receive_stats();

}  // namespace keel::console
