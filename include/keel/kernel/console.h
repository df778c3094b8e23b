// SPDX-License-Identifier: MIT
// The kernel console: the one print path, and the one input path. Output goes to the attached UART
// (or, before one is attached or when none exists, to the SBI console). Input arrives by interrupt
// into a ring buffer once enable_receive_interrupt() succeeds, and is polled from the UART before.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include <keel/drivers/uart.h>
#include <keel/lib/format.h>

namespace keel::console {

void attach(Uart& uart);
Uart* device();

// Text goes out a line at a time (see console.cpp); flush() sends a partial line now (a prompt).
void write(const char* text, size_t length);
void flush();
FormatSink& sink();

// From now on output bypasses buffers and the lock. For panic: other harts are stopped.
void enter_panic_mode();

template <typename... Args>
void print(const char* format, const Args&... args) {
    keel::format(sink(), format, args...);
}

// The next byte typed, or -1 when none is waiting (never blocks).
int read_byte();

// Sleeps in wfi until input may have arrived (a receive interrupt, or any other one).
void wait_for_input();

// Routes the UART's PLIC source to the console's receive ring. False if it cannot be routed.
bool enable_receive_interrupt(uint32_t source);

struct ReceiveStats {
    bool interrupt_driven;
    uint64_t interrupts;  // receive interrupts taken
    uint64_t received;    // bytes queued
    uint64_t dropped;     // bytes lost because the ring was full
    size_t capacity;      // ring size
};
ReceiveStats receive_stats();

}  // namespace keel::console
