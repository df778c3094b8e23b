// SPDX-License-Identifier: MIT
// Sv39 page tables built in a host buffer: mapping with the largest pages alignment allows, the
// walk's view of every level, permissions, and every refusal.
#include "page_table_fixture.h"

namespace keel::mm {
namespace {

TEST_F(PageTableTest, AnEmptyTableMapsNothingAndTheWalkStopsAtTheRoot) {
    const Walk w = table_.walk(0);
    EXPECT_FALSE(w.mapped);
    EXPECT_EQ(w.stopped_at, 2);
    EXPECT_EQ(table_.satp() >> 60, kSv39Mode);
    EXPECT_EQ(table_.satp() & ((1ull << 44) - 1), kTablesBase >> 12);
}

TEST_F(PageTableTest, AlignedRangesGetGigaAndMegaPages) {
    // 1 GiB + 2 MiB + 8 KiB, identity, from a 1 GiB boundary: one 1 GiB leaf, one 2 MiB, two 4 KiB.
    const uint64_t base = 0x80000000;
    ASSERT_TRUE(table_.map(base, base, k1G + k2M + 2 * k4K, kPteRead | kPteWrite).ok());
    Walk w = table_.walk(base + 12345);
    ASSERT_TRUE(w.mapped);
    EXPECT_EQ(w.page_size, k1G);
    EXPECT_EQ(w.stopped_at, 2);
    EXPECT_EQ(w.physical, base + 12345);
    w = table_.walk(base + k1G + 5);
    EXPECT_EQ(w.page_size, k2M);
    EXPECT_EQ(w.stopped_at, 1);
    w = table_.walk(base + k1G + k2M + k4K + 7);
    EXPECT_EQ(w.page_size, k4K);
    EXPECT_EQ(w.stopped_at, 0);
    EXPECT_EQ(w.physical, base + k1G + k2M + k4K + 7);
    EXPECT_FALSE(table_.walk(base + k1G + k2M + 2 * k4K).mapped);
    EXPECT_EQ(table_.table_pages(), 3u);  // the root, one level-1 and one level-0 table
    EXPECT_EQ(table_.leaves(2), 1u);
    EXPECT_EQ(table_.leaves(1), 1u);
    EXPECT_EQ(table_.leaves(0), 2u);
}

TEST_F(PageTableTest, EightGibCostsNoMoreTablesThan128Mib) {
    ASSERT_TRUE(table_.map(0x80000000, 0x80000000, 8 * k1G, kPteRead | kPteWrite).ok());
    EXPECT_EQ(table_.table_pages(), 1u);  // eight 1 GiB leaves in the root
}

TEST_F(PageTableTest, MisalignedPhysicalAddressesFallBackToSmallerPages) {
    ASSERT_TRUE(table_.map(0x40000000, 0x80001000, k2M, kPteRead).ok());
    EXPECT_EQ(table_.walk(0x40000000).page_size, k4K);
    EXPECT_EQ(table_.walk(0x40000000 + k2M - 1).physical, 0x80001000 + k2M - 1);
}

TEST_F(PageTableTest, FlagsAreWhatWasAskedPlusAccessedAndDirty) {
    ASSERT_TRUE(table_.map(0x1000, 0x2000, k4K, kPteRead | kPteExecute | kPteGlobal).ok());
    ASSERT_TRUE(table_.map(0x3000, 0x4000, k4K, kPteRead | kPteWrite).ok());
    EXPECT_EQ(table_.walk(0x1000).flags,
              kPteValid | kPteRead | kPteExecute | kPteGlobal | kPteAccessed);
    EXPECT_EQ(table_.walk(0x3000).flags,
              kPteValid | kPteRead | kPteWrite | kPteAccessed | kPteDirty);
    EXPECT_FALSE(table_.walk(0x2000).mapped);
    EXPECT_FALSE(table_.walk(0).mapped);
}

TEST_F(PageTableTest, RefusalsChangeNothing) {
    EXPECT_EQ(table_.map(0x1000, 0x1000, k4K, kPteRead | kPteWrite | kPteExecute).error(),
              MapError::kWriteExecute);
    EXPECT_EQ(table_.map(0x1000, 0x1000, k4K, kPteWrite).error(), MapError::kNoAccess);
    EXPECT_EQ(table_.map(0x1000, 0x1000, k4K, 0).error(), MapError::kNoAccess);
    EXPECT_EQ(table_.map(0x1001, 0x1000, k4K, kPteRead).error(), MapError::kNotAligned);
    EXPECT_EQ(table_.map(0x1000, 0x1000, 100, kPteRead).error(), MapError::kNotAligned);
    EXPECT_EQ(table_.map(1ull << 38, 0, k4K, kPteRead).error(), MapError::kNotCanonical);
    EXPECT_EQ(table_.map((1ull << 38) - k4K, 0, 2 * k4K, kPteRead).error(),
              MapError::kNotCanonical);
    EXPECT_EQ(table_.table_pages(), 1u);
    ASSERT_TRUE(table_.map(0x200000, 0x200000, k2M, kPteRead).ok());
    // Overlapping the first or the last page, or inside a large page: refused, nothing added.
    EXPECT_EQ(table_.map(0x1ff000, 0x1000, 2 * k4K, kPteRead).error(), MapError::kAlreadyMapped);
    EXPECT_EQ(table_.map(0x3ff000, 0x1000, k4K, kPteRead).error(), MapError::kAlreadyMapped);
    EXPECT_FALSE(table_.walk(0x1ff000).mapped);
}

TEST_F(PageTableTest, HighCanonicalAddressesMap) {
    const uint64_t high = ~0ull << 38;  // the lowest address of the upper half
    ASSERT_TRUE(table_.map(high, 0x80000000, k4K, kPteRead).ok());
    EXPECT_TRUE(table_.walk(high).mapped);
    EXPECT_FALSE(table_.walk(0).mapped);  // not aliased into the lower half
}

TEST_F(PageTableTest, UnmapTakesWholeLeavesOnly) {
    ASSERT_TRUE(table_.map(0x200000, 0x200000, k2M + k4K, kPteRead).ok());
    EXPECT_EQ(table_.unmap(0x200000, k4K).error(), MapError::kSplitsLeaf);
    EXPECT_EQ(table_.unmap(0x500000, k4K).error(), MapError::kNotMapped);
    ASSERT_TRUE(table_.unmap(0x200000, k2M).ok());
    EXPECT_FALSE(table_.walk(0x200000).mapped);
    EXPECT_TRUE(table_.walk(0x400000).mapped);
    ASSERT_TRUE(table_.unmap(0x400000, k4K).ok());
    EXPECT_FALSE(table_.walk(0x400000).mapped);
    EXPECT_EQ(table_.leaves(1) + table_.leaves(0), 0u);
}

TEST_F(PageTableTest, ALargeRangeOverAnEmptiedTableUsesSmallerPages) {
    ASSERT_TRUE(table_.map(0x40200000, 0x40200000, k4K, kPteRead).ok());
    ASSERT_TRUE(table_.unmap(0x40200000, k4K).ok());
    ASSERT_TRUE(table_.map(0x40000000, 0x40000000, 2 * k2M, kPteRead).ok());
    EXPECT_TRUE(table_.walk(0x40000000).mapped);
    EXPECT_TRUE(table_.walk(0x40200000).mapped);
    EXPECT_TRUE(table_.walk(0x403ff000).mapped);
    EXPECT_EQ(table_.leaves(1) * 512 + table_.leaves(0), 1024u);  // 4 MiB, whatever the sizes
}

TEST_F(PageTableTest, ARefusedUnmapChangesNothing) {
    ASSERT_TRUE(table_.map(0x200000, 0x200000, 2 * k4K, kPteRead).ok());
    EXPECT_EQ(table_.unmap(0x200000, 3 * k4K).error(), MapError::kNotMapped);
    EXPECT_TRUE(table_.walk(0x200000).mapped);
    EXPECT_TRUE(table_.walk(0x201000).mapped);
}

TEST_F(PageTableTest, ARangeAcrossTheHoleIsRefused) {
    EXPECT_EQ(table_.map(0, 0, ~0ull - k4K + 1, kPteRead).error(), MapError::kNotCanonical);
    // Both ends canonical, one in each half: refused too.
    EXPECT_EQ(table_.map((1ull << 38) - k4K, 0, k4K + (~0ull << 38) - (1ull << 38) + k4K, kPteRead)
                  .error(),
              MapError::kNotCanonical);
}

TEST_F(PageTableTest, SplittingAGigaPageLeavesEveryAddressWhereItWas) {
    const uint64_t base = 0x80000000;
    ASSERT_TRUE(table_.map(base, base, k1G, kPteRead | kPteWrite | kPteGlobal).ok());
    const uint64_t page = base + 0x12345000;
    ASSERT_TRUE(table_.split(page).ok());  // 1 GiB to 2 MiB to 4 KiB around `page`
    const Walk w = table_.walk(page + 7);
    EXPECT_EQ(w.page_size, k4K);
    EXPECT_EQ(w.physical, page + 7);
    EXPECT_EQ(w.flags, kPteValid | kPteRead | kPteWrite | kPteGlobal | kPteAccessed | kPteDirty);
    EXPECT_EQ(table_.walk(base + 5).page_size, k2M);  // the rest stays as large as it can
    EXPECT_EQ(table_.walk(base + k1G - 1).physical, base + k1G - 1);
    EXPECT_EQ(table_.leaves(2), 0u);
    EXPECT_EQ(table_.leaves(1), 511u);
    EXPECT_EQ(table_.leaves(0), 512u);
    // Now one page of it can go: a guard page.
    ASSERT_TRUE(table_.unmap(page, k4K).ok());
    EXPECT_FALSE(table_.walk(page).mapped);
    EXPECT_TRUE(table_.walk(page - k4K).mapped);
    EXPECT_TRUE(table_.walk(page + k4K).mapped);
    EXPECT_TRUE(table_.split(page - k4K).ok());  // already small: nothing to do
    EXPECT_EQ(table_.split(page).error(), MapError::kNotMapped);
}

TEST_F(PageTableTest, RunningOutOfTablePagesIsAnError) {
    used_ = kTablePages;  // nothing left
    EXPECT_EQ(table_.map(0x1000, 0x1000, k4K, kPteRead).error(), MapError::kNoMemory);
}

}  // namespace
}  // namespace keel::mm
