// SPDX-License-Identifier: MIT
// The kernel heap: the arena, its allocator, the counts, arena scopes, and the slow paths of
// operator new (src/mm/new.cpp holds the operators and their fast path).
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/lib/bits.h>
#include <keel/mm/heap.h>

namespace keel::heap {
namespace {

// linker.ld places .bss.keel_heap between __heap_arena_start and __heap_arena_end.
alignas(LinearAllocator::kMaxAlignment)
    __attribute__((section(".bss.keel_heap"))) unsigned char g_arena[memlayout::kHeapSize];

constinit LinearAllocator g_allocator;
// What operator new's fast path bumps: g_allocator, or g_closed (no arena: it refuses everything,
// so every request takes the slow path) before init() and while an ArenaScope is open. Swapping
// the allocator is what keeps the scope's guard off the fast path.
constinit LinearAllocator g_closed;

// Sizes the allocator sees: the request rounded up to the granule (SIZE_MAX if that overflows,
// which the allocator then refuses).
size_t granular(size_t size) {
    size_t rounded;
    return round_up(size == 0 ? 1 : size, kGranule, rounded) ? rounded : static_cast<size_t>(-1);
}

}  // namespace

namespace detail {
constinit Atomic<LinearAllocator*> g_fast{&g_closed};
}  // namespace detail

namespace {

// A scope is open when the fast path is closed although the heap has its arena.
bool scope_open() {
    return detail::g_fast.load(MemoryOrder::kAcquire) == &g_closed && g_allocator.capacity() != 0;
}

}  // namespace

void* allocate_or_panic(size_t size, size_t alignment) {
    void* block = allocate(size, alignment);
    if (block == nullptr) {
        char heap[128];
        BufferSink sink(heap, sizeof heap);
        describe(sink);
        panic("out of memory: operator new({} byte{}, align {}) failed; heap {}", size,
              plural(size), alignment, heap);
    }
    return block;
}

void deallocate(void* block, size_t size) {
    g_allocator.deallocate(block, granular(size));
}

void init() {
    g_allocator.init(g_arena, sizeof g_arena);
    detail::g_fast.store(&g_allocator, MemoryOrder::kRelaxed);  // no other hart runs yet
}

void* allocate(size_t size, size_t alignment) {
    if (scope_open()) {
        panic("heap allocation of {} byte{} while an arena scope is open: release would free it",
              size, plural(size));
    }
    void* block = g_allocator.allocate(granular(size), alignment);
    if (block != nullptr) count_allocation();
    return block;
}

void count_allocation() {
    this_hart().heap_allocations.add_by_owner(1);  // tp is set: see init()
}

uint64_t allocations(unsigned slot) {
    return g_harts[slot].heap_allocations.load(MemoryOrder::kRelaxed);
}

uint64_t allocations() {
    uint64_t total = 0;
    for (const Hart& hart : g_harts) total += hart.heap_allocations.load(MemoryOrder::kRelaxed);
    return total;
}

LinearAllocator& allocator() {
    return g_allocator;
}

ArenaScope::ArenaScope() {
    if (detail::g_fast.exchange(&g_closed, MemoryOrder::kAcqRel) != &g_allocator)
        panic("arena scopes do not nest (nor open before heap::init)");
    mark_ = g_allocator.mark();
}

ArenaScope::~ArenaScope() {
    if (!g_allocator.release(mark_)) panic("arena scope: the heap went below its mark");
    detail::g_fast.store(&g_allocator, MemoryOrder::kRelease);
}

void describe(FormatSink& out) {
    const LinearAllocator& a = g_allocator;
    format(out, "{} bytes at {:#x}, used {}, peak {}, allocations {}, failures {}", a.capacity(),
           a.base(), a.used(), a.peak(), allocations(), a.failures());
}

void print_summary() {
    console::print("heap: ");
    describe(console::sink());
    console::print("\n");
}

}  // namespace keel::heap
