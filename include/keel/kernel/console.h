// The kernel console: the one print path. Text goes to the UART driver attached at boot.
#pragma once
#include <stddef.h>

#include <keel/drivers/uart.h>
#include <keel/lib/format.h>

namespace keel::console {

void attach(Uart& uart);
Uart* device();

void write(const char* text, size_t length);
FormatSink& sink();

// The next byte typed, or -1 when none is waiting (never blocks).
int read_byte();

template <typename... Args>
void print(const char* format, const Args&... args) {
    keel::format(sink(), format, args...);
}

}  // namespace keel::console
