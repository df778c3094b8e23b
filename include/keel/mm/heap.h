// The kernel heap: the static 128 KiB .bss arena behind one LinearAllocator. It backs every global
// operator new/delete (src/mm/heap.cpp).
#pragma once
#include <stddef.h>

#include <keel/mm/linear_allocator.h>

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

// Prints "heap: 131072 bytes at 0x..., used N, peak N, allocations N, failures N".
void print_summary();

}  // namespace keel::heap
