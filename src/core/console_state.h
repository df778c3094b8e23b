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

}  // namespace keel::console
