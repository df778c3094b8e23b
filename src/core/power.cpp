// SPDX-License-Identifier: MIT
// Power control through the devices BootInfo found, each with its protocol:
//  - SiFive test finisher (QEMU hw/misc/sifive_test.c): one 32-bit write, 0x5555 = pass (exit 0),
//    0x3333 | code << 16 = fail (exit `code`), 0x7777 = reset.
//  - HTIF (spike's host interface; its reg is `fromhost`, and `tohost` follows it, as QEMU and
//    OpenSBI place them): a 64-bit command in `tohost`, device 0 command 0 with payload
//    (code << 1) | 1 = "exit with `code`". QEMU takes the low word first, then acts on the high
//    word.
//  - gpio-restart: driving the pin to its active level resets the machine.
#include <keel/arch/riscv/mmio.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/core/console.h>
#include <keel/core/panic.h>
#include <keel/core/power.h>

namespace keel::power {
namespace {

enum class Finisher : uint32_t { kPass = 0x5555, kFail = 0x3333, kReset = 0x7777 };

// sifive,gpio0 registers (SiFive FU540-C000 manual, GPIO chapter).
enum class GpioReg : uintptr_t { kOutputEnable = 0x08, kOutputValue = 0x0c };

constinit Devices g_devices;

void finish(Finisher how, uint16_t code = 0) {
    if (g_devices.test_finisher == 0) return;
    mmio::write<uint32_t>(g_devices.test_finisher,
                          static_cast<uint32_t>(how) | uint32_t{code} << 16);
}

constexpr uintptr_t kHtifToHost = 8;

void htif_exit(uint16_t code) {
    if (g_devices.htif == 0) return;
    const uint64_t command = uint64_t{code} << 1 | 1;  // device 0, command 0: exit
    const uintptr_t tohost = g_devices.htif + kHtifToHost;
    mmio::write<uint32_t>(tohost, static_cast<uint32_t>(command));
    mmio::write<uint32_t>(tohost + 4, static_cast<uint32_t>(command >> 32));
}

void gpio_reset() {
    const RestartGpio& line = g_devices.restart;
    if (line.controller == 0) return;
    const uint32_t bit = 1u << line.pin;
    const auto value = line.controller + static_cast<uintptr_t>(GpioReg::kOutputValue);
    const auto enable = line.controller + static_cast<uintptr_t>(GpioReg::kOutputEnable);
    // Inactive level first, then drive the pin, then the active level: one clean edge.
    const uint32_t level = mmio::read<uint32_t>(value);
    mmio::write<uint32_t>(value, line.active_low ? level | bit : level & ~bit);
    mmio::write<uint32_t>(enable, mmio::read<uint32_t>(enable) | bit);
    mmio::write<uint32_t>(value, line.active_low ? level & ~bit : level | bit);
}

[[noreturn]] void give_up(const char* what) {
    console::print("{}: this machine offers no way to do it; every hart halts\n", what);
    console::flush();
    halt();
}

}  // namespace

void init(const Devices& devices) {
    g_devices = devices;
}

void shutdown() {
    // OpenSBI 1.1's own HTIF reset never reaches QEMU's HTIF (seen on QEMU spike: SRST hangs in
    // the firmware), so where there is an HTIF keel uses it itself, first.
    htif_exit(0);
    const sbi::Result result = sbi::reset::system_reset(sbi::reset::ResetType::kShutdown,
                                                        sbi::reset::ResetReason::kNoReason);
    console::print("shutdown: SBI SRST failed ({})\n", sbi::error_name(result.error()));
    console::flush();
    finish(Finisher::kPass);
    gpio_reset();  // sifive_u: only a reset; QEMU ends when run with -no-reboot
    // OpenSBI's legacy call hangs inside the firmware when it has no reset device; only try it
    // last.
    sbi::legacy::shutdown();
    give_up("shutdown");
}

void reboot() {
    // HTIF has no reset, and OpenSBI's SRST hangs on it (shutdown above): say so instead.
    if (g_devices.htif != 0) give_up("reboot (HTIF has no reset)");
    const sbi::Result result = sbi::reset::system_reset(sbi::reset::ResetType::kColdReboot,
                                                        sbi::reset::ResetReason::kNoReason);
    console::print("reboot: SBI SRST failed ({})\n", sbi::error_name(result.error()));
    console::flush();
    finish(Finisher::kReset);
    gpio_reset();
    give_up("reboot");
}

void fail(ExitStatus status) {
    const auto code = static_cast<uint16_t>(status);
    finish(Finisher::kFail, code);
    htif_exit(code);
    gpio_reset();
    give_up("exit with a failure status");
}

}  // namespace keel::power
