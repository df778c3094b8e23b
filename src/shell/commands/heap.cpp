// SPDX-License-Identifier: MIT
// heap: the kernel heap's arena, counters, and a bar of how full it is.
#include <keel/core/console.h>
#include <keel/mm/heap.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr size_t kBarWidth = 40;

Status heap_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    const LinearAllocator::Stats s = heap::stats();
    console::print("heap: arena {:#x}..{:#x}, capacity {} bytes\n", s.base, s.base + s.capacity,
                   s.capacity);
    console::print("  used {}, free {}, peak {}, allocations {}, failures {}\n", s.used,
                   s.capacity - s.used, s.peak, s.allocations, s.failures);
    const size_t filled = s.capacity == 0 ? 0 : (s.used * kBarWidth + s.capacity - 1) / s.capacity;
    char bar[kBarWidth + 1];
    for (size_t i = 0; i < kBarWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kBarWidth] = '\0';
    console::print("  [{}] {}% used\n", bar, s.capacity == 0 ? 0 : s.used * 100 / s.capacity);
    return Status::kOk;
}

}  // namespace

extern const Command kHeapCommand{
    "heap", "the heap arena: capacity, used, peak, allocations, failures", "heap", heap_command};

}  // namespace keel::shell
