// SPDX-License-Identifier: MIT
// PageAllocator: blocks against a reference model, every refusal, the counters, and (under TSan)
// many threads at once. "Physical" memory is a host buffer: RAM at 0x80000000 maps to it.
#include <gtest/gtest.h>
#include <keel/mm/page_allocator.h>

#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <vector>

namespace keel::mm {
namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamBytes = 8 * 1024 * 1024;  // 2048 pages

struct alignas(4096) Ram {
    unsigned char bytes[kRamBytes];
};

class PageAllocatorTest : public ::testing::Test {
protected:
    // RAM with a reservation at the start (firmware, 0.5 MiB) and an odd one in the middle.
    void SetUp() override {
        ram_ = std::make_unique<Ram>();
        // RAM holds whatever it held: the allocator may rely on nothing it did not write (its
        // owner counts included, which it sets as each page is allocated).
        memset(ram_->bytes, 0xa5, kRamBytes);
        map_.add_ram({kRamBase, kRamBytes});
        map_.reserve({kRamBase, 512 * 1024}, ReservationKind::kFirmware);
        map_.reserve({kRamBase + 3 * 1024 * 1024 + 100, 5000}, ReservationKind::kKernel);
        Range ram[4];
        Range free[8];
        const size_t ram_count = map_.ram_pages(ram, 4);
        const size_t free_count = map_.free_pages(free, 8);
        free_ranges_.assign(free, free + free_count);
        ASSERT_TRUE(pages_.init(ram, ram_count, free, free_count, offset()).ok());
    }

    uintptr_t offset() const { return reinterpret_cast<uintptr_t>(ram_->bytes) - kRamBase; }
    unsigned char* at(uint64_t physical) { return ram_->bytes + (physical - kRamBase); }
    bool is_free_memory(uint64_t address, uint64_t bytes) const {
        for (const Range& r : free_ranges_)
            if (address >= r.base && address + bytes <= r.end()) return true;
        return false;
    }

    std::unique_ptr<Ram> ram_;
    PhysMap map_;
    std::vector<Range> free_ranges_;
    PageAllocator pages_;
};

TEST_F(PageAllocatorTest, CountsEveryPageOfRam) {
    const auto c = pages_.counters();
    EXPECT_EQ(c.total, kRamBytes / kPageSize);
    // Reserved: the reservations (128 pages, and 2 for 5000 bytes from 100 bytes into a page) and
    // the allocator's own state (2048 bytes, then 2048 counts of two bytes: two pages).
    EXPECT_EQ(c.reserved, 128u + 2u + 2u);
    EXPECT_EQ(c.free, c.total - c.reserved);
    EXPECT_EQ(c.in_use, 0u);
    EXPECT_EQ(pages_.state().size, 2 * kPageSize);
}

TEST_F(PageAllocatorTest, BlocksAreAlignedZeroedFreeMemoryAndFreeingRestoresTheCounters) {
    const auto before = pages_.counters();
    for (unsigned order = 0; order <= 4; ++order) {
        const auto block = pages_.allocate(order);
        ASSERT_TRUE(block.ok()) << order;
        const uint64_t bytes = kPageSize << order;
        EXPECT_EQ(block.value() % bytes, 0u) << "aligned to its size";
        EXPECT_TRUE(is_free_memory(block.value(), bytes));
        for (uint64_t i = 0; i < bytes; ++i) ASSERT_EQ(at(block.value())[i], 0) << i;
        memset(at(block.value()), 0xa5, bytes);  // dirty it: the next owner must get zeroes
        EXPECT_EQ(pages_.counters().in_use, 1u << order);
        ASSERT_TRUE(pages_.free(block.value(), order).ok());
    }
    const auto after = pages_.counters();
    EXPECT_EQ(after.free, before.free);
    EXPECT_EQ(after.in_use, 0u);
    EXPECT_EQ(after.peak, 16u);
}

TEST_F(PageAllocatorTest, AnUninitializedBlockKeepsWhatItHeldAndIsCountedAlike) {
    const uint64_t page = pages_.allocate(0).value();
    memset(at(page), 0xa5, kPageSize);
    ASSERT_TRUE(pages_.free(page, 0).ok());
    const auto again = pages_.allocate(0, Contents::kUninitialized);  // the same page: LIFO
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), page);
    // (A free block's first 16 bytes hold its free-list link.)
    for (uint64_t i = 16; i < kPageSize; ++i) ASSERT_EQ(at(page)[i], 0xa5) << i;
    EXPECT_EQ(pages_.counters().in_use, 1u);
    ASSERT_TRUE(pages_.free(page, 0).ok());
    EXPECT_EQ(pages_.counters().in_use, 0u);
}

TEST_F(PageAllocatorTest, EveryBadFreeIsRefusedAndChangesNothing) {
    const uint64_t a = pages_.allocate(0).value();
    const uint64_t b = pages_.allocate(2).value();
    const auto before = pages_.counters();
    EXPECT_EQ(pages_.free(a + 8, 0).error(), PageError::kNotPageAligned);
    EXPECT_EQ(pages_.free(0x1000, 0).error(), PageError::kNotRam);
    EXPECT_EQ(pages_.free(kRamBase + kRamBytes, 0).error(), PageError::kNotRam);
    EXPECT_EQ(pages_.free(kRamBase, 0).error(), PageError::kNotAllocated);  // reserved firmware
    EXPECT_EQ(pages_.free(b + kPageSize, 0).error(), PageError::kNotAllocated);  // inside a block
    EXPECT_EQ(pages_.free(b, 0).error(), PageError::kWrongOrder);
    EXPECT_EQ(pages_.free(a, PageAllocator::kMaxOrder + 1).error(), PageError::kBadOrder);
    EXPECT_EQ(pages_.free(pages_.state().base, 0).error(), PageError::kNotAllocated);
    const auto after = pages_.counters();
    EXPECT_EQ(after.free, before.free);
    ASSERT_TRUE(pages_.free(a, 0).ok());
    EXPECT_EQ(pages_.free(a, 0).error(), PageError::kNotAllocated);  // a double free
    ASSERT_TRUE(pages_.free(b, 2).ok());
}

TEST_F(PageAllocatorTest, ExhaustionRefusesThenEverythingComesBackWhole) {
    std::vector<uint64_t> taken;
    for (;;) {
        const auto page = pages_.allocate(0);
        if (!page.ok()) {
            EXPECT_EQ(page.error(), PageError::kOutOfMemory);
            break;
        }
        taken.push_back(page.value());
    }
    EXPECT_EQ(taken.size(), pages_.counters().total - pages_.counters().reserved);
    EXPECT_EQ(pages_.counters().free, 0u);
    EXPECT_EQ(std::set<uint64_t>(taken.begin(), taken.end()).size(), taken.size());
    for (uint64_t page : taken) ASSERT_TRUE(pages_.free(page, 0).ok());
    // Merged back: a 4 MiB block (order 10) is free again at 0x80400000 (aligned, all free).
    const auto big = pages_.allocate(PageAllocator::kMaxOrder);
    ASSERT_TRUE(big.ok());
    EXPECT_EQ(big.value(), kRamBase + 4 * 1024 * 1024);
}

TEST_F(PageAllocatorTest, RandomSequencesMatchAReferenceModel) {
    std::mt19937_64 rng(12345);
    std::map<uint64_t, unsigned> model;  // address -> order of every allocated block
    for (int step = 0; step < 20000; ++step) {
        if (model.empty() || rng() % 3 != 0) {
            const unsigned order = static_cast<unsigned>(rng() % 5);
            const auto block = pages_.allocate(order);
            if (!block.ok()) {
                ASSERT_EQ(block.error(), PageError::kOutOfMemory);
                continue;
            }
            const uint64_t address = block.value();
            const uint64_t bytes = kPageSize << order;
            ASSERT_EQ(address % bytes, 0u);
            ASSERT_TRUE(is_free_memory(address, bytes));
            // Disjoint from every block the model holds.
            auto next = model.lower_bound(address);
            if (next != model.end()) {
                ASSERT_GE(next->first, address + bytes);
            }
            if (next != model.begin()) {
                auto previous = std::prev(next);
                ASSERT_LE(previous->first + (kPageSize << previous->second), address);
            }
            ASSERT_EQ(at(address)[0], 0);
            ASSERT_EQ(at(address)[bytes - 1], 0);
            at(address)[0] = 1;
            at(address)[bytes - 1] = 1;
            model[address] = order;
        } else {
            auto it = model.begin();
            std::advance(it, static_cast<long>(rng() % model.size()));
            ASSERT_TRUE(pages_.free(it->first, it->second).ok());
            model.erase(it);
        }
        uint64_t in_use = 0;
        for (const auto& [address, order] : model) in_use += 1ull << order;
        ASSERT_EQ(pages_.counters().in_use, in_use);
    }
    for (const auto& [address, order] : model) ASSERT_TRUE(pages_.free(address, order).ok());
    EXPECT_EQ(pages_.counters().in_use, 0u);
}

TEST_F(PageAllocatorTest, APageHasOneOwnerAndTheLastReleaseFreesIt) {
    const auto before = pages_.counters();
    const uint64_t page = pages_.allocate(0).value();
    EXPECT_EQ(pages_.owners(page), 1u);
    ASSERT_TRUE(pages_.share(page).ok());
    ASSERT_TRUE(pages_.share(page).ok());
    EXPECT_EQ(pages_.owners(page), 3u);
    EXPECT_FALSE(pages_.release(page).value());
    EXPECT_FALSE(pages_.release(page).value());
    EXPECT_EQ(pages_.counters().in_use, before.in_use + 1);
    EXPECT_TRUE(pages_.release(page).value());
    EXPECT_EQ(pages_.owners(page), 0u);
    EXPECT_EQ(pages_.counters().free, before.free);
}

TEST_F(PageAllocatorTest, FreeRefusesASharedPageAndChangesNothing) {
    const uint64_t page = pages_.allocate(0).value();
    ASSERT_TRUE(pages_.share(page).ok());
    EXPECT_EQ(pages_.free(page, 0).error(), PageError::kShared);
    EXPECT_EQ(pages_.owners(page), 2u);
    EXPECT_FALSE(pages_.release(page).value());
    EXPECT_TRUE(pages_.free(page, 0).ok());
}

TEST_F(PageAllocatorTest, SharingRefusesWhatIsNotAnAllocatedSinglePage) {
    const uint64_t block = pages_.allocate(1).value();
    EXPECT_EQ(pages_.share(block).error(), PageError::kWrongOrder);
    EXPECT_EQ(pages_.release(block).error(), PageError::kWrongOrder);
    EXPECT_EQ(pages_.owners(block), 0u);
    EXPECT_EQ(pages_.share(block + 1).error(), PageError::kNotPageAligned);
    EXPECT_EQ(pages_.share(kRamBase - kPageSize).error(), PageError::kNotRam);
    ASSERT_TRUE(pages_.free(block, 1).ok());
    EXPECT_EQ(pages_.share(block).error(), PageError::kNotAllocated);
    EXPECT_EQ(pages_.release(block).error(), PageError::kNotAllocated);
}

TEST_F(PageAllocatorTest, SharingStopsWhenTheCountIsFull) {
    const uint64_t page = pages_.allocate(0).value();
    for (uint32_t i = 1; i < 65536; ++i) ASSERT_TRUE(pages_.share(page).ok()) << i;
    EXPECT_EQ(pages_.owners(page), 65536u);
    EXPECT_EQ(pages_.share(page).error(), PageError::kTooShared);
    for (uint32_t i = 1; i < 65536; ++i) ASSERT_FALSE(pages_.release(page).value()) << i;
    EXPECT_TRUE(pages_.release(page).value());
}

// Forks' sharing at random against a model of every page's owners: the counts, the counters, and
// no page handed out again while it has an owner.
TEST_F(PageAllocatorTest, OwnersMatchAModelThroughRandomSharing) {
    std::mt19937 random(24);
    std::map<uint64_t, uint32_t> model;  // page -> owners
    const uint64_t base_in_use = pages_.counters().in_use;
    for (int step = 0; step < 20000; ++step) {
        const unsigned what = random() % 4;
        if (what == 0 || model.empty()) {
            const auto page = pages_.allocate(0);
            if (!page.ok()) continue;
            ASSERT_EQ(model.count(page.value()), 0u) << "handed out while owned";
            model[page.value()] = 1;
            continue;
        }
        auto it = model.begin();
        std::advance(it, random() % model.size());
        if (what == 1) {
            ASSERT_TRUE(pages_.share(it->first).ok());
            ++it->second;
        } else {
            const auto last = pages_.release(it->first);
            ASSERT_TRUE(last.ok());
            ASSERT_EQ(last.value(), it->second == 1);
            if (--it->second == 0) model.erase(it);
        }
        if (step % 97 == 0) {
            for (const auto& [page, owners] : model) ASSERT_EQ(pages_.owners(page), owners);
            ASSERT_EQ(pages_.counters().in_use, base_in_use + model.size());
        }
    }
    for (const auto& [page, owners] : model)
        for (uint32_t i = 0; i < owners; ++i) ASSERT_TRUE(pages_.release(page).ok());
    EXPECT_EQ(pages_.counters().in_use, base_in_use);
}

TEST(PageAllocatorInit, RefusesWhenNoFreeRangeHoldsTheState) {
    static Ram ram;
    PageAllocator pages;
    const Range all{kRamBase, kRamBytes};
    const Range tiny{kRamBase, 0};
    const uintptr_t offset = reinterpret_cast<uintptr_t>(ram.bytes) - kRamBase;
    EXPECT_EQ(pages.init(&all, 1, &tiny, 1, offset).error(), PageError::kNoRoom);
    EXPECT_EQ(pages.init(&all, 1, nullptr, 0, offset).error(), PageError::kNoRoom);
}

}  // namespace
}  // namespace keel::mm
