// SPDX-License-Identifier: MIT
// Power control. The SiFive test finisher (QEMU hw/misc/sifive_test.c) takes one 32-bit write:
// 0x5555 = pass (power off, exit 0), 0x3333 | code << 16 = fail (exit `code`), 0x7777 = reset.
#include <keel/arch/riscv/mmio.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/kernel/console.h>
#include <keel/kernel/panic.h>
#include <keel/kernel/power.h>

namespace keel::power {
namespace {

enum class Finisher : uint32_t { kPass = 0x5555, kFail = 0x3333, kReset = 0x7777 };

uintptr_t g_finisher = 0;

void finish(Finisher how, uint16_t code = 0) {
    if (g_finisher == 0) return;
    mmio::write<uint32_t>(g_finisher, static_cast<uint32_t>(how) | uint32_t{code} << 16);
}

}  // namespace

void init(uintptr_t test_finisher) { g_finisher = test_finisher; }

void shutdown() {
    const sbi::Result result = sbi::reset::system_reset(sbi::reset::ResetType::kShutdown,
                                                        sbi::reset::ResetReason::kNoReason);
    console::print("shutdown: SBI SRST failed ({}); trying the legacy call\n",
                   sbi::error_name(result.error));
    sbi::legacy::shutdown();
    finish(Finisher::kPass);
    halt();
}

void reboot() {
    const sbi::Result result = sbi::reset::system_reset(sbi::reset::ResetType::kColdReboot,
                                                        sbi::reset::ResetReason::kNoReason);
    console::print("reboot: SBI SRST failed ({})\n", sbi::error_name(result.error));
    finish(Finisher::kReset);
    halt();
}

void fail(uint16_t code) {
    finish(Finisher::kFail, code);
    // No test finisher (spike, sifive_u, real boards): end the machine if the firmware can, so
    // that an emulator does not sit there forever; the status is lost, the report is printed.
    sbi::reset::system_reset(sbi::reset::ResetType::kShutdown, sbi::reset::ResetReason::kSystemFailure);
    halt();
}

}  // namespace keel::power
