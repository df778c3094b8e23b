// SPDX-License-Identifier: MIT
// LinearAllocator: a lock-free bump allocator over one fixed arena. It hands out blocks in address
// order by advancing a single head offset with compare-and-swap, so any number of harts (or host
// threads) may allocate at once without a lock and never receive overlapping blocks.
//
// Guarantees (each one is a host unit test):
//  - A returned block lies wholly inside the arena, is aligned as asked, and is disjoint from every
//    other block returned since the last release()/rollback that covered it.
//  - Alignment may be any power of two up to kMaxAlignment (4096); anything else is refused.
//  - A request that does not fit (including any size/padding that would overflow) returns nullptr,
//    counts one failure, and leaves the head untouched.
//  - Size 0 is served as 1 byte: every successful allocate() returns a unique, non-null pointer.
//  - deallocate() is a no-op, except for the newest block: if the head still ends exactly at
//    `block + size`, one CAS moves it back to `block` (stack-like use reclaims memory). Padding
//    that was inserted before an aligned block is not reclaimed.
//  - Counters may be read at any time; each is exact on its own, but several reads are not a
//    snapshot while other harts allocate.
//  - mark()/release(): release(mark) moves the head back to where mark() found it, giving back
//    everything allocated since at once. The rule: nothing allocated after the mark may be used
//    after the release, and nobody may allocate while release() runs. The allocator cannot see
//    liveness; it refuses only a release below which the head has already gone. The kernel's
//    heap::ArenaScope enforces the rule for the kernel heap.
//
// Memory order: a successful allocation CAS is acquire and a rollback CAS is release, so writes a
// hart made into a block before giving it back happen-before the next owner's writes to that
// memory.
#pragma once
#include <keel/lib/atomic.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

class LinearAllocator {
public:
    static constexpr size_t kMaxAlignment = 4096;

    struct Mark {
        size_t head;
    };

    struct Stats {
        uintptr_t base;
        size_t capacity;
        size_t used;
        size_t peak;
        size_t allocations;
        size_t failures;
    };

    // An allocator with no arena refuses every request until init().
    constexpr LinearAllocator() = default;
    LinearAllocator(void* arena, size_t capacity) { init(arena, capacity); }
    LinearAllocator(const LinearAllocator&) = delete;
    LinearAllocator& operator=(const LinearAllocator&) = delete;

    // Binds the arena and zeroes every counter. Call before any other hart can allocate.
    void init(void* arena, size_t capacity);

    [[nodiscard]] void* allocate(size_t size, size_t alignment);
    // Returns true when the block was the newest one and the head moved back over it.
    bool deallocate(void* block, size_t size);

    Mark mark() const { return Mark{used()}; }
    // False (and nothing changes) if the head is already below the mark.
    bool release(Mark mark);

    bool owns(const void* pointer) const;
    uintptr_t base() const { return reinterpret_cast<uintptr_t>(arena_); }
    size_t capacity() const { return capacity_; }
    size_t used() const { return head_.load(MemoryOrder::kRelaxed); }
    size_t peak() const { return peak_.load(MemoryOrder::kRelaxed); }
    size_t allocations() const { return allocations_.load(MemoryOrder::kRelaxed); }
    size_t failures() const { return failures_.load(MemoryOrder::kRelaxed); }
    Stats stats() const;

private:
    void* refuse();

    unsigned char* arena_ = nullptr;
    size_t capacity_ = 0;
    Atomic<size_t> head_;  // offset of the first free byte; the only word allocation contends on
    Atomic<size_t> peak_;
    Atomic<size_t> allocations_;
    Atomic<size_t> failures_;
};

}  // namespace keel
