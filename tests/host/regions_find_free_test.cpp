// SPDX-License-Identifier: MIT
// RegionList::find_free_top_down: the highest free range of a size between two bounds, kept a guard
// gap under a stack (a region that grows down) as Linux's stack_guard_gap, and its refusals.
#include <gtest/gtest.h>
#include <keel/mm/regions.h>

#include "regions_model.h"

namespace keel::mm {
namespace {

using test::anonymous;
using test::kPage;
using test::kReadWrite;

class RegionFindFreeTest : public ::testing::Test {
protected:
    void insert_all(std::initializer_list<Region> regions) {
        for (const Region& r : regions) ASSERT_TRUE(list_.insert(r).ok());
    }

    test::TestStorage storage_;
    RegionList list_{storage_.source()};
};

TEST_F(RegionFindFreeTest, OnAnEmptyListTakesTheTop) {
    EXPECT_EQ(list_.find_free_top_down(2 * kPage, 0, 100 * kPage, 0).value(), 98 * kPage);
}

TEST_F(RegionFindFreeTest, TakesTheHighestGapThatFits) {
    insert_all({anonymous(10, 12), anonymous(14, 20)});
    EXPECT_EQ(list_.find_free_top_down(2 * kPage, 0, 20 * kPage, 0).value(), 12 * kPage);
    EXPECT_EQ(list_.find_free_top_down(3 * kPage, 0, 20 * kPage, 0).value(), 7 * kPage);
}

TEST_F(RegionFindFreeTest, KeepsTheGuardGapUnderAGrowsDownRegion) {
    insert_all({anonymous(16, 20, kReadWrite, kRegionGrowsDown)});
    EXPECT_EQ(list_.find_free_top_down(2 * kPage, 0, 16 * kPage, 4 * kPage).value(), 10 * kPage);
}

TEST_F(RegionFindFreeTest, KeepsNoGuardUnderAnOrdinaryRegion) {
    insert_all({anonymous(16, 20)});
    EXPECT_EQ(list_.find_free_top_down(2 * kPage, 0, 16 * kPage, 4 * kPage).value(), 14 * kPage);
}

TEST_F(RegionFindFreeTest, KeepsTheGuardUnderAStackAboveHigh) {
    insert_all({anonymous(20, 24, kReadWrite, kRegionGrowsDown)});
    EXPECT_EQ(list_.find_free_top_down(kPage, 0, 18 * kPage, 4 * kPage).value(), 15 * kPage);
}

TEST_F(RegionFindFreeTest, GuardsOnlyUnderTheNextRegionUp) {
    // As Linux: a mapping already sits in the stack's gap, so the stack cannot grow past it.
    insert_all({anonymous(12, 13), anonymous(13, 20, kReadWrite, kRegionGrowsDown)});
    EXPECT_EQ(list_.find_free_top_down(kPage, 0, 12 * kPage, 8 * kPage).value(), 11 * kPage);
}

TEST_F(RegionFindFreeTest, SurvivesAGuardLargerThanTheStacksAddress) {
    insert_all({anonymous(1, 2, kReadWrite, kRegionGrowsDown)});
    EXPECT_EQ(list_.find_free_top_down(kPage, 0, kPage, 4 * kPage).error(), RegionError::kNoSpace);
}

TEST_F(RegionFindFreeTest, StaysInsideLowAndHigh) {
    insert_all({anonymous(0, 2), anonymous(9, 10)});
    EXPECT_EQ(list_.find_free_top_down(2 * kPage, 4 * kPage, 8 * kPage, 0).value(), 6 * kPage);
    EXPECT_EQ(list_.find_free_top_down(4 * kPage, 4 * kPage, 8 * kPage, 0).value(), 4 * kPage);
    EXPECT_EQ(list_.find_free_top_down(5 * kPage, 4 * kPage, 8 * kPage, 0).error(),
              RegionError::kNoSpace);
}

TEST_F(RegionFindFreeTest, ReportsNoSpaceWhenEverythingIsMapped) {
    insert_all({anonymous(0, 10)});
    EXPECT_EQ(list_.find_free_top_down(kPage, 0, 10 * kPage, 0).error(), RegionError::kNoSpace);
}

TEST_F(RegionFindFreeTest, RefusesBadArguments) {
    EXPECT_EQ(list_.find_free_top_down(100, 0, kPage, 0).error(), RegionError::kNotAligned);
    EXPECT_EQ(list_.find_free_top_down(kPage, 0, kPage, 1).error(), RegionError::kNotAligned);
    EXPECT_EQ(list_.find_free_top_down(0, 0, kPage, 0).error(), RegionError::kBadRange);
    EXPECT_EQ(list_.find_free_top_down(kPage, kPage, kPage, 0).error(), RegionError::kBadRange);
}

}  // namespace
}  // namespace keel::mm
