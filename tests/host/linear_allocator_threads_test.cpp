// SPDX-License-Identifier: MIT
// LinearAllocator under contention: many threads allocate (and give back their newest block) at
// once; afterwards every block must be inside the arena, aligned, disjoint, and intact. A thread
// that never finishes (a compare-and-swap loop that cannot succeed) fails the test within seconds.
// Built twice: under ASan/UBSan and under TSan.
#include <gtest/gtest.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/mm/linear_allocator.h>
#include <stdint.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "thread_deadline.h"

namespace keel {
namespace {

constexpr size_t kArenaSize = memlayout::kHeapSize;  // the kernel's arena
constexpr int kThreads = 8;

struct Block {
    uintptr_t start;
    size_t size;
    size_t alignment;
    unsigned char tag;
};

struct alignas(4096) Arena {
    unsigned char bytes[kArenaSize];
};

// Holds every thread until all have started, so they really do contend.
class StartLine {
public:
    explicit StartLine(int threads) : waiting_(threads) {}
    void arrive_and_wait() {
        waiting_.fetch_sub(1);
        while (waiting_.load() > 0) std::this_thread::yield();
    }

private:
    std::atomic<int> waiting_;
};

// Each thread allocates random blocks, stamps them with its tag, and sometimes frees its newest
// block at once (a rollback that must never hand another thread's bytes out twice).
std::vector<Block> hammer(LinearAllocator& allocator, unsigned char tag, int attempts,
                          bool roll_back) {
    std::mt19937 rng(tag * 7919u);
    std::vector<Block> kept;
    for (int i = 0; i < attempts; ++i) {
        const size_t size = 1 + rng() % 96;
        const size_t alignment = size_t{1} << (rng() % 9);  // 1..256
        // Every third request takes the fast path. bump() adds no padding, and these sizes do not
        // keep the head aligned, so its blocks are checked for bounds and disjointness only.
        const bool fast = rng() % 3 == 0;
        void* p = nullptr;
        if (fast) {
            if (!allocator.bump(size, p)) continue;
        } else {
            p = allocator.allocate(size, alignment);
            if (p == nullptr) continue;
        }
        std::fill_n(static_cast<unsigned char*>(p), size, tag);
        if (roll_back && rng() % 4 == 0) {
            allocator.deallocate(p, size);  // may or may not be the newest any more
            continue;
        }
        kept.push_back(Block{reinterpret_cast<uintptr_t>(p), size, fast ? 1 : alignment, tag});
    }
    return kept;
}

void check_blocks(const LinearAllocator& allocator, std::vector<Block> blocks) {
    const uintptr_t base = allocator.base();
    std::sort(blocks.begin(), blocks.end(),
              [](const Block& a, const Block& b) { return a.start < b.start; });
    for (size_t i = 0; i < blocks.size(); ++i) {
        const Block& b = blocks[i];
        ASSERT_GE(b.start, base);
        ASSERT_LE(b.start + b.size, base + allocator.capacity());
        ASSERT_EQ(b.start % b.alignment, 0u);
        if (i > 0) {
            ASSERT_LE(blocks[i - 1].start + blocks[i - 1].size, b.start) << "blocks overlap";
        }
    }
}

void run(bool roll_back, int attempts) {
    static Arena arena;
    LinearAllocator allocator(arena.bytes, kArenaSize);
    std::vector<std::vector<Block>> per_thread(kThreads);
    test::Threads threads;
    StartLine start(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.start([&, t] {
            start.arrive_and_wait();
            per_thread[t] =
                hammer(allocator, static_cast<unsigned char>(t + 1), attempts, roll_back);
        });
    }
    threads.join_within(test::kThreadDeadline, "allocating threads");

    std::vector<Block> all;
    for (auto& blocks : per_thread) all.insert(all.end(), blocks.begin(), blocks.end());
    ASSERT_FALSE(all.empty());
    check_blocks(allocator, all);
    // No other thread wrote into a kept block: each still holds its owner's tag.
    for (const Block& b : all) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(b.start);
        for (size_t i = 0; i < b.size; ++i) ASSERT_EQ(bytes[i], b.tag) << "block overwritten";
    }
    EXPECT_LE(allocator.used(), kArenaSize);
    EXPECT_LE(allocator.used(), allocator.peak());
    // The peak is derived, not kept on every allocation: it must still cover every kept block.
    for (const Block& b : all) EXPECT_LE(b.start + b.size - allocator.base(), allocator.peak());
}

TEST(LinearAllocatorThreads, ConcurrentBlocksAreInBoundsAlignedAndDisjoint) {
    run(false, 1000);
}

TEST(LinearAllocatorThreads, ConcurrentRollbacksNeverHandOutLiveBytes) {
    run(true, 1500);
}

TEST(LinearAllocatorThreads, ExhaustionUnderContentionCountsEveryRequest) {
    static Arena arena;
    LinearAllocator allocator(arena.bytes, kArenaSize);
    constexpr int kPerThread = 2000;  // 8 x 2000 x 16 B = 256 KiB: twice the arena
    test::Threads threads;
    StartLine start(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.start([&] {
            start.arrive_and_wait();
            for (int i = 0; i < kPerThread; ++i) (void)allocator.allocate(16, 16);
        });
    }
    threads.join_within(test::kThreadDeadline, "allocating threads");
    EXPECT_EQ(allocator.allocations() + allocator.failures(), size_t{kThreads} * kPerThread);
    EXPECT_EQ(allocator.allocations(), kArenaSize / 16);
    EXPECT_EQ(allocator.used(), kArenaSize);
}

TEST(LinearAllocatorThreads, FastPathExhaustionHandsOutEveryByteOnce) {
    static Arena arena;
    LinearAllocator allocator(arena.bytes, kArenaSize);
    constexpr int kPerThread = 2000;  // twice the arena, as above, all through bump()
    std::vector<size_t> served(kThreads);
    test::Threads threads;
    StartLine start(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.start([&, t] {
            start.arrive_and_wait();
            void* block;
            for (int i = 0; i < kPerThread; ++i) served[t] += allocator.bump(16, block) ? 1 : 0;
        });
    }
    threads.join_within(test::kThreadDeadline, "bumping threads");
    size_t total = 0;
    for (size_t n : served) total += n;
    EXPECT_EQ(total, kArenaSize / 16);
    EXPECT_EQ(allocator.used(), kArenaSize);
    EXPECT_EQ(allocator.peak(), kArenaSize);
}

}  // namespace
}  // namespace keel
