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
//  - bump(size, block) is the fast path for callers that keep the head aligned themselves (each
//    block they take is a multiple of the alignment they need, as the kernel heap's granule):
//    `size` bytes exactly at the head, one CAS, nothing counted; false (nothing changed) when they
//    do not fit. allocate() is the general path: padding, refusals and counts.
//  - Counters may be read at any time; each is exact on its own, but several reads are not a
//    snapshot while other harts allocate. allocations() counts the blocks allocate() gave (bump()'s
//    callers count their own); failures() the refusals; retries() the CAS attempts allocate() lost
//    to another hart (contention). peak() is the highest the head has been: the head only goes
//    down in deallocate() and release(), which record where it was first, so allocating never
//    writes a counter of peaks.
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

    // The fast path (see above): `size` bytes at the head, which the caller keeps aligned, into
    // `block`; false when they do not fit. (A bool, not a null pointer, so that inlined callers
    // branch once.)
    [[nodiscard, gnu::always_inline]] bool bump(size_t size, void*& block) {
        const uintptr_t end = end_;
#if defined(__riscv) && __riscv_xlen == 64
        // One LR/SC pair: load-reserve the head, check the room, store-conditional the new head,
        // retry if another hart got in between. A constrained loop (only base integer
        // instructions, no backward branch but the retry), so the ISA guarantees it progresses.
        // The compiler's CAS would re-load, re-compare and re-test the head it already has.
        uintptr_t head;
        uintptr_t scratch;
        asm goto(
            "1: lr.d.aq  %[head], (%[word])\n"
            "   sub      %[scratch], %[end], %[head]\n"
            "   bltu     %[scratch], %[size], %l[full]\n"
            "   add      %[scratch], %[head], %[size]\n"
            "   sc.d     %[scratch], %[scratch], (%[word])\n"
            "   bnez     %[scratch], 1b\n"
            : [head] "=&r"(head), [scratch] "=&r"(scratch)
            : [word] "r"(&head_), [end] "r"(end), [size] "r"(size)
            : "memory"
            : full);
        block = reinterpret_cast<void*>(head);
        return true;
    full:
        return false;
#else
        uintptr_t head = head_.load(MemoryOrder::kRelaxed);
        do {
            if (size > end - head) return false;  // head <= end always: no overflow
        } while (!head_.compare_exchange_weak(head, head + size, MemoryOrder::kAcquire,
                                              MemoryOrder::kRelaxed));
        block = reinterpret_cast<void*>(head);
        return true;
#endif
    }

    // Returns true when the block was the newest one and the head moved back over it.
    bool deallocate(void* block, size_t size);

    Mark mark() const {
        return Mark{used()};
    }
    // False (and nothing changes) if the head is already below the mark.
    bool release(Mark mark);

    bool owns(const void* pointer) const;
    uintptr_t base() const {
        return reinterpret_cast<uintptr_t>(arena_);
    }
    size_t capacity() const {
        return end_ - base();
    }
    size_t used() const {
        return head_.load(MemoryOrder::kRelaxed) - base();
    }
    size_t peak() const;
    size_t allocations() const {
        return allocations_.load(MemoryOrder::kRelaxed);
    }
    size_t failures() const {
        return failures_.load(MemoryOrder::kRelaxed);
    }
    size_t retries() const {
        return retries_.load(MemoryOrder::kRelaxed);
    }
    Stats stats() const;

private:
    [[gnu::cold]] void* refuse();
    // The head is about to go down from `head` (an address it held): remember how high it was.
    void record_peak(uintptr_t head);

    // The address of the first free byte: the only word allocation contends on. First, so that the
    // fast path's LR/SC needs no offset.
    Atomic<uintptr_t> head_;
    uintptr_t end_ = 0;  // the arena's end; head_ <= end_
    unsigned char* arena_ = nullptr;
    Atomic<size_t> peak_;  // highest used() before the head last went down
    Atomic<size_t> allocations_;
    Atomic<size_t> failures_;
    Atomic<size_t> retries_;
};

}  // namespace keel
