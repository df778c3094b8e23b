// SPDX-License-Identifier: MIT
// PageAllocator from many threads at once (run under TSan too): no block handed out twice, each
// zeroed, and the counters back where they started.
#include <gtest/gtest.h>
#include <keel/mm/page_allocator.h>
#include <string.h>

#include <memory>
#include <random>
#include <vector>

#include "thread_deadline.h"

namespace keel::mm {
namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamBytes = 4 * 1024 * 1024;
constexpr int kThreads = 8;

struct alignas(4096) Ram {
    unsigned char bytes[kRamBytes];
};

TEST(PageAllocatorThreads, ConcurrentAllocateAndFreeNeverShareABlock) {
    auto ram = std::make_unique<Ram>();
    const Range all{kRamBase, kRamBytes};
    PageAllocator pages;
    ASSERT_TRUE(
        pages.init(&all, 1, &all, 1, reinterpret_cast<uintptr_t>(ram->bytes) - kRamBase).ok());
    const auto before = pages.counters();
    auto at = [&](uint64_t physical) { return ram->bytes + (physical - kRamBase); };

    test::Threads threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.start([&, t] {
            std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 1);
            std::vector<std::pair<uint64_t, unsigned>> mine;
            const auto tag = static_cast<unsigned char>(t + 1);
            for (int i = 0; i < 3000; ++i) {
                if (mine.empty() || rng() % 2 == 0) {
                    const unsigned order = rng() % 3;
                    const auto block = pages.allocate(order);
                    if (!block.ok()) continue;
                    const uint64_t bytes = kPageSize << order;
                    for (uint64_t b = 0; b < bytes; b += 512) ASSERT_EQ(at(block.value())[b], 0);
                    memset(at(block.value()), tag, bytes);  // a shared block would be overwritten
                    mine.emplace_back(block.value(), order);
                } else {
                    const auto [address, order] = mine.back();
                    mine.pop_back();
                    const uint64_t bytes = kPageSize << order;
                    for (uint64_t b = 0; b < bytes; b += 512) ASSERT_EQ(at(address)[b], tag);
                    ASSERT_TRUE(pages.free(address, order).ok());
                }
            }
            for (const auto& [address, order] : mine) ASSERT_TRUE(pages.free(address, order).ok());
        });
    }
    threads.join_within(test::kThreadDeadline, "page allocating threads");
    const auto after = pages.counters();
    EXPECT_EQ(after.free, before.free);
    EXPECT_EQ(after.in_use, 0u);
    // Everything merged back: the upper 2 MiB (the state page sits in the lower) is one block.
    const auto upper = pages.allocate(PageAllocator::kMaxOrder - 1);
    ASSERT_TRUE(upper.ok());
    EXPECT_EQ(upper.value(), kRamBase + kRamBytes / 2);
}

}  // namespace
}  // namespace keel::mm
