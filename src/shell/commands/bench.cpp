// SPDX-License-Identifier: MIT
// bench [alloc]: instructions per kernel operation, from instret (kernel/bench.h). Exact only
// under QEMU's -icount (make bench boots so); otherwise it says the figures are not counts.
#include <keel/core/console.h>
#include <keel/kernel/bench.h>
#include <keel/lib/string_view.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr size_t kMaxFigures = 8;

Status bench_command(const Context&, const Args& args) {
    if (args.count() > 2) return Status::kBadUsage;
    if (args.count() == 2 && !equals(args.word(1), "alloc")) {
        console::print("bench: no benchmark {}; there is: alloc\n", args.word(1));
        return Status::kFailed;
    }
    const bench::Calibration calibration = bench::calibrate();
    if (calibration.exact) {
        console::print("bench: instret is exact ({} instructions count as {})\n",
                       bench::kProbeLength, bench::kProbeLength);
    } else {
        console::print(
            "bench: instret is NOT exact here (QEMU derives it from the host clock unless run with "
            "-icount shift=0): the figures below are not instruction counts\n");
    }
    bench::Figure figures[kMaxFigures];
    const size_t count = bench::measure_allocator(calibration, figures, kMaxFigures);
    console::print("{:<20} {:>12}  {}\n", "operation", "instructions", "what was counted");
    for (size_t i = 0; i < count; ++i) {
        console::print("{:<20} {:>12}  {}\n", figures[i].operation, figures[i].instructions,
                       figures[i].how);
    }
    return Status::kOk;
}

}  // namespace

extern const Command kBenchCommand{"bench",
                                   "instructions per kernel operation (exact under -icount)",
                                   "bench [alloc]", bench_command};

}  // namespace keel::shell
