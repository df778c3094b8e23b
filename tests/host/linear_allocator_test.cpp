// SPDX-License-Identifier: MIT
// LinearAllocator, one guarantee per test (see include/keel/mm/linear_allocator.h).
#include <gtest/gtest.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/mm/linear_allocator.h>
#include <stdint.h>

namespace keel {
namespace {

constexpr size_t kArenaSize = memlayout::kHeapSize;  // the kernel's arena

struct alignas(4096) Arena {
    unsigned char bytes[kArenaSize];
};

class LinearAllocatorTest : public ::testing::Test {
protected:
    LinearAllocatorTest() : allocator_(arena_.bytes, kArenaSize) {}
    uintptr_t base() const { return reinterpret_cast<uintptr_t>(arena_.bytes); }
    uintptr_t addr(const void* p) const { return reinterpret_cast<uintptr_t>(p); }

    Arena arena_;
    LinearAllocator allocator_;
};

TEST_F(LinearAllocatorTest, StartsEmptyWithTheWholeArena) {
    EXPECT_EQ(allocator_.capacity(), kArenaSize);
    EXPECT_EQ(allocator_.base(), base());
    EXPECT_EQ(allocator_.used(), 0u);
    EXPECT_EQ(allocator_.peak(), 0u);
    EXPECT_EQ(allocator_.allocations(), 0u);
    EXPECT_EQ(allocator_.failures(), 0u);
}

TEST_F(LinearAllocatorTest, HonoursEveryPowerOfTwoAlignmentUpTo4096) {
    for (size_t alignment = 1; alignment <= 4096; alignment *= 2) {
        (void)allocator_.allocate(1, 1);  // knock the head off any natural alignment
        void* p = allocator_.allocate(3, alignment);
        ASSERT_NE(p, nullptr) << "alignment " << alignment;
        EXPECT_EQ(addr(p) % alignment, 0u) << "alignment " << alignment;
    }
    EXPECT_EQ(allocator_.failures(), 0u);
}

TEST_F(LinearAllocatorTest, AlignsByAbsoluteAddressEvenOnAnOddArena) {
    LinearAllocator odd(arena_.bytes + 1, kArenaSize - 1);
    void* p = odd.allocate(8, 64);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(addr(p) % 64, 0u);
    EXPECT_EQ(addr(p), base() + 64);
}

TEST_F(LinearAllocatorTest, RefusesAlignmentAbove4096) {
    EXPECT_EQ(allocator_.allocate(1, 8192), nullptr);
    EXPECT_EQ(allocator_.allocate(1, size_t{1} << 63), nullptr);
    EXPECT_EQ(allocator_.used(), 0u);
    EXPECT_EQ(allocator_.failures(), 2u);
}

TEST_F(LinearAllocatorTest, RefusesAlignmentThatIsNotAPowerOfTwo) {
    for (size_t alignment : {size_t{0}, size_t{3}, size_t{12}, size_t{4095}, SIZE_MAX}) {
        EXPECT_EQ(allocator_.allocate(1, alignment), nullptr) << "alignment " << alignment;
    }
    EXPECT_EQ(allocator_.used(), 0u);
    EXPECT_EQ(allocator_.failures(), 5u);
}

TEST_F(LinearAllocatorTest, FillsTheArenaToTheLastByte) {
    void* first = allocator_.allocate(kArenaSize - 1, 1);
    void* last = allocator_.allocate(1, 1);
    ASSERT_NE(first, nullptr);
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(addr(last), base() + kArenaSize - 1);
    EXPECT_EQ(allocator_.used(), kArenaSize);
    EXPECT_EQ(allocator_.allocate(1, 1), nullptr);
}

TEST_F(LinearAllocatorTest, RefusesOneBytePastTheEndAndMovesNothing) {
    EXPECT_EQ(allocator_.allocate(kArenaSize + 1, 1), nullptr);
    ASSERT_NE(allocator_.allocate(100, 1), nullptr);
    EXPECT_EQ(allocator_.allocate(kArenaSize - 99, 1), nullptr);
    EXPECT_EQ(allocator_.used(), 100u);
    EXPECT_EQ(allocator_.failures(), 2u);
    EXPECT_NE(allocator_.allocate(kArenaSize - 100, 1),
              nullptr);  // exactly what is left still fits
}

TEST_F(LinearAllocatorTest, RefusesWhenAlignmentPaddingDoesNotFit) {
    ASSERT_NE(allocator_.allocate(kArenaSize - 10, 1), nullptr);
    // 10 bytes remain, but reaching a 4096 boundary would need more than that.
    EXPECT_EQ(allocator_.allocate(1, 4096), nullptr);
    EXPECT_EQ(allocator_.used(), kArenaSize - 10);
}

TEST_F(LinearAllocatorTest, RefusesHugeSizesWithoutOverflowing) {
    (void)allocator_.allocate(1, 1);  // padding will be needed for the aligned requests below
    for (size_t size : {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4095, SIZE_MAX / 2 + 1}) {
        for (size_t alignment : {size_t{1}, size_t{16}, size_t{4096}}) {
            EXPECT_EQ(allocator_.allocate(size, alignment), nullptr)
                << "size " << size << " alignment " << alignment;
        }
    }
    EXPECT_EQ(allocator_.used(), 1u);
    EXPECT_EQ(allocator_.failures(), 12u);
}

TEST_F(LinearAllocatorTest, ServesZeroSizeAsOneUniqueByte) {
    void* a = allocator_.allocate(0, 1);
    void* b = allocator_.allocate(0, 1);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    EXPECT_EQ(allocator_.used(), 2u);
}

TEST_F(LinearAllocatorTest, DeallocatingTheNewestBlockRollsTheHeadBack) {
    void* a = allocator_.allocate(40, 8);
    void* b = allocator_.allocate(24, 8);
    ASSERT_NE(b, nullptr);
    EXPECT_TRUE(allocator_.deallocate(b, 24));
    EXPECT_EQ(allocator_.used(), 40u);
    EXPECT_EQ(allocator_.allocate(24, 8), b);  // the same bytes are handed out again
    (void)a;
}

TEST_F(LinearAllocatorTest, DeallocatingAnOlderBlockChangesNothing) {
    void* a = allocator_.allocate(40, 8);
    void* b = allocator_.allocate(24, 8);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_FALSE(allocator_.deallocate(a, 40));
    EXPECT_EQ(allocator_.used(), 64u);
}

TEST_F(LinearAllocatorTest, DeallocatingWithTheWrongSizeChangesNothing) {
    void* a = allocator_.allocate(40, 8);
    EXPECT_FALSE(allocator_.deallocate(a, 39));
    EXPECT_FALSE(allocator_.deallocate(a, SIZE_MAX));
    EXPECT_EQ(allocator_.used(), 40u);
}

TEST_F(LinearAllocatorTest, StackLikeUseReclaimsEveryLevel) {
    void* a = allocator_.allocate(64, 16);
    void* b = allocator_.allocate(32, 16);
    void* c = allocator_.allocate(16, 16);
    EXPECT_TRUE(allocator_.deallocate(c, 16));
    EXPECT_TRUE(allocator_.deallocate(b, 32));
    EXPECT_TRUE(allocator_.deallocate(a, 64));
    EXPECT_EQ(allocator_.used(), 0u);
    EXPECT_EQ(allocator_.peak(), 112u);
}

TEST_F(LinearAllocatorTest, RollbackLeavesAlignmentPaddingInPlace) {
    (void)allocator_.allocate(1, 1);
    void* aligned = allocator_.allocate(8, 64);
    EXPECT_TRUE(allocator_.deallocate(aligned, 8));
    EXPECT_EQ(allocator_.used(), 64u);  // back to the block's start, not over the padding
}

TEST_F(LinearAllocatorTest, IgnoresNullAndForeignPointers) {
    unsigned char elsewhere[16];
    (void)allocator_.allocate(16, 1);
    EXPECT_FALSE(allocator_.deallocate(nullptr, 16));
    EXPECT_FALSE(allocator_.deallocate(elsewhere, 16));
    EXPECT_FALSE(allocator_.owns(elsewhere));
    EXPECT_EQ(allocator_.used(), 16u);
}

TEST_F(LinearAllocatorTest, CountsAllocationsFailuresAndPeak) {
    void* a = allocator_.allocate(100, 4);
    void* b = allocator_.allocate(200, 4);
    EXPECT_EQ(allocator_.allocate(kArenaSize, 4), nullptr);
    EXPECT_TRUE(allocator_.deallocate(b, 200));
    const LinearAllocator::Stats s = allocator_.stats();
    EXPECT_EQ(s.allocations, 2u);
    EXPECT_EQ(s.failures, 1u);
    EXPECT_EQ(s.used, 100u);
    EXPECT_EQ(s.peak, 300u);
    EXPECT_EQ(s.capacity, kArenaSize);
    (void)a;
}

TEST_F(LinearAllocatorTest, ReleaseGivesBackEverythingSinceTheMark) {
    (void)allocator_.allocate(100, 1);
    const LinearAllocator::Mark mark = allocator_.mark();
    void* first = allocator_.allocate(1000, 64);
    (void)allocator_.allocate(5000, 8);
    EXPECT_TRUE(allocator_.release(mark));
    EXPECT_EQ(allocator_.used(), 100u);
    EXPECT_EQ(allocator_.allocate(1000, 64), first);            // the same bytes again
    EXPECT_EQ(allocator_.peak(), 100u + 28 + 1000 + 5000 + 0);  // the peak remembers
}

TEST_F(LinearAllocatorTest, ReleaseBelowTheHeadIsRefused) {
    void* a = allocator_.allocate(64, 16);
    const LinearAllocator::Mark mark = allocator_.mark();
    EXPECT_TRUE(allocator_.deallocate(a, 64));  // the head went below the mark
    EXPECT_FALSE(allocator_.release(mark));
    EXPECT_EQ(allocator_.used(), 0u);
}

TEST_F(LinearAllocatorTest, ReleaseWithNothingAllocatedIsANoOp) {
    const LinearAllocator::Mark mark = allocator_.mark();
    EXPECT_TRUE(allocator_.release(mark));
    EXPECT_EQ(allocator_.used(), 0u);
}

TEST(LinearAllocatorWithoutArena, RefusesEverything) {
    LinearAllocator none;
    EXPECT_EQ(none.allocate(1, 1), nullptr);
    EXPECT_EQ(none.allocate(0, 1), nullptr);
    EXPECT_EQ(none.capacity(), 0u);
    EXPECT_EQ(none.failures(), 2u);
}

TEST_F(LinearAllocatorTest, BumpServesExactlyAtTheHeadAndCountsNothing) {
    void* a;
    void* b;
    ASSERT_TRUE(allocator_.bump(32, a));
    ASSERT_TRUE(allocator_.bump(16, b));
    EXPECT_EQ(addr(a), base());
    EXPECT_EQ(addr(b), base() + 32);  // no padding: the caller keeps the head aligned
    EXPECT_EQ(allocator_.used(), 48u);
    EXPECT_EQ(allocator_.allocations(), 0u);  // bump()'s callers count their own
    EXPECT_EQ(allocator_.failures(), 0u);
    EXPECT_TRUE(allocator_.deallocate(b, 16));  // and rollback works on its blocks
    EXPECT_EQ(allocator_.used(), 32u);
}

TEST_F(LinearAllocatorTest, BumpFillsTheArenaToTheLastByteThenRefusesWithoutMoving) {
    void* block;
    ASSERT_TRUE(allocator_.bump(kArenaSize - 16, block));
    ASSERT_TRUE(allocator_.bump(16, block));
    EXPECT_EQ(addr(block), base() + kArenaSize - 16);
    void* untouched = nullptr;
    EXPECT_FALSE(allocator_.bump(16, untouched));
    EXPECT_EQ(untouched, nullptr);
    EXPECT_EQ(allocator_.used(), kArenaSize);
    EXPECT_EQ(allocator_.failures(), 0u);  // the caller's slow path counts refusals
}

TEST_F(LinearAllocatorTest, BumpRefusesHugeSizesWithoutOverflowing) {
    void* block;
    ASSERT_TRUE(allocator_.bump(16, block));
    for (size_t size : {SIZE_MAX, SIZE_MAX - 15, kArenaSize, kArenaSize - 15})
        EXPECT_FALSE(allocator_.bump(size, block)) << size;
    EXPECT_EQ(allocator_.used(), 16u);
}

TEST(LinearAllocatorWithoutArena, BumpRefusesEverything) {
    LinearAllocator none;
    void* block;
    EXPECT_FALSE(none.bump(16, block));
    EXPECT_FALSE(none.bump(1, block));
}

TEST_F(LinearAllocatorTest, PeakIsTheHighestTheHeadWasWhateverTookItDown) {
    void* a = allocator_.allocate(64, 16);
    EXPECT_EQ(allocator_.peak(), 64u);  // nothing recorded yet: the head itself
    void* b;
    ASSERT_TRUE(allocator_.bump(256, b));
    EXPECT_EQ(allocator_.peak(), 320u);
    EXPECT_TRUE(allocator_.deallocate(b, 256));
    EXPECT_EQ(allocator_.peak(), 320u);          // rollback recorded it
    EXPECT_FALSE(allocator_.deallocate(a, 32));  // a wrong size records nothing
    (void)allocator_.allocate(100, 1);
    EXPECT_EQ(allocator_.peak(), 320u);
    const LinearAllocator::Mark mark = allocator_.mark();
    (void)allocator_.allocate(1000, 1);
    EXPECT_TRUE(allocator_.release(mark));
    EXPECT_EQ(allocator_.peak(), 1164u);  // release recorded it
    (void)a;
}

TEST_F(LinearAllocatorTest, AnUncontendedAllocatorRetriesNothing) {
    for (int i = 0; i < 100; ++i) (void)allocator_.allocate(8, 8);
    // compare_exchange_weak may fail spuriously only on LL/SC machines; the host is not one.
    EXPECT_EQ(allocator_.retries(), 0u);
}

TEST_F(LinearAllocatorTest, InitStartsAfresh) {
    (void)allocator_.allocate(10, 1);
    (void)allocator_.allocate(kArenaSize, 1);
    allocator_.init(arena_.bytes, kArenaSize);
    EXPECT_EQ(allocator_.used(), 0u);
    EXPECT_EQ(allocator_.peak(), 0u);
    EXPECT_EQ(allocator_.allocations(), 0u);
    EXPECT_EQ(allocator_.failures(), 0u);
}

}  // namespace
}  // namespace keel
