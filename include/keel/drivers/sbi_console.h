// SPDX-License-Identifier: MIT
// The firmware's console as a UART: SBI DBCN (SBI v2.0 §12) when the firmware has it, the legacy
// console calls (§5) otherwise. Used when the device tree names no UART keel has a driver for
// (QEMU spike), and before any console is attached.
#pragma once
#include <keel/drivers/uart.h>

namespace keel {

class SbiConsole final : public Uart {
public:
    constexpr SbiConsole() : Uart(false) {}  // the firmware's console sends CR LF for LF itself

    void init() override;
    bool try_send(char c) override;
    int get() override;
    const char* name() const override { return use_dbcn_ ? "sbi-dbcn" : "sbi-legacy"; }
    void enable_receive_interrupt() override {}  // the firmware console has no interrupt: polled

private:
    bool use_dbcn_ = false;
    char read_byte_ = 0;  // DBCN's read buffer, passed by physical address
};

}  // namespace keel
