// SPDX-License-Identifier: MIT
// panic(fmt, args...): print "PANIC: <message>" with the file and line and a backtrace, stop every
// other hart (IPI), and end the machine with a failure (core/power.h).
#pragma once
#include <keel/lib/format.h>
#include <stddef.h>

namespace keel {

[[noreturn]] void panic_with(const char* file, int line, const char* format, const FormatArg* args,
                             size_t count);

template <typename... Args>
[[noreturn]] void panic_at(const char* file, int line, const char* format, const Args&... args) {
    const FormatArg list[] = {FormatArg(args)..., FormatArg()};
    panic_with(file, line, format, list, sizeof...(Args));
}

// Stops the calling hart for good: interrupts off, wfi forever.
[[noreturn]] void halt();

// True once a hart has begun to panic: every other hart was sent an IPI, and halts in its handler.
bool halting();

}  // namespace keel

#define panic(...) ::keel::panic_at(__FILE__, __LINE__, __VA_ARGS__)
