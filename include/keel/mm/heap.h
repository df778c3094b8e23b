// SPDX-License-Identifier: MIT
// The kernel heap: the static 128 KiB .bss arena behind one LinearAllocator. It backs every global
// operator new/delete (src/mm/heap.cpp).
#pragma once
#include <keel/lib/format.h>
#include <keel/mm/linear_allocator.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::heap {

// Smallest block and alignment operator new hands out. Sizes are rounded up to it so that
// default-aligned blocks sit back to back and LIFO deletes reclaim them one after another.
inline constexpr size_t kGranule = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

// Binds the arena. The boot hart calls it once, before anything uses new.
void init();
LinearAllocator& allocator();

// A block from the arena (nullptr when it cannot be had), counted in the calling hart's
// allocations. Sizes are rounded up to kGranule. Everything that allocates goes through here.
void* allocate(size_t size, size_t alignment);

// Counts one block in the calling hart's allocations (allocate() does; code that takes blocks from
// allocator() directly, inside an ArenaScope, calls it itself).
void count_allocation();
// Blocks hart `slot` was given.
uint64_t allocations(unsigned slot);

// Writes "131072 bytes at 0x..., used N, peak N, allocations N, failures N".
void describe(FormatSink& out);
// Prints "heap: " and describe() on a line.
void print_summary();

// A stretch during which the heap belongs to one piece of code that hands back everything it
// took when the scope ends (LinearAllocator::mark/release). The rule release() needs, "nothing
// allocated since the mark is used afterwards", is enforced: while a scope is open, allocate()
// (and so every operator new) panics, since such a block would be freed under its owner. Inside,
// allocate from allocator() directly. One scope at a time.
class ArenaScope {
public:
    ArenaScope();
    ~ArenaScope();
    ArenaScope(const ArenaScope&) = delete;
    ArenaScope& operator=(const ArenaScope&) = delete;

private:
    LinearAllocator::Mark mark_;
};

}  // namespace keel::heap
