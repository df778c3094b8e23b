// SPDX-License-Identifier: MIT
// LinearAllocator: see include/keel/mm/linear_allocator.h for what it guarantees and why.
// Portable: compiled into the kernel and, unchanged, into the host unit tests.
#include <keel/lib/bits.h>
#include <keel/mm/linear_allocator.h>

namespace keel {

void LinearAllocator::init(void* arena, size_t capacity) {
    arena_ = static_cast<unsigned char*>(arena);
    const uintptr_t base = reinterpret_cast<uintptr_t>(arena);
    end_ = arena == nullptr ? 0 : base + capacity;
    head_.store(base, MemoryOrder::kRelaxed);
    peak_.store(0, MemoryOrder::kRelaxed);
    allocations_.store(0, MemoryOrder::kRelaxed);
    failures_.store(0, MemoryOrder::kRelaxed);
    retries_.store(0, MemoryOrder::kRelaxed);
}

void* LinearAllocator::refuse() {
    failures_.fetch_add(1, MemoryOrder::kRelaxed);
    return nullptr;
}

void* LinearAllocator::allocate(size_t size, size_t alignment) {
    if (!is_power_of_two(alignment) || alignment > kMaxAlignment) return refuse();
    if (size == 0) size = 1;  // unique, non-null pointers for zero-size requests

    uintptr_t head = head_.load(MemoryOrder::kRelaxed);
    uintptr_t start;
    for (;;) {
        // Every quantity below stays <= end_ - head, so nothing can overflow.
        const size_t room = end_ - head;
        const size_t padding = padding_for(head, alignment);
        if (padding > room || size > room - padding) return refuse();
        start = head + padding;
        if (head_.compare_exchange_weak(head, start + size, MemoryOrder::kAcquire,
                                        MemoryOrder::kRelaxed))
            break;
        // Lost to another hart (or a spurious LR/SC failure): `head` now holds the new value.
        retries_.fetch_add(1, MemoryOrder::kRelaxed);
    }
    allocations_.fetch_add(1, MemoryOrder::kRelaxed);
    return reinterpret_cast<void*>(start);
}

void LinearAllocator::record_peak(uintptr_t head) {
    peak_.fetch_max(head - base());
}

bool LinearAllocator::deallocate(void* block, size_t size) {
    if (block == nullptr || !owns(block)) return false;
    if (size == 0) size = 1;  // as allocate() served it
    const uintptr_t start = reinterpret_cast<uintptr_t>(block);
    if (size > end_ - start) return false;  // cannot be a block of ours
    uintptr_t expected_head = start + size;
    // Succeeds only if nobody allocated after this block: the head still ends exactly at it.
    if (head_.load(MemoryOrder::kRelaxed) != expected_head) return false;
    record_peak(expected_head);  // a value the head really held, so peak() never overstates
    return head_.compare_exchange_strong(expected_head, start, MemoryOrder::kRelease,
                                         MemoryOrder::kRelaxed);
}

bool LinearAllocator::release(Mark mark) {
    const uintptr_t target = base() + mark.head;
    uintptr_t head = head_.load(MemoryOrder::kRelaxed);
    do {
        if (head < target) return false;
        record_peak(head);
    } while (
        !head_.compare_exchange_weak(head, target, MemoryOrder::kRelease, MemoryOrder::kRelaxed));
    return true;
}

size_t LinearAllocator::peak() const {
    // The head first, with acquire: a rollback records the peak before its release CAS lowers the
    // head, so whoever sees the lowered head sees the record too. (Peak first could miss both.)
    const size_t now = head_.load(MemoryOrder::kAcquire) - base();
    const size_t recorded = peak_.load(MemoryOrder::kRelaxed);
    return recorded > now ? recorded : now;
}

bool LinearAllocator::owns(const void* pointer) const {
    const uintptr_t p = reinterpret_cast<uintptr_t>(pointer);
    return arena_ != nullptr && p >= base() && p < end_;
}

LinearAllocator::Stats LinearAllocator::stats() const {
    return Stats{base(), capacity(), used(), peak(), allocations(), failures()};
}

}  // namespace keel
