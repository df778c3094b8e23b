// SPDX-License-Identifier: MIT
// 16550 UART driver. Register map and bits from the TI PC16550D datasheet (§8 "Registers").
// keel keeps the baud divisor firmware already programmed and sets 8N1 with FIFOs on.
#include <keel/arch/riscv/mmio.h>
#include <keel/drivers/ns16550.h>

namespace keel {

// Register index (multiplied by the register spacing to get the byte offset).
enum class Ns16550::Reg : uint8_t {
    kRbrThr = 0,  // receive buffer (read) / transmit holding (write)
    kIer = 1,     // interrupt enable
    kFcr = 2,     // FIFO control (write)
    kLcr = 3,     // line control
    kMcr = 4,     // modem control
    kLsr = 5,     // line status
};

namespace {
constexpr uint8_t kLcrEightNoneOne = 0x03;    // LCR[1:0] = 8 data bits, LCR[2] = 1 stop, no parity
constexpr uint8_t kFcrEnableAndClear = 0x07;  // FCR[0] FIFO enable, [1] clear RX, [2] clear TX
constexpr uint8_t kMcrDtrRts = 0x03;          // MCR[0] DTR, MCR[1] RTS
constexpr uint8_t kMcrOut2 = 0x08;  // MCR[3] OUT2: gates the interrupt line on PC-style boards
constexpr uint8_t kIerReceivedData =
    0x01;  // IER[0] ERBFI: interrupt when received data is available
constexpr uint8_t kLsrDataReady = 1u << 0;  // LSR[0] DR: a received byte is waiting
constexpr uint8_t kLsrThrEmpty = 1u << 5;   // LSR[5] THRE: transmit holding register empty
}  // namespace

uint8_t Ns16550::read(Reg reg) const {
    const uintptr_t address = base_ + (static_cast<uintptr_t>(reg) << reg_shift_);
    return io_width_ == 4 ? static_cast<uint8_t>(mmio::read<uint32_t>(address))
                          : mmio::read<uint8_t>(address);
}

void Ns16550::write(Reg reg, uint8_t value) const {
    const uintptr_t address = base_ + (static_cast<uintptr_t>(reg) << reg_shift_);
    if (io_width_ == 4) {
        mmio::write<uint32_t>(address, value);
    } else {
        mmio::write<uint8_t>(address, value);
    }
}

void Ns16550::init() {
    write(Reg::kIer, 0);  // polled until an interrupt controller is set up
    // DesignWare 8250s ignore an LCR write while busy and flag it; skip it when already 8N1.
    if ((read(Reg::kLcr) & 0x3f) != kLcrEightNoneOne) write(Reg::kLcr, kLcrEightNoneOne);
    write(Reg::kFcr, kFcrEnableAndClear);
    write(Reg::kMcr, kMcrDtrRts);
}

void Ns16550::enable_receive_interrupt() {
    write(Reg::kMcr, kMcrDtrRts | kMcrOut2);
    write(Reg::kIer, kIerReceivedData);
}

bool Ns16550::try_send(char c) {
    if ((read(Reg::kLsr) & kLsrThrEmpty) == 0) return false;
    write(Reg::kRbrThr, static_cast<uint8_t>(c));
    return true;
}

int Ns16550::get() {
    if ((read(Reg::kLsr) & kLsrDataReady) == 0) return -1;
    return read(Reg::kRbrThr);
}

}  // namespace keel
