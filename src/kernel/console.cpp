// The console: forwards text to the attached UART, byte by byte. Output before attach() is dropped.
#include <keel/kernel/console.h>

namespace keel::console {
namespace {

Uart* g_uart = nullptr;

class UartSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override { console::write(text, length); }
};
constinit UartSink g_sink;

}  // namespace

void attach(Uart& uart) {
    uart.init();
    g_uart = &uart;
}

Uart* device() { return g_uart; }

void write(const char* text, size_t length) {
    if (g_uart == nullptr) return;
    for (size_t i = 0; i < length; ++i) g_uart->put(text[i]);
}

FormatSink& sink() { return g_sink; }

int read_byte() { return g_uart == nullptr ? -1 : g_uart->get(); }

}  // namespace keel::console
