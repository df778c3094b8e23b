// SPDX-License-Identifier: MIT
// The 16550 UART family (QEMU virt's ns16550a, and the same register file on many SoCs).
// Registers are `1 << reg_shift` bytes apart and accessed `io_width` bytes wide (device-tree
// properties reg-shift and reg-io-width; QEMU virt: 0 and 1).
#pragma once
#include <keel/drivers/uart.h>
#include <stdint.h>

namespace keel {

class Ns16550 final : public Uart {
public:
    constexpr Ns16550(uintptr_t base, unsigned reg_shift = 0, unsigned io_width = 1)
        : base_(base), reg_shift_(reg_shift), io_width_(io_width) {}

    void init() override;
    bool try_send(char c) override;
    int get() override;
    const char* name() const override { return "16550"; }
    void enable_receive_interrupt() override;

private:
    enum class Reg : uint8_t;
    uint8_t read(Reg reg) const;
    void write(Reg reg, uint8_t value) const;

    uintptr_t base_;
    unsigned reg_shift_;
    unsigned io_width_;
};

}  // namespace keel
