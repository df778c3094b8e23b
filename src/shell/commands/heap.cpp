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
    const LinearAllocator& a = heap::allocator();
    const size_t capacity = a.capacity();
    const size_t used = a.used();
    console::print("heap: arena {:#x}..{:#x}, capacity {} bytes\n", a.base(), a.base() + capacity,
                   capacity);
    console::print("  used {}, free {}, peak {}, allocations {}, failures {}\n", used,
                   capacity - used, a.peak(), heap::allocations(), a.failures());
    const size_t filled = capacity == 0 ? 0 : (used * kBarWidth + capacity - 1) / capacity;
    char bar[kBarWidth + 1];
    for (size_t i = 0; i < kBarWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kBarWidth] = '\0';
    console::print("  [{}] {}% used\n", bar, capacity == 0 ? 0 : used * 100 / capacity);
    return Status::kOk;
}

}  // namespace

extern const Command kHeapCommand{
    "heap", "the heap arena: capacity, used, peak, allocations, failures", "heap", heap_command};

}  // namespace keel::shell
