// SPDX-License-Identifier: MIT
// The kernel heap: the static 128 KiB .bss arena behind one LinearAllocator. It backs every global
// operator new/delete (src/mm/new.cpp).
#pragma once
#include <keel/core/hart.h>
#include <keel/lib/format.h>
#include <keel/mm/linear_allocator.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::heap {

// Smallest block and alignment operator new hands out. Sizes are rounded up to it so that
// default-aligned blocks sit back to back and LIFO deletes reclaim them one after another.
inline constexpr size_t kGranule = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

// Binds the arena. The boot hart calls it once, online (tp set: the fast path counts through it),
// before anything uses new.
void init();
LinearAllocator& allocator();

// A block from the arena (nullptr when it cannot be had), counted in the calling hart's
// allocations. Sizes are rounded up to kGranule. Everything that allocates goes through here.
void* allocate(size_t size, size_t alignment);

// operator new's slow path: allocate(), or a panic naming the request and the heap's state.
[[gnu::cold]] void* allocate_or_panic(size_t size, size_t alignment);
// operator delete: gives `block` back if it is the newest (sizes rounded as allocate() did).
void deallocate(void* block, size_t size);

namespace detail {
// What the fast path bumps: the heap's allocator, or one with no arena (refusing everything, so
// every request goes the slow way) before init() and while an ArenaScope is open.
extern constinit Atomic<LinearAllocator*> g_fast;

// this_hart().heap_allocations += 1, addressed from tp itself (through this_hart() the compilers
// copy tp to another register first). An atomic add, not a load and a store: a task preempted
// between the two could resume on another hart, and the store would undo that hart's counts.
[[gnu::always_inline]] inline void count_on_this_hart() {
    uint64_t address;
    asm volatile(
        "addi %0, tp, %1\n\t"
        "amoadd.d zero, %2, (%0)"
        : "=&r"(address)
        : "i"(offsetof(Hart, heap_allocations)), "r"(uint64_t{1})
        : "memory");  // it writes the hart's block, which the compiler cannot see
}
}  // namespace detail

// operator new's fast path (src/mm/new.cpp): a default-aligned block bumped off the head and
// counted in the calling hart's block. The head stays a multiple of kGranule outside scopes
// (every block the heap gives is granular and the arena is page aligned), so no padding is
// needed. False sends the caller to the slow path: size 0 and sizes whose rounding overflows
// (both round to 0), no room, a scope open, or no heap yet. init() runs on an online hart, so tp
// is always set when the fast path can succeed.
[[gnu::always_inline]] inline bool allocate_fast(size_t size, void*& block) {
    const size_t rounded = (size + kGranule - 1) & ~(kGranule - 1);
    if (rounded == 0) return false;
    if (!detail::g_fast.load(MemoryOrder::kRelaxed)->bump(rounded, block)) return false;
    detail::count_on_this_hart();
    return true;
}

// Counts one block in the calling hart's allocations (allocate() does; code that takes blocks from
// allocator() directly, inside an ArenaScope, calls it itself).
void count_allocation();
// Blocks hart `slot` was given; all blocks the heap gave (every hart's, summed).
uint64_t allocations(unsigned slot);
uint64_t allocations();

// Writes "131072 bytes at 0x..., used N, peak N, allocations N, failures N".
void describe(FormatSink& out);
// Prints "heap: " and describe() on a line.
void print_summary();

// A stretch during which the heap belongs to one piece of code that hands back everything it
// took when the scope ends (LinearAllocator::mark/release). The rule release() needs, "nothing
// allocated since the mark is used afterwards", is enforced: while a scope is open, allocate()
// (and so every operator new) panics, since such a block would be freed under its owner. Inside,
// allocate from allocator() directly. One scope at a time. The guard sees requests that start
// after the scope opened: an operator new that another hart was already inside (it had read the
// fast path's allocator) can still complete, so open a scope only while the other harts do not
// allocate (smp-alloc opens it before it gives them work).
class ArenaScope {
public:
    ArenaScope();
    ~ArenaScope();
    ArenaScope(const ArenaScope&) = delete;
    ArenaScope& operator=(const ArenaScope&) = delete;

private:
    LinearAllocator::Mark mark_{};
};

}  // namespace keel::heap
