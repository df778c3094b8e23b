// SPDX-License-Identifier: MIT
// pages N: takes N single pages from the page allocator, shows the counters, gives them all back,
// and shows the counters back where they were. Each page must come zeroed; the command writes a
// pattern into each, so a page handed out twice would show as a mismatch.
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/mm/pages.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxPages = 4096;                  // 16 MiB; their addresses are kept in g_taken
constexpr uint64_t kPattern = 0x6b65656c70616765ull;  // "keelpage"

uint64_t g_taken[kMaxPages];

void print_counters(const char* when) {
    const mm::PageAllocator::Counters c = pages::counters();
    console::print("{:<7} total {}, reserved {}, free {}, in use {}, peak {}\n", when, c.total,
                   c.reserved, c.free, c.in_use, c.peak);
}

Status pages_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t count = 0;
    if (!parse_argument(args, 1, "N", count, 1, kMaxPages)) return Status::kFailed;
    if (!pages::ready()) {
        console::print("pages: there is no page allocator (see the boot's memory line)\n");
        return Status::kFailed;
    }
    print_counters("before:");
    uint64_t taken = 0;
    uint64_t dirty = 0;
    mm::PageError why = mm::PageError::kNone;
    for (; taken < count; ++taken) {
        const auto page = pages::allocate(0);
        if (!page.ok()) {
            why = page.error();
            break;
        }
        auto* words = memlayout::to_pointer<uint64_t>(page.value());
        for (uint64_t i = 0; i < mm::kPageSize / 8; ++i) dirty += words[i] != 0;
        for (uint64_t i = 0; i < mm::kPageSize / 8; ++i) words[i] = kPattern ^ page.value() ^ i;
        g_taken[taken] = page.value();
    }
    print_counters("taken:");
    uint64_t mismatched = 0;
    for (uint64_t n = 0; n < taken; ++n) {
        const auto* words = memlayout::to_pointer<const uint64_t>(g_taken[n]);
        for (uint64_t i = 0; i < mm::kPageSize / 8; ++i)
            mismatched += words[i] != (kPattern ^ g_taken[n] ^ i);
        pages::free(g_taken[n], 0);
    }
    print_counters("freed:");
    if (taken < count) {
        console::print("pages: got {} of {}: {}\n", taken, count, mm::page_error_name(why));
    }
    console::print(
        "pages: {} page{}, first {:#x}, last {:#x}; not zeroed: {} word{}, overwritten: {}\n",
        taken, plural(taken), taken > 0 ? g_taken[0] : 0, taken > 0 ? g_taken[taken - 1] : 0, dirty,
        plural(dirty), mismatched);
    return dirty == 0 && mismatched == 0 && taken == count ? Status::kOk : Status::kFailed;
}

}  // namespace

extern const Command kPagesCommand{"pages", "take N pages, check them, give them back", "pages N",
                                   pages_command};

}  // namespace keel::shell
