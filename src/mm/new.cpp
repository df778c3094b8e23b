// SPDX-License-Identifier: MIT
// Every replaceable global operator new/delete (C++20 [new.delete]). new with an alignment up to
// the granule takes the heap's fast path inline and falls back to the cold slow path
// (src/mm/heap.cpp); throwing forms panic when the arena cannot serve them, nothrow forms return
// nullptr. Sized deletes hand the block back to LinearAllocator, which reclaims it only if it is
// the newest.
//
// Built without a frame pointer (cmake/kernel.cmake): the fast path is a leaf and needs no frame,
// and the slow path is a tail call that keeps the caller's return address, so backtraces through
// an out-of-memory panic still name operator new's caller. (A fault inside the fast path itself
// would show operator new's caller only as ra in the trap frame, not as a backtrace line.)
#include <keel/lib/new.h>
#include <keel/mm/heap.h>

namespace std {
const nothrow_t nothrow{};
}

namespace {

using keel::heap::allocate;
using keel::heap::allocate_fast;
using keel::heap::allocate_or_panic;
using keel::heap::deallocate;
using keel::heap::kGranule;

bool fits_granule(std::align_val_t alignment) {
    return static_cast<size_t>(alignment) <= kGranule;
}

size_t new_alignment(std::align_val_t alignment) {
    const auto a = static_cast<size_t>(alignment);
    return a < kGranule ? kGranule : a;
}

}  // namespace

// Alignments up to the granule are what every block has anyway: those forms take the fast path.
void* operator new(size_t size) {
    if (void* block; allocate_fast(size, block)) return block;
    return allocate_or_panic(size, kGranule);
}
void* operator new[](size_t size) {
    if (void* block; allocate_fast(size, block)) return block;
    return allocate_or_panic(size, kGranule);
}
void* operator new(size_t size, std::align_val_t a) {
    if (void* block; fits_granule(a) && allocate_fast(size, block)) return block;
    return allocate_or_panic(size, new_alignment(a));
}
void* operator new[](size_t size, std::align_val_t a) {
    if (void* block; fits_granule(a) && allocate_fast(size, block)) return block;
    return allocate_or_panic(size, new_alignment(a));
}

void* operator new(size_t size, const std::nothrow_t&) noexcept {
    if (void* block; allocate_fast(size, block)) return block;
    return allocate(size, kGranule);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
    if (void* block; allocate_fast(size, block)) return block;
    return allocate(size, kGranule);
}
void* operator new(size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    if (void* block; fits_granule(a) && allocate_fast(size, block)) return block;
    return allocate(size, new_alignment(a));
}
void* operator new[](size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    if (void* block; fits_granule(a) && allocate_fast(size, block)) return block;
    return allocate(size, new_alignment(a));
}

// Sized forms can give the newest block back; unsized ones do not know its end, so they are no-ops.
void operator delete(void* block, size_t size) noexcept {
    deallocate(block, size);
}
void operator delete[](void* block, size_t size) noexcept {
    deallocate(block, size);
}
void operator delete(void* block, size_t size, std::align_val_t) noexcept {
    deallocate(block, size);
}
void operator delete[](void* block, size_t size, std::align_val_t) noexcept {
    deallocate(block, size);
}
void operator delete(void*) noexcept {}
void operator delete[](void*) noexcept {}
void operator delete(void*, std::align_val_t) noexcept {}
void operator delete[](void*, std::align_val_t) noexcept {}
void operator delete(void*, const std::nothrow_t&) noexcept {}
void operator delete[](void*, const std::nothrow_t&) noexcept {}
void operator delete(void*, std::align_val_t, const std::nothrow_t&) noexcept {}
void operator delete[](void*, std::align_val_t, const std::nothrow_t&) noexcept {}
