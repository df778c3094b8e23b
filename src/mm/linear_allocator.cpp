// SPDX-License-Identifier: MIT
// LinearAllocator: see include/keel/mm/linear_allocator.h for what it guarantees and why.
// Portable: compiled into the kernel and, unchanged, into the host unit tests.
#include <keel/lib/bits.h>
#include <keel/mm/linear_allocator.h>

namespace keel {

void LinearAllocator::init(void* arena, size_t capacity) {
    arena_ = static_cast<unsigned char*>(arena);
    capacity_ = arena == nullptr ? 0 : capacity;
    head_.store(0, MemoryOrder::kRelaxed);
    peak_.store(0, MemoryOrder::kRelaxed);
    allocations_.store(0, MemoryOrder::kRelaxed);
    failures_.store(0, MemoryOrder::kRelaxed);
}

void* LinearAllocator::refuse() {
    failures_.fetch_add(1, MemoryOrder::kRelaxed);
    return nullptr;
}

void* LinearAllocator::allocate(size_t size, size_t alignment) {
    if (!is_power_of_two(alignment) || alignment > kMaxAlignment) return refuse();
    if (size == 0) size = 1;  // unique, non-null pointers for zero-size requests

    const uintptr_t base = reinterpret_cast<uintptr_t>(arena_);
    size_t head = head_.load(MemoryOrder::kRelaxed);
    size_t start;
    size_t end;
    do {
        // Every quantity below stays <= capacity_, so nothing can overflow.
        const size_t room = capacity_ - head;
        const size_t padding = padding_for(base + head, alignment);
        if (padding > room || size > room - padding) return refuse();
        start = head + padding;
        end = start + size;
        // On failure `head` is reloaded and the block is recomputed from the new value.
    } while (!head_.compare_exchange_weak(head, end, MemoryOrder::kAcquire, MemoryOrder::kRelaxed));

    peak_.fetch_max(end);
    allocations_.fetch_add(1, MemoryOrder::kRelaxed);
    return arena_ + start;
}

bool LinearAllocator::deallocate(void* block, size_t size) {
    if (block == nullptr || !owns(block)) return false;
    if (size == 0) size = 1;  // as allocate() served it
    const size_t start = static_cast<size_t>(static_cast<unsigned char*>(block) - arena_);
    if (size > capacity_ - start) return false;  // cannot be a block of ours
    size_t expected_head = start + size;
    // Succeeds only if nobody allocated after this block: the head still ends exactly at it.
    return head_.compare_exchange_strong(expected_head, start, MemoryOrder::kRelease,
                                         MemoryOrder::kRelaxed);
}

bool LinearAllocator::release(Mark mark) {
    size_t head = head_.load(MemoryOrder::kRelaxed);
    do {
        if (head < mark.head) return false;
    } while (!head_.compare_exchange_weak(head, mark.head, MemoryOrder::kRelease,
                                          MemoryOrder::kRelaxed));
    return true;
}

bool LinearAllocator::owns(const void* pointer) const {
    const uintptr_t p = reinterpret_cast<uintptr_t>(pointer);
    return arena_ != nullptr && p >= base() && p - base() < capacity_;
}

LinearAllocator::Stats LinearAllocator::stats() const {
    return Stats{base(), capacity(), used(), peak(), allocations(), failures()};
}

}  // namespace keel
