// SPDX-License-Identifier: MIT
// RegionList's holds on the objects its regions name (a mapped file, in the kernel): one hold per
// region naming an object, however the regions are split, merged, removed, copied or cleared;
// holds before drops within a change, so that an object the change keeps never drops to none;
// and nothing held or dropped by a change that fails.
#include <gtest/gtest.h>
#include <keel/mm/regions.h>

#include "regions_model.h"

namespace keel::mm {
namespace {

using test::anonymous;
using test::file;
using test::holds_disagree;
using test::kPage;
using test::kRead;
using test::kReadWrite;
using test::TestStorage;

constexpr uint64_t kFile = 7;
constexpr uint64_t kOther = 9;

class RegionHoldsTest : public ::testing::Test {
protected:
    void TearDown() override { EXPECT_EQ(holds_disagree(storage_, list_), ""); }

    long holds(uint64_t object) { return storage_.holds[object]; }
    bool dropped_to_none(uint64_t object) const {
        for (const uint64_t dropped : storage_.dropped_to_none) {
            if (dropped == object) return true;
        }
        return false;
    }

    TestStorage storage_;
    RegionList list_{storage_.source()};
};

TEST_F(RegionHoldsTest, InsertingAFileRegionHoldsItsObject) {
    ASSERT_TRUE(list_.insert(file(10, 14, kFile, 0)).ok());
    EXPECT_EQ(holds(kFile), 1);
}

TEST_F(RegionHoldsTest, AnonymousRegionsHoldNothing) {
    ASSERT_TRUE(list_.insert(anonymous(10, 14)).ok());
    EXPECT_TRUE(storage_.holds.empty());
}

TEST_F(RegionHoldsTest, RemovingTheMiddleSplitsTheRegionAndHoldsOnceMore) {
    ASSERT_TRUE(list_.insert(file(10, 14, kFile, 0)).ok());
    ASSERT_TRUE(list_.remove(11 * kPage, 12 * kPage).ok());
    EXPECT_EQ(list_.count(), 2u);
    EXPECT_EQ(holds(kFile), 2);
    EXPECT_FALSE(dropped_to_none(kFile));
}

TEST_F(RegionHoldsTest, RemovingTheLastRegionDropsTheObjectToNone) {
    ASSERT_TRUE(list_.insert(file(10, 14, kFile, 0)).ok());
    ASSERT_TRUE(list_.remove(0, 20 * kPage).ok());
    EXPECT_EQ(holds(kFile), 0);
    EXPECT_TRUE(dropped_to_none(kFile));
}

TEST_F(RegionHoldsTest, MergingWithBothNeighboursLeavesOneHold) {
    ASSERT_TRUE(list_.insert(file(10, 11, kFile, 0)).ok());
    ASSERT_TRUE(list_.insert(file(12, 13, kFile, 2)).ok());
    ASSERT_TRUE(list_.insert(file(11, 12, kFile, 1)).ok());
    EXPECT_EQ(list_.count(), 1u);
    EXPECT_EQ(holds(kFile), 1);
    EXPECT_FALSE(dropped_to_none(kFile));
}

TEST_F(RegionHoldsTest, ProtectingThePieceSplitsAndProtectingBackMerges) {
    ASSERT_TRUE(list_.insert(file(10, 16, kFile, 0)).ok());
    ASSERT_TRUE(list_.protect(12 * kPage, 14 * kPage, kReadWrite).ok());
    EXPECT_EQ(list_.count(), 3u);
    EXPECT_EQ(holds(kFile), 3);
    ASSERT_TRUE(list_.protect(10 * kPage, 16 * kPage, kRead).ok());
    EXPECT_EQ(list_.count(), 1u);
    EXPECT_EQ(holds(kFile), 1);
    EXPECT_FALSE(dropped_to_none(kFile));
}

TEST_F(RegionHoldsTest, EachObjectIsHeldForItsOwnRegions) {
    ASSERT_TRUE(list_.insert(file(10, 12, kFile, 0)).ok());
    ASSERT_TRUE(list_.insert(file(12, 14, kOther, 2)).ok());  // touches, but another object
    EXPECT_EQ(list_.count(), 2u);
    EXPECT_EQ(holds(kFile), 1);
    EXPECT_EQ(holds(kOther), 1);
    ASSERT_TRUE(list_.remove(12 * kPage, 14 * kPage).ok());
    EXPECT_EQ(holds(kFile), 1);
    EXPECT_TRUE(dropped_to_none(kOther));
}

TEST_F(RegionHoldsTest, ACopyHoldsEveryObjectAgainAndItsClearDropsThem) {
    ASSERT_TRUE(list_.insert(file(10, 12, kFile, 0)).ok());
    ASSERT_TRUE(list_.insert(file(20, 22, kFile, 8)).ok());
    TestStorage other_storage;
    RegionList copy(other_storage.source());
    ASSERT_TRUE(copy.copy_from(list_).ok());
    EXPECT_EQ(other_storage.holds[kFile], 2);
    copy.clear();
    EXPECT_EQ(other_storage.holds[kFile], 0);
    EXPECT_EQ(holds(kFile), 2);
}

TEST_F(RegionHoldsTest, CopyingOverAListDropsWhatItNamedBefore) {
    ASSERT_TRUE(list_.insert(file(10, 12, kFile, 0)).ok());
    RegionList source(storage_.source());
    ASSERT_TRUE(source.insert(file(30, 31, kOther, 0)).ok());
    ASSERT_TRUE(list_.copy_from(source).ok());
    EXPECT_EQ(holds(kFile), 0);
    EXPECT_EQ(holds(kOther), 2);  // the source's region and the copy's
    source.clear();
}

TEST_F(RegionHoldsTest, AFailedChangeNeitherHoldsNorDrops) {
    // A full block (regions a page apart, then one of four pages): a split needs a larger block,
    // which the storage refuses.
    const size_t per_page = kPage / sizeof(Region);
    for (size_t i = 0; i + 1 < per_page; ++i)
        ASSERT_TRUE(list_.insert(file(2 * i, 2 * i + 1, kFile, 2 * i)).ok());
    ASSERT_TRUE(list_.insert(file(1000, 1004, kFile, 1000)).ok());
    storage_.refusing = true;
    EXPECT_EQ(list_.protect(1001 * kPage, 1002 * kPage, kReadWrite).error(),
              RegionError::kNoMemory);
    EXPECT_EQ(list_.remove(1001 * kPage, 1002 * kPage).error(), RegionError::kNoMemory);
    EXPECT_EQ(list_.insert(file(2000, 2001, kOther, 0)).error(), RegionError::kNoMemory);
    storage_.refusing = false;
    EXPECT_EQ(holds(kFile), static_cast<long>(per_page));
    EXPECT_EQ(holds(kOther), 0);
}

TEST_F(RegionHoldsTest, DestroyingTheListDropsEverything) {
    TestStorage storage;
    {
        RegionList list(storage.source());
        ASSERT_TRUE(list.insert(file(10, 12, kFile, 0)).ok());
        ASSERT_TRUE(list.insert(file(14, 15, kOther, 0)).ok());
    }
    EXPECT_EQ(storage.holds[kFile], 0);
    EXPECT_EQ(storage.holds[kOther], 0);
}

}  // namespace
}  // namespace keel::mm
