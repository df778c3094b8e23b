// SPDX-License-Identifier: MIT
// The console driver, made in place from BootInfo: there is exactly one console.
#include <keel/drivers/console_uart.h>
#include <keel/drivers/ns16550.h>
#include <keel/drivers/sbi_console.h>
#include <keel/drivers/sifive_uart.h>
#include <keel/lib/new.h>

namespace keel {
namespace {

constexpr size_t largest(size_t a, size_t b) {
    return a > b ? a : b;
}

// Room for whichever driver the device tree asks for.
alignas(16) unsigned char g_driver[largest(sizeof(Ns16550),
                                           largest(sizeof(SifiveUart), sizeof(SbiConsole)))];

}  // namespace

Uart& make_console_uart(const ConsoleInfo& info) {
    switch (info.driver) {
    case UartDriver::kNs16550:
        return *new (g_driver) Ns16550(info.base, info.reg_shift, info.reg_io_width);
    case UartDriver::kSifive: return *new (g_driver) SifiveUart(info.base);
    case UartDriver::kSbi: break;
    }
    return *new (g_driver) SbiConsole();
}

}  // namespace keel
