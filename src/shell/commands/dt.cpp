// SPDX-License-Identifier: MIT
// dt: what keel read from the device tree at boot (BootInfo).
#include <keel/core/console.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status dt_command(const Context& context, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    const BootInfo& boot = context.boot;
    if (!boot.tree_ok) {
        console::print("device tree at {:#x} is unusable: {}\n", boot.tree_address,
                       fdt::error_name(boot.tree_error));
        return Status::kFailed;
    }
    console::print("device tree at {:#x}, {} bytes\n", boot.tree_address, boot.tree_size);
    console::print("  model     {:e}\n", boot.model);
    console::print("  memory    {:#x}..{:#x} ({} MiB)\n", boot.memory.address,
                   boot.memory.address + boot.memory.size, boot.memory.size >> 20);
    if (boot.console.driver != UartDriver::kSbi) {
        console::print("  console   {} at {:#x}, irq {}\n", boot.console.compatible,
                       boot.console.base, boot.console.irq);
    } else {
        console::print("  console   SBI firmware console (no UART keel drives)\n");
    }
    console::print("  timebase  {} Hz{}\n", boot.timebase_hz,
                   boot.timebase_assumed ? " (assumed: the tree gives none usable)" : "");
    console::print("  harts    ");
    for (unsigned i = 0; i < boot.hart_count; ++i) {
        console::print(" {}{}", boot.harts[i].id, boot.harts[i].usable ? "" : " (no S-mode)");
    }
    if (boot.skipped_count != 0) console::print(" (and {} past keel's limit)", boot.skipped_count);
    console::print("\n  bootargs  \"{:e}\"\n", boot.bootargs);
    return Status::kOk;
}

}  // namespace

extern const Command kDtCommand{
    "dt", "device-tree summary: model, memory, console, timebase, harts", "dt", dt_command};

}  // namespace keel::shell
