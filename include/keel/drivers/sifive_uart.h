// SPDX-License-Identifier: MIT
// The SiFive UART (FU540/FU740 manuals, chapter "Universal Asynchronous Receiver/Transmitter"):
// 32-bit registers, 8-entry FIFOs; a full/empty flag in bit 31 of txdata/rxdata.
#pragma once
#include <keel/drivers/uart.h>
#include <stdint.h>

namespace keel {

class SifiveUart final : public Uart {
public:
    constexpr explicit SifiveUart(uintptr_t base) : base_(base) {}

    void init() override;
    bool try_send(char c) override;
    int get() override;
    const char* name() const override { return "sifive,uart0"; }
    void enable_receive_interrupt() override;

private:
    uintptr_t base_;
};

}  // namespace keel
