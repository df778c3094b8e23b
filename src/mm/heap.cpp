// SPDX-License-Identifier: MIT
// The kernel heap and every replaceable global operator new/delete (C++20 [new.delete]).
// Throwing forms panic when the arena cannot serve them; nothrow forms return nullptr.
// Deletes hand the block back to LinearAllocator, which reclaims it only if it is the newest.
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/lib/bits.h>
#include <keel/lib/new.h>
#include <keel/mm/heap.h>

namespace keel::heap {
namespace {

// linker.ld places .bss.keel_heap between __heap_arena_start and __heap_arena_end.
alignas(LinearAllocator::kMaxAlignment)
    __attribute__((section(".bss.keel_heap"))) unsigned char g_arena[memlayout::kHeapSize];

constinit LinearAllocator g_allocator;
constinit Atomic<uint32_t> g_scope_open{0};
// Blocks each hart was given, by slot. Each hart writes only its own, so the count is exact.
constinit Atomic<uint64_t> g_allocations[memlayout::kMaxHarts];

// Sizes the allocator sees: the request rounded up to the granule (SIZE_MAX if that overflows,
// which the allocator then refuses).
size_t granular(size_t size) {
    size_t rounded;
    return round_up(size == 0 ? 1 : size, kGranule, rounded) ? rounded : static_cast<size_t>(-1);
}

size_t new_alignment(std::align_val_t alignment) {
    const auto a = static_cast<size_t>(alignment);
    return a < kGranule ? kGranule : a;
}

void* allocate_or_panic(size_t size, size_t alignment) {
    void* block = allocate(size, alignment);
    if (block == nullptr) {
        char heap[128];
        BufferSink sink(heap, sizeof heap);
        describe(sink);
        panic("out of memory: operator new({} bytes, align {}) failed; heap {}", size, alignment,
              heap);
    }
    return block;
}

void deallocate(void* block, size_t size) {
    g_allocator.deallocate(block, granular(size));
}

}  // namespace

void init() {
    g_allocator.init(g_arena, sizeof g_arena);
}

void* allocate(size_t size, size_t alignment) {
    if (g_scope_open.load(MemoryOrder::kAcquire) != 0) {
        panic("heap allocation of {} bytes while an arena scope is open: release would free it",
              size);
    }
    void* block = g_allocator.allocate(granular(size), alignment);
    if (block != nullptr) count_allocation();
    return block;
}

void count_allocation() {
    if (const Hart* hart = this_hart_or_null())
        g_allocations[hart->slot].fetch_add(1, MemoryOrder::kRelaxed);
}

uint64_t allocations(unsigned slot) {
    return g_allocations[slot].load(MemoryOrder::kRelaxed);
}

LinearAllocator& allocator() {
    return g_allocator;
}

ArenaScope::ArenaScope() : mark_(g_allocator.mark()) {
    if (g_scope_open.exchange(1, MemoryOrder::kAcqRel) != 0) panic("arena scopes do not nest");
}

ArenaScope::~ArenaScope() {
    if (!g_allocator.release(mark_)) panic("arena scope: the heap went below its mark");
    g_scope_open.store(0, MemoryOrder::kRelease);
}

void describe(FormatSink& out) {
    const LinearAllocator::Stats s = g_allocator.stats();
    format(out, "{} bytes at {:#x}, used {}, peak {}, allocations {}, failures {}", s.capacity,
           s.base, s.used, s.peak, s.allocations, s.failures);
}

void print_summary() {
    console::print("heap: ");
    describe(console::sink());
    console::print("\n");
}

}  // namespace keel::heap

namespace std {
const nothrow_t nothrow{};
}

using keel::heap::allocate;
using keel::heap::allocate_or_panic;
using keel::heap::deallocate;
using keel::heap::kGranule;
using keel::heap::new_alignment;

void* operator new(size_t size) {
    return allocate_or_panic(size, kGranule);
}
void* operator new[](size_t size) {
    return allocate_or_panic(size, kGranule);
}
void* operator new(size_t size, std::align_val_t a) {
    return allocate_or_panic(size, new_alignment(a));
}
void* operator new[](size_t size, std::align_val_t a) {
    return allocate_or_panic(size, new_alignment(a));
}

void* operator new(size_t size, const std::nothrow_t&) noexcept {
    return allocate(size, kGranule);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
    return allocate(size, kGranule);
}
void* operator new(size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate(size, new_alignment(a));
}
void* operator new[](size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
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
