// SPDX-License-Identifier: MIT
// SiFive UART: keel keeps the divisor firmware programmed and only switches the FIFOs on.
#include <keel/arch/riscv/mmio.h>
#include <keel/drivers/sifive_uart.h>

namespace keel {
namespace {

// Register offsets (FU740-C000 manual, table "Register offsets within UART memory map").
enum : uintptr_t {
    kTxData = 0x00,  // [31] full, [7:0] data
    kRxData = 0x04,  // [31] empty, [7:0] data
    kTxCtrl = 0x08,  // [0] txen, [1] nstop, [18:16] txcnt watermark
    kRxCtrl = 0x0c,  // [0] rxen, [18:16] rxcnt watermark
    kIe = 0x10,      // [0] txwm, [1] rxwm interrupt enables
};

constexpr uint32_t kFifoFlag = 1u << 31;  // txdata: FIFO full; rxdata: FIFO empty
constexpr uint32_t kEnable = 1u << 0;     // txen / rxen
constexpr uint32_t kRxWatermarkInterrupt = 1u << 1;

}  // namespace

void SifiveUart::init() {
    mmio::write<uint32_t>(base_ + kTxCtrl, mmio::read<uint32_t>(base_ + kTxCtrl) | kEnable);
    mmio::write<uint32_t>(base_ + kRxCtrl, mmio::read<uint32_t>(base_ + kRxCtrl) | kEnable);
}

bool SifiveUart::try_send(char c) {
    if ((mmio::read<uint32_t>(base_ + kTxData) & kFifoFlag) != 0) return false;
    mmio::write<uint32_t>(base_ + kTxData, static_cast<uint8_t>(c));
    return true;
}

int SifiveUart::get() {
    // One read both tests and pops: the flag and the byte arrive together.
    const uint32_t value = mmio::read<uint32_t>(base_ + kRxData);
    return (value & kFifoFlag) != 0 ? -1 : static_cast<int>(value & 0xff);
}

void SifiveUart::enable_receive_interrupt() {
    // rxwm is pending while the RX FIFO holds more than rxcnt entries: rxcnt = 0 means "any".
    const uint32_t rxctrl = mmio::read<uint32_t>(base_ + kRxCtrl) & ~(7u << 16);
    mmio::write<uint32_t>(base_ + kRxCtrl, rxctrl | kEnable);
    mmio::write<uint32_t>(base_ + kIe, kRxWatermarkInterrupt);
}

}  // namespace keel
