// SPDX-License-Identifier: MIT
// The goldfish RTC's time registers (include/keel/drivers/goldfish_rtc.h). Its alarm and
// interrupt registers are not used.
#include <keel/arch/riscv/mmio.h>
#include <keel/drivers/goldfish_rtc.h>

namespace keel {
namespace {

// Register offsets (GOLDFISH-VIRTUAL-HARDWARE.TXT, "Goldfish timer"; QEMU hw/rtc/goldfish_rtc.c).
enum : uintptr_t {
    kTimeLow = 0x00,   // read: the low 32 bits, and TIME_HIGH latched; write: the low 32 bits
    kTimeHigh = 0x04,  // read: the high 32 bits latched by the last TIME_LOW read; write: them
};

}  // namespace

uint64_t GoldfishRtc::read_ns() const {
    // TIME_LOW first: reading it latches the matching high half, so no carry falls in between.
    const uint32_t low = mmio::read<uint32_t>(base_ + kTimeLow);
    const uint32_t high = mmio::read<uint32_t>(base_ + kTimeHigh);
    return uint64_t{high} << 32 | low;
}

void GoldfishRtc::write_ns(uint64_t ns) const {
    // Each write moves its half of the count at once (QEMU keeps an offset to the host's clock).
    // The high half first, as Linux's rtc-goldfish does: the low half, written last, starts the
    // count from `ns` exactly.
    mmio::write<uint32_t>(base_ + kTimeHigh, static_cast<uint32_t>(ns >> 32));
    mmio::write<uint32_t>(base_ + kTimeLow, static_cast<uint32_t>(ns));
}

}  // namespace keel
