// SPDX-License-Identifier: MIT
// Host benchmark: keel's LinearAllocator against std::pmr::monotonic_buffer_resource (a bump
// allocator that is not thread-safe: the floor) and malloc/free, per allocation, for sizes 16 B
// to 4 KiB, with one thread and with two.
//
// Every allocator works the same way: blocks are taken until an arena's worth is out, then all are
// given back at once (LinearAllocator::release to a mark, the pmr resource's release(), free() of
// each block), and that cost is spread over the blocks. The LinearAllocator rows are its two
// paths: allocate(size, 16), the general one, and bump(size), the fast path operator new uses
// (sizes here are multiples of 16, as the kernel heap's are). With two threads, LinearAllocator
// and malloc are shared by both; each thread gets its own pmr resource, since one cannot be shared.
#include <benchmark/benchmark.h>
#include <keel/mm/linear_allocator.h>
#include <stdlib.h>

#include <memory_resource>
#include <new>
#include <vector>

namespace {

constexpr size_t kArenaBytes = 1 << 20;
constexpr size_t kAlignment = 16;

struct alignas(4096) Arena {
    unsigned char bytes[kArenaBytes];
};

Arena g_shared_arena;  // the two-thread LinearAllocator rows share this one
keel::LinearAllocator g_shared(g_shared_arena.bytes, kArenaBytes);

// The allocator under test, one per benchmark (shared between threads where it is thread-safe).
keel::LinearAllocator& linear_for(benchmark::State& state, Arena& own) {
    static thread_local keel::LinearAllocator local;
    if (state.threads() > 1) return g_shared;
    local.init(own.bytes, kArenaBytes);
    return local;
}

// A LinearAllocator row: `take(allocator, size)` gives a block or nullptr; when the arena is full,
// whoever finds it so resets it (with two threads the other may be mid-way: its blocks are only
// counted, never used).
template <typename Take>
void linear_rows(benchmark::State& state, Take take) {
    const size_t size = static_cast<size_t>(state.range(0));
    static thread_local Arena own;
    keel::LinearAllocator& allocator = linear_for(state, own);
    const keel::LinearAllocator::Mark empty{0};
    for (auto _ : state) {
        void* block = take(allocator, size);
        if (block == nullptr) {
            (void)allocator.release(empty);
            block = take(allocator, size);
        }
        benchmark::DoNotOptimize(block);
    }
    state.SetItemsProcessed(state.iterations());
}

void LinearAllocate(benchmark::State& state) {
    linear_rows(state, [](keel::LinearAllocator& allocator, size_t size) {
        return allocator.allocate(size, kAlignment);
    });
}

void LinearBump(benchmark::State& state) {
    linear_rows(state, [](keel::LinearAllocator& allocator, size_t size) -> void* {
        void* block;
        return allocator.bump(size, block) ? block : nullptr;
    });
}

void PmrMonotonic(benchmark::State& state) {
    const size_t size = static_cast<size_t>(state.range(0));
    static thread_local Arena own;  // one resource per thread: it is not thread-safe
    std::pmr::monotonic_buffer_resource resource(own.bytes, kArenaBytes,
                                                 std::pmr::null_memory_resource());
    std::pmr::memory_resource& memory = resource;  // used as programs use it: through the base
    size_t used = 0;
    for (auto _ : state) {
        if (used + size > kArenaBytes) {
            resource.release();  // back to the initial buffer
            used = 0;
        }
        void* block = memory.allocate(size, kAlignment);
        used += size;
        benchmark::DoNotOptimize(block);
    }
    state.SetItemsProcessed(state.iterations());
}

void Malloc(benchmark::State& state) {
    const size_t size = static_cast<size_t>(state.range(0));
    std::vector<void*> blocks;
    blocks.reserve(kArenaBytes / size);
    for (auto _ : state) {
        if (blocks.size() == kArenaBytes / size) {  // an arena's worth out: give it all back
            for (void* block : blocks) free(block);
            blocks.clear();
        }
        void* block = malloc(size);
        blocks.push_back(block);
        benchmark::DoNotOptimize(block);
    }
    for (void* block : blocks) free(block);
    state.SetItemsProcessed(state.iterations());
}

void Sizes(benchmark::internal::Benchmark* b) {
    for (int64_t size = 16; size <= 4096; size *= 4) b->Arg(size);
}

BENCHMARK(LinearAllocate)->Apply(Sizes)->Threads(1)->Threads(2);
BENCHMARK(LinearBump)->Apply(Sizes)->Threads(1)->Threads(2);
BENCHMARK(PmrMonotonic)->Apply(Sizes)->Threads(1)->Threads(2);
BENCHMARK(Malloc)->Apply(Sizes)->Threads(1)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
