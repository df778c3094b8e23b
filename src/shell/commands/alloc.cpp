// SPDX-License-Identifier: MIT
// alloc SIZE [ALIGN]: takes a block from the kernel heap (it stays allocated: the heap is a bump
// allocator) and shows the heap afterwards. A request that cannot be met changes nothing.
#include <keel/core/console.h>
#include <keel/lib/bits.h>
#include <keel/mm/heap.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status alloc_command(const Context&, const Args& args) {
    if (args.count() < 2 || args.count() > 3) return Status::kBadUsage;
    uint64_t size = 0;
    uint64_t alignment = 16;
    if (!parse_argument(args, 1, "SIZE", size)) return Status::kFailed;
    if (args.count() == 3 && !parse_argument(args, 2, "ALIGN", alignment)) return Status::kFailed;

    if (!is_power_of_two(alignment) || alignment > LinearAllocator::kMaxAlignment) {
        console::print("alloc: ALIGN {} is not a power of two up to {}\n", alignment,
                       LinearAllocator::kMaxAlignment);
        return Status::kFailed;
    }
    LinearAllocator& heap = heap::allocator();
    const size_t free_before = heap.capacity() - heap.used();
    void* block = heap::allocate(size, alignment);
    if (block == nullptr) {
        console::print(
            "alloc: cannot allocate {} byte{} aligned to {}: {} of {} bytes free; "
            "the heap is unchanged\n",
            size, plural(size), alignment, free_before, heap.capacity());
        heap::print_summary();
        return Status::kFailed;
    }
    console::print("alloc: {} byte{} at {:#x} (aligned to {})\n", size, plural(size),
                   reinterpret_cast<uintptr_t>(block), alignment);
    heap::print_summary();
    return Status::kOk;
}

}  // namespace

extern const Command kAllocCommand{"alloc",
                                   "allocate SIZE bytes from the heap (kept; K/M suffixes)",
                                   "alloc SIZE [ALIGN]", alloc_command};

}  // namespace keel::shell
