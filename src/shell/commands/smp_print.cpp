// SPDX-License-Identifier: MIT
// smp-print N: every online hart prints N lines at once, each built from several print calls.
// Lines from different harts must come out whole, never mixed mid-line (console.cpp).
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/smp.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxLines = 1000;

void print_lines(void* argument) {
    const uint64_t lines = *static_cast<const uint64_t*>(argument);
    const uint64_t id = this_hart().id;
    for (uint64_t i = 0; i < lines && !console::cancel_requested(); ++i) {
        // Three calls per line: without line buffering, other harts' text would land in between.
        console::print("hart {} line {}: ", id, i);
        console::print("the quick brown fox jumps over the lazy dog ");
        console::print("({})\n", id);
    }
}

// Some online harts never printed: no task could be started on them (no free page, say).
void report_missed(const smp::Coverage& coverage, uint64_t lines) {
    console::print(
        "smp-print: {} of {} harts printed {} line{} each; no task could be started on hart{}",
        coverage.ran, coverage.ran + coverage.missed, lines, plural(lines),
        plural(coverage.missed));
    for (const Hart& hart : g_harts) {
        if (hart.stage.load(MemoryOrder::kAcquire) == HartStage::kOnline &&
            !coverage.ran_on[hart.slot])
            console::print(" {}", hart.id);
    }
    console::print(" (out of pages, or too many tasks)\n");
}

Status smp_print_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t lines = 0;
    if (!parse_argument(args, 1, "N", lines, 1, kMaxLines)) return Status::kFailed;
    const smp::Coverage coverage = smp::run_on_all(print_lines, &lines);
    if (console::cancel_requested()) {
        console::print("smp-print: interrupted\n");
        return Status::kFailed;
    }
    if (coverage.missed != 0) {
        report_missed(coverage, lines);
        return Status::kFailed;
    }
    console::print("smp-print: {} hart{} printed {} line{} each\n", coverage.ran,
                   plural(coverage.ran), lines, plural(lines));
    return Status::kOk;
}

}  // namespace

extern const Command kSmpPrintCommand{"smp-print",
                                      "every hart prints N lines at once (whole lines only)",
                                      "smp-print N", smp_print_command};

}  // namespace keel::shell
