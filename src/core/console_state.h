// SPDX-License-Identifier: MIT
// The console's inside (src/core/console*.cpp): what its output half (console.cpp) and its input
// half (console_input.cpp) share.
#pragma once
#include <keel/core/console.h>
#include <keel/lib/atomic.h>

namespace keel::console {

// The device: the attached UART, or the SBI console (nullptr before attach()).
extern Uart* g_uart;
// How the layers above keep state per thread (set_thread_hooks).
extern ThreadHooks g_hooks;
// Bytes written by any hart: the poll of a device without a receive interrupt polls fast after
// new output (a prompt, an echo), as keys tend to follow.
extern Atomic<uint64_t> g_output_bytes;

// Sends what was kept back for a device that made no room (console.cpp), as far as it takes it
// now; from a timer's poll. Whether nothing is left.
bool drain_kept_back();
// Whether hart `slot`'s timer polls the device for input (console_input.cpp): that poll drains
// kept-back output too.
bool input_poll_drains(unsigned slot);

}  // namespace keel::console
