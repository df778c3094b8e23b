// SPDX-License-Identifier: MIT
// Which UART drivers keel has, by device-tree compatible string, and making the console's driver
// from what the device tree said (BootInfo::console). A new UART family is one driver file plus
// its line in kUartCompatibles.
#pragma once
#include <keel/drivers/uart.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

enum class UartDriver : uint8_t {
    kSbi,      // no UART keel drives: the firmware's console (SBI DBCN or legacy)
    kNs16550,  // the 16550 family
    kSifive,   // SiFive UART
};

struct UartCompatible {
    const char* compatible;
    UartDriver driver;
};

inline constexpr UartCompatible kUartCompatibles[] = {
    {"ns16550a", UartDriver::kNs16550},
    {"ns16550", UartDriver::kNs16550},
    {"snps,dw-apb-uart", UartDriver::kNs16550},  // DesignWare 8250: JH7110, Allwinner D1
    {"sifive,uart0", UartDriver::kSifive},
};

// What the device tree says about the console UART.
struct ConsoleInfo {
    UartDriver driver = UartDriver::kSbi;
    const char* compatible = "sbi";  // the compatible string that matched, for the banner
    uint64_t base = 0;
    uint32_t reg_shift = 0;
    uint32_t reg_io_width = 1;
    uint32_t irq = 0;  // PLIC source, 0 = none (input is then polled)
};

// The console's driver, set up from `info` (static storage: there is one console).
Uart& make_console_uart(const ConsoleInfo& info);

}  // namespace keel
