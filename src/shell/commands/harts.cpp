// harts: every hart keel runs on, with its state, ticks and heap allocations.
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status harts_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    console::print("hart  state     ticks       allocations\n");
    for (const Hart& hart : g_harts) {
        const HartState state = hart.state.load(MemoryOrder::kAcquire);
        if (state == HartState::kAbsent) continue;
        console::print("{:>4}  {:<9} {:>10}  {:>11}{}\n", hart.id, hart_state_name(state),
                       hart.ticks.load(MemoryOrder::kRelaxed),
                       hart.allocations.load(MemoryOrder::kRelaxed),
                       hart.is_boot_hart ? "  (boot)" : "");
    }
    return Status::kOk;
}

}  // namespace

extern const Command kHartsCommand{"harts", "the harts: state, ticks, allocations", "harts",
                                   harts_command};

}  // namespace keel::shell
