// SPDX-License-Identifier: MIT
// harts: every hart in the device tree: keel's state for it, what the firmware says (SBI HSM
// hart_get_status), timer interrupts taken, heap allocations and the last exception it took.
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap_cause.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/traps.h>
#include <keel/kernel/vm.h>
#include <keel/mm/heap.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

const char* hsm_state(uint64_t id) {
    const sbi::Result status = sbi::hsm::hart_get_status(id);
    return status.ok() ? sbi::hsm::hart_state_name(static_cast<sbi::hsm::HartState>(status.value()))
                       : sbi::error_name(status.error());
}

Status harts_command(const Context& context, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    // Each header word sits over the end of a right-aligned column and the start of a left one.
    console::print(
        "hart  slot  keel       firmware (HSM)    timer irqs  allocations  paging  last trap\n");
    const BootInfo& boot = context.boot;
    for (unsigned i = 0; i < boot.hart_count; ++i) {
        const HartInfo& info = boot.harts[i];
        console::print("{:>4}  ", info.id);
        const Hart* hart = find_hart(info.id);
        if (hart == nullptr) {
            console::print("   -  {:<9}  {:<16} {:>11}  {:>11}  -       -\n",
                           info.usable ? "absent" : "no S-mode", hsm_state(info.id), 0, 0);
            continue;
        }
        const traps::Stats traps = traps::stats(hart->slot);
        console::print("{:>4}  {:<9}  {:<16} {:>11}  {:>11}  {:<6}  {}{}\n", hart->slot,
                       hart_stage_name(hart->stage.load(MemoryOrder::kAcquire)), hsm_state(info.id),
                       timer::interrupts(hart->slot), heap::allocations(hart->slot),
                       vm::enabled_on(hart->slot) ? "Sv39" : "off",
                       traps.exceptions != 0 ? TrapCause{traps.last}.name() : "-",
                       hart->is_boot_hart ? "  (boot hart)" : "");
    }
    if (boot.skipped_count != 0) {
        console::print("{} more hart{} past keel's limit of {} (not started)\n", boot.skipped_count,
                       plural(boot.skipped_count), memlayout::kMaxHarts);
    }
    return Status::kOk;
}

}  // namespace

extern const Command kHartsCommand{
    "harts", "the harts: keel and firmware state, timer interrupts, allocations, paging", "harts",
    harts_command};

}  // namespace keel::shell
