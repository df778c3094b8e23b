// SPDX-License-Identifier: MIT
// bench [alloc|boot|ctxsw]: instructions per kernel operation, from instret (kernel/bench.h), exact
// only under QEMU's -icount (make bench boots so; otherwise it says the figures are host clock
// ticks, not counts); and where the boot's time went, from the time CSR (kernel/boot_stages.h).
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/kernel/bench.h>
#include <keel/kernel/boot_stages.h>
#include <keel/lib/string_view.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr size_t kMaxFigures = 8;

// Microseconds from time CSR ticks.
uint64_t micros(uint64_t ticks) {
    const uint64_t hz = timer::frequency();
    return hz == 0 ? 0 : ticks * 1'000'000 / hz;
}

// Where the boot's time went, stage by stage, from the time CSR (QEMU starts it at 0 at reset).
void print_boot_stages() {
    using boot_stages::Stage;
    console::print("boot stages (time CSR at {} Hz, from machine reset):\n", timer::frequency());
    if (bench::calibrate().exact) {
        console::print(
            "  (under QEMU -icount the time CSR follows instructions, 1 ns each, not the host "
            "clock: these are instruction counts, and first runs cost no more than later ones)\n");
    }
    console::print("  {:<48} {:>9} {:>9}\n", "stage", "took us", "ends us");
    uint64_t previous = 0;
    for (uint32_t i = 0; i < static_cast<uint32_t>(Stage::kCount); ++i) {
        const auto stage = static_cast<Stage>(i);
        const uint64_t end = micros(boot_stages::at(stage));
        console::print("  {:<48} {:>9} {:>9}\n", boot_stages::name(stage), end - previous, end);
        previous = end;
    }
}

// What the figures are, said once above them: instructions when instret counts them exactly
// (QEMU -icount shift=0); otherwise QEMU reads instret from the host's cycle counter, and they
// are host clock ticks: time on this machine, emulation included.
void print_heading(const bench::Calibration& calibration) {
    if (calibration.exact) {
        console::print("bench: instret is exact ({} instructions count as {})\n",
                       bench::kProbeLength, bench::kProbeLength);
    } else {
        console::print(
            "bench: instret is NOT exact here: QEMU reads it from the host's cycle counter unless\n"
            "  run with -icount shift=0 (make run ICOUNT=1), so the figures below are host clock\n"
            "  ticks (time on this machine, emulation included), not instructions\n");
    }
    console::print("{:<20} {:>12}  {}\n", "operation",
                   calibration.exact ? "instructions" : "host ticks", "what was counted");
}

void print_figures(const bench::Figure* figures, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        console::print("{:<20} {:>12}  {}\n", figures[i].operation, figures[i].instructions,
                       figures[i].how);
    }
}

void print_allocator(const bench::Calibration& calibration) {
    bench::Figure figures[kMaxFigures];
    print_figures(figures, bench::measure_allocator(calibration, figures, kMaxFigures));
}

// The context switch's figures, and whether both sides' values came through intact.
bool print_context_switch(const bench::Calibration& calibration) {
    bench::Figure figures[kMaxFigures];
    size_t count = 0;
    bool checked = false;
    if (!bench::measure_context_switch(calibration, figures, kMaxFigures, count, checked)) {
        console::print("bench: ctxsw: no pages for the second context's stack\n");
        return false;
    }
    print_figures(figures, count);
    console::print("ctxsw: {} round trips; both sides' values across every switch {}\n",
                   bench::kSwitchRounds, checked ? "intact" : "CORRUPTED");
    return checked;
}

Status bench_command(const shell::Context&, const Args& args) {
    if (args.count() > 2) return Status::kBadUsage;
    const bool all = args.count() == 1;
    if (!all && !equals(args.word(1), "alloc") && !equals(args.word(1), "boot") &&
        !equals(args.word(1), "ctxsw")) {
        console::print("bench: no benchmark {}; there are: alloc, ctxsw, boot\n", args.word(1));
        return Status::kFailed;
    }
    const bool alloc = all || equals(args.word(1), "alloc");
    const bool ctxsw = all || equals(args.word(1), "ctxsw");
    if (alloc || ctxsw) {
        const bench::Calibration calibration = bench::calibrate();
        print_heading(calibration);
        if (alloc) print_allocator(calibration);
        if (ctxsw && !print_context_switch(calibration)) return Status::kFailed;
    }
    if (all || equals(args.word(1), "boot")) print_boot_stages();
    return Status::kOk;
}

}  // namespace

extern const Command kBenchCommand{"bench", "instructions per kernel operation; boot stage times",
                                   "bench [alloc|ctxsw|boot]", bench_command};

}  // namespace keel::shell
