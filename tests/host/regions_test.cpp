// SPDX-License-Identifier: MIT
// RegionList: a process's regions kept sorted and merged, split by remove and protect, refused
// cleanly (nothing changes) for bad arguments, overlaps, holes, the limit and a storage that says
// no; copied and cleared. The free-range search and the model test have files of their own.
#include <gtest/gtest.h>
#include <keel/mm/regions.h>

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "regions_model.h"

namespace keel::mm {

void PrintTo(const Region& r, std::ostream* out) {
    *out << std::hex << "[" << r.start << ", " << r.end << ") prot " << r.protection << " flags "
         << r.flags << " object " << r.object << " offset " << r.offset;
}

namespace {

using test::anonymous;
using test::file;
using test::kPage;
using test::kRead;
using test::kReadExec;
using test::kReadWrite;
using test::TestStorage;

class RegionListTest : public ::testing::Test {
protected:
    void TearDown() override {
        EXPECT_TRUE(list_.check());
        EXPECT_EQ(storage_.misuses, 0u);
    }

    std::vector<Region> contents() const { return {list_.begin(), list_.end()}; }
    void insert_all(std::initializer_list<Region> regions) {
        for (const Region& r : regions) ASSERT_TRUE(list_.insert(r).ok());
    }
    // One region fewer than a page of storage holds, each a page with a hole after it, from
    // `first_page` up: the next region that does not merge needs a larger block.
    void fill_a_block_but_one(uint64_t first_page) {
        const size_t per_page = kPage / sizeof(Region);
        for (size_t i = list_.count(); i + 1 < per_page; ++i)
            ASSERT_TRUE(list_.insert(anonymous(first_page + 2 * i, first_page + 2 * i + 1)).ok());
    }

    TestStorage storage_;
    RegionList list_{storage_.source()};
};

TEST_F(RegionListTest, AnEmptyListHoldsNoBlock) {
    EXPECT_EQ(list_.count(), 0u);
    EXPECT_EQ(list_.begin(), list_.end());
    EXPECT_EQ(list_.find(0), nullptr);
    EXPECT_EQ(storage_.allocations, 0u);
}

TEST_F(RegionListTest, InsertKeepsRegionsSortedByStart) {
    insert_all({anonymous(8, 10), anonymous(1, 3, kRead), anonymous(4, 6, kReadExec)});
    EXPECT_EQ(contents(),
              (std::vector{anonymous(1, 3, kRead), anonymous(4, 6, kReadExec), anonymous(8, 10)}));
}

TEST_F(RegionListTest, IterationVisitsRegionsInAddressOrder) {
    insert_all({anonymous(5, 6), anonymous(1, 2), anonymous(3, 4)});
    size_t index = 0;
    for (const Region& r : list_) EXPECT_EQ(&r, &list_.at(index++));
    EXPECT_EQ(index, 3u);
    EXPECT_LT(list_.at(0).start, list_.at(1).start);
    EXPECT_LT(list_.at(1).start, list_.at(2).start);
}

TEST_F(RegionListTest, InsertRefusesAnOverlapAndChangesNothing) {
    insert_all({anonymous(2, 6)});
    for (const Region& r : {anonymous(5, 8), anonymous(0, 3), anonymous(3, 4), anonymous(0, 10),
                            anonymous(2, 6, kRead)}) {
        const auto result = list_.insert(r);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error(), RegionError::kOverlap);
    }
    EXPECT_EQ(contents(), std::vector{anonymous(2, 6)});
}

TEST_F(RegionListTest, InsertRefusesUnalignedAddressesAndOffsets) {
    for (const Region& r : {Region{1, kPage, kRead, 0, 0, 0}, Region{0, kPage + 8, kRead, 0, 0, 0},
                            Region{0, kPage, kRead, 0, 1, 12}})
        EXPECT_EQ(list_.insert(r).error(), RegionError::kNotAligned);
    EXPECT_EQ(list_.count(), 0u);
    EXPECT_EQ(storage_.allocations, 0u);
}

TEST_F(RegionListTest, InsertRefusesEmptyAndWrappingRanges) {
    EXPECT_EQ(list_.insert(anonymous(3, 3)).error(), RegionError::kBadRange);
    EXPECT_EQ(list_.insert(anonymous(4, 3)).error(), RegionError::kBadRange);
    EXPECT_EQ(list_.count(), 0u);
}

TEST_F(RegionListTest, InsertRefusesAFileOffsetThatWraps) {
    const Region r{0, 2 * kPage, kRead, 0, 1, ~uint64_t{0} - kPage + 1};  // its last page wraps
    EXPECT_EQ(list_.insert(r).error(), RegionError::kBadRange);
    EXPECT_EQ(list_.count(), 0u);
}

TEST_F(RegionListTest, InsertRefusesUnknownProtectionOrFlags) {
    EXPECT_EQ(list_.insert(anonymous(0, 1, 8)).error(), RegionError::kBadAttributes);
    EXPECT_EQ(list_.insert(anonymous(0, 1, kRead, 1u << 20)).error(), RegionError::kBadAttributes);
    EXPECT_EQ(list_.count(), 0u);
}

TEST_F(RegionListTest, NeighboursWithEqualAttributesMerge) {
    insert_all({anonymous(1, 3), anonymous(3, 5)});
    EXPECT_EQ(contents(), std::vector{anonymous(1, 5)});
}

TEST_F(RegionListTest, InsertIntoAHoleMergesWithBothNeighbours) {
    insert_all({anonymous(1, 3), anonymous(5, 7), anonymous(3, 5)});
    EXPECT_EQ(contents(), std::vector{anonymous(1, 7)});
}

TEST_F(RegionListTest, NeighboursDifferingInProtectionFlagsOrObjectStayApart) {
    insert_all({anonymous(1, 2, kRead), anonymous(2, 3, kReadWrite),
                anonymous(3, 4, kReadWrite, kRegionHeap), file(4, 5, 9, 0, kReadWrite)});
    EXPECT_EQ(list_.count(), 4u);
}

TEST_F(RegionListTest, FileRegionsMergeOnlyWhenTheirOffsetsFollowOn) {
    insert_all({file(1, 3, 7, 10), file(3, 4, 7, 12), file(4, 5, 7, 20)});
    EXPECT_EQ(contents(), (std::vector{file(1, 4, 7, 10), file(4, 5, 7, 20)}));
}

TEST_F(RegionListTest, AnonymousRegionsKeepNoOffset) {
    Region r = anonymous(1, 2);
    r.offset = 5 * kPage;
    insert_all({r});
    EXPECT_EQ(list_.at(0).offset, 0u);
}

TEST_F(RegionListTest, FindReturnsTheRegionHoldingAnAddress) {
    insert_all({anonymous(2, 4)});
    EXPECT_EQ(list_.find(2 * kPage), &list_.at(0));
    EXPECT_EQ(list_.find(4 * kPage - 1), &list_.at(0));
    EXPECT_EQ(list_.find(4 * kPage), nullptr);
    EXPECT_EQ(list_.find(2 * kPage - 1), nullptr);
    EXPECT_EQ(list_.find(0), nullptr);
}

TEST_F(RegionListTest, NextFromGivesTheRegionHoldingTheAddressOrTheFirstAbove) {
    insert_all({anonymous(2, 4), anonymous(6, 8)});
    EXPECT_EQ(list_.next_from(0), &list_.at(0));
    EXPECT_EQ(list_.next_from(3 * kPage), &list_.at(0));
    EXPECT_EQ(list_.next_from(4 * kPage), &list_.at(1));
    EXPECT_EQ(list_.next_from(8 * kPage), nullptr);
}

TEST_F(RegionListTest, PreviousBeforeGivesTheLastRegionStartingBelow) {
    insert_all({anonymous(2, 4), anonymous(6, 8)});
    EXPECT_EQ(list_.previous_before(2 * kPage), nullptr);
    EXPECT_EQ(list_.previous_before(2 * kPage + 1), &list_.at(0));
    EXPECT_EQ(list_.previous_before(6 * kPage), &list_.at(0));
    EXPECT_EQ(list_.previous_before(7 * kPage), &list_.at(1));
    EXPECT_EQ(list_.previous_before(100 * kPage), &list_.at(1));
}

TEST_F(RegionListTest, IsFreeSeesAnyIntersection) {
    insert_all({anonymous(2, 4)});
    EXPECT_TRUE(list_.is_free(0, 2 * kPage));
    EXPECT_TRUE(list_.is_free(4 * kPage, 5 * kPage));
    EXPECT_FALSE(list_.is_free(3 * kPage, 5 * kPage));
    EXPECT_FALSE(list_.is_free(0, 10 * kPage));
    EXPECT_FALSE(list_.is_free(kPage, 2 * kPage + 1));
    EXPECT_TRUE(list_.is_free(3 * kPage, 3 * kPage));  // an empty range
}

TEST_F(RegionListTest, RemoveInTheMiddleSplitsARegion) {
    insert_all({anonymous(1, 9)});
    ASSERT_TRUE(list_.remove(3 * kPage, 5 * kPage).ok());
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 3), anonymous(5, 9)}));
}

TEST_F(RegionListTest, RemoveAcrossRegionsAndHolesTrimsTheEnds) {
    insert_all({anonymous(1, 3, kRead), anonymous(4, 6), anonymous(7, 9, kRead)});
    ASSERT_TRUE(list_.remove(2 * kPage, 8 * kPage).ok());
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 2, kRead), anonymous(8, 9, kRead)}));
}

TEST_F(RegionListTest, RemoveFromTheStartOfAFileRegionMovesItsOffset) {
    insert_all({file(2, 6, 3, 0)});
    ASSERT_TRUE(list_.remove(2 * kPage, 4 * kPage).ok());
    EXPECT_EQ(contents(), std::vector{file(4, 6, 3, 2)});
}

TEST_F(RegionListTest, RemoveWhereNothingIsMappedSucceedsAndChangesNothing) {
    insert_all({anonymous(1, 2), anonymous(5, 6)});
    ASSERT_TRUE(list_.remove(2 * kPage, 5 * kPage).ok());
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 2), anonymous(5, 6)}));
}

TEST_F(RegionListTest, RemoveRefusesUnalignedOrEmptyRanges) {
    insert_all({anonymous(1, 4)});
    EXPECT_EQ(list_.remove(kPage + 1, 2 * kPage).error(), RegionError::kNotAligned);
    EXPECT_EQ(list_.remove(2 * kPage, 2 * kPage).error(), RegionError::kBadRange);
    EXPECT_EQ(list_.remove(3 * kPage, 2 * kPage).error(), RegionError::kBadRange);
    EXPECT_EQ(contents(), std::vector{anonymous(1, 4)});
}

TEST_F(RegionListTest, RemovingEveryRegionGivesTheBlockBack) {
    insert_all({anonymous(1, 2), anonymous(3, 4)});
    EXPECT_EQ(storage_.live_blocks(), 1u);
    ASSERT_TRUE(list_.remove(0, 10 * kPage).ok());
    EXPECT_EQ(list_.count(), 0u);
    EXPECT_EQ(storage_.live_blocks(), 0u);
}

TEST_F(RegionListTest, ProtectInTheMiddleSplitsARegionInThree) {
    insert_all({anonymous(1, 9)});
    ASSERT_TRUE(list_.protect(3 * kPage, 5 * kPage, kRead).ok());
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 3), anonymous(3, 5, kRead), anonymous(5, 9)}));
}

TEST_F(RegionListTest, ProtectOverAHoleChangesNothing) {
    insert_all({anonymous(1, 3), anonymous(4, 6)});
    EXPECT_EQ(list_.protect(2 * kPage, 5 * kPage, kRead).error(), RegionError::kNotMapped);
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 3), anonymous(4, 6)}));
}

TEST_F(RegionListTest, ProtectPastEitherEndOfTheRegionsChangesNothing) {
    insert_all({anonymous(1, 3)});
    EXPECT_EQ(list_.protect(0, 2 * kPage, kRead).error(), RegionError::kNotMapped);
    EXPECT_EQ(list_.protect(2 * kPage, 4 * kPage, kRead).error(), RegionError::kNotMapped);
    EXPECT_EQ(list_.protect(5 * kPage, 6 * kPage, kRead).error(), RegionError::kNotMapped);
    EXPECT_EQ(contents(), std::vector{anonymous(1, 3)});
}

TEST_F(RegionListTest, ProtectMergesNeighboursThatBecomeAlike) {
    insert_all({anonymous(1, 3, kRead), anonymous(3, 5), anonymous(5, 7, kRead)});
    ASSERT_TRUE(list_.protect(3 * kPage, 5 * kPage, kRead).ok());
    EXPECT_EQ(contents(), std::vector{anonymous(1, 7, kRead)});
}

TEST_F(RegionListTest, ProtectAcrossRegionsSetsEveryPieceButKeepsTheirFlags) {
    insert_all({anonymous(1, 3, kRead), anonymous(3, 5, kRead, kRegionHeap)});
    ASSERT_TRUE(list_.protect(2 * kPage, 4 * kPage, kReadWrite).ok());
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 2, kRead), anonymous(2, 3, kReadWrite),
                                       anonymous(3, 4, kReadWrite, kRegionHeap),
                                       anonymous(4, 5, kRead, kRegionHeap)}));
}

TEST_F(RegionListTest, ProtectToTheProtectionARegionHasSplitsNothing) {
    insert_all({anonymous(1, 9)});
    ASSERT_TRUE(list_.protect(3 * kPage, 5 * kPage, kReadWrite).ok());
    EXPECT_EQ(contents(), std::vector{anonymous(1, 9)});
}

TEST_F(RegionListTest, ProtectKeepsEachPieceOfAFileAtItsOwnOffset) {
    insert_all({file(1, 5, 4, 10)});
    ASSERT_TRUE(list_.protect(2 * kPage, 3 * kPage, kProtRead | kProtExec).ok());
    EXPECT_EQ(contents(),
              (std::vector{file(1, 2, 4, 10), file(2, 3, 4, 11, kReadExec), file(3, 5, 4, 12)}));
}

TEST_F(RegionListTest, ProtectRefusesUnknownProtectionBits) {
    insert_all({anonymous(1, 3)});
    EXPECT_EQ(list_.protect(kPage, 2 * kPage, 16).error(), RegionError::kBadAttributes);
    EXPECT_EQ(contents(), std::vector{anonymous(1, 3)});
}

TEST_F(RegionListTest, ProtectToNoneIsARegionOfItsOwn) {
    insert_all({anonymous(1, 4)});
    ASSERT_TRUE(list_.protect(kPage, 2 * kPage, 0).ok());  // PROT_NONE: a guard page
    EXPECT_EQ(contents(), (std::vector{anonymous(1, 2, 0), anonymous(2, 4)}));
}

TEST_F(RegionListTest, GrowsPastOnePageOfStorage) {
    fill_a_block_but_one(0);
    ASSERT_TRUE(list_.insert(anonymous(1000, 1001)).ok());  // a block's worth: still one page
    EXPECT_EQ(storage_.live_order(), 0u);
    ASSERT_TRUE(list_.insert(anonymous(1002, 1003)).ok());
    EXPECT_EQ(storage_.live_order(), 1u);  // doubled, and the first page given back
    EXPECT_EQ(storage_.live_blocks(), 1u);
    EXPECT_EQ(list_.count(), kPage / sizeof(Region) + 1);
    EXPECT_EQ(list_.find(1002 * kPage)->start, 1002 * kPage);
    EXPECT_EQ(list_.find(0)->end, kPage);
}

TEST_F(RegionListTest, FailedSplitForWantOfMemoryChangesNothing) {
    insert_all({anonymous(0, 3)});
    fill_a_block_but_one(10);
    ASSERT_TRUE(list_.insert(anonymous(1000, 1001)).ok());  // the block is full now
    const auto before = contents();
    storage_.refusing = true;
    EXPECT_EQ(list_.remove(kPage, 2 * kPage).error(), RegionError::kNoMemory);
    EXPECT_EQ(contents(), before);
    storage_.refusing = false;
    EXPECT_TRUE(list_.remove(kPage, 2 * kPage).ok());
    EXPECT_EQ(list_.count(), before.size() + 1);
}

TEST_F(RegionListTest, FailedProtectForWantOfMemoryChangesNothing) {
    insert_all({anonymous(0, 3)});
    fill_a_block_but_one(10);
    ASSERT_TRUE(list_.insert(anonymous(1000, 1001)).ok());
    const auto before = contents();
    storage_.refusing = true;
    EXPECT_EQ(list_.protect(kPage, 2 * kPage, kRead).error(), RegionError::kNoMemory);
    EXPECT_EQ(contents(), before);
}

TEST_F(RegionListTest, ProtectThatSplitsOneRegionAndMergesAnotherNeedsNoMoreRoom) {
    insert_all({anonymous(0, 2, kRead), anonymous(2, 4)});
    fill_a_block_but_one(10);
    ASSERT_TRUE(list_.insert(anonymous(1000, 1001)).ok());
    const size_t full = list_.count();
    storage_.refusing = true;
    ASSERT_TRUE(list_.protect(2 * kPage, 3 * kPage, kRead).ok());
    EXPECT_EQ(list_.at(0), anonymous(0, 3, kRead));
    EXPECT_EQ(list_.at(1), anonymous(3, 4));
    EXPECT_EQ(list_.count(), full);
}

TEST_F(RegionListTest, RefusesPastMaxRegions) {
    // Three-page regions with a page between them, up to the limit.
    for (uint64_t i = 0; i < RegionList::kMaxRegions; ++i)
        ASSERT_TRUE(list_.insert(anonymous(4 * i, 4 * i + 3)).ok()) << i;
    EXPECT_LE(storage_.live_order(), 10u);
    const auto too_many = list_.insert(anonymous(4 * RegionList::kMaxRegions, 1 << 20));
    EXPECT_EQ(too_many.error(), RegionError::kTooMany);
    EXPECT_EQ(list_.remove(kPage, 2 * kPage).error(), RegionError::kTooMany);  // a split
    EXPECT_EQ(list_.protect(kPage, 2 * kPage, kRead).error(), RegionError::kTooMany);
    EXPECT_EQ(list_.count(), RegionList::kMaxRegions);
    EXPECT_EQ(list_.at(0), anonymous(0, 3));
}

TEST_F(RegionListTest, AtItsLimitAListStillMergesAndShrinks) {
    RegionList small(storage_.source(), 2);
    ASSERT_TRUE(small.insert(anonymous(0, 1)).ok());
    ASSERT_TRUE(small.insert(anonymous(2, 5)).ok());
    EXPECT_EQ(small.insert(anonymous(6, 7)).error(), RegionError::kTooMany);
    EXPECT_TRUE(small.insert(anonymous(1, 2)).ok());   // fills the hole: one region
    EXPECT_TRUE(small.remove(kPage, 2 * kPage).ok());  // back to two
    EXPECT_EQ(small.remove(3 * kPage, 4 * kPage).error(), RegionError::kTooMany);
    EXPECT_EQ(small.count(), 2u);
    EXPECT_TRUE(small.check());
}

TEST_F(RegionListTest, ADefaultListHoldsNothing) {
    RegionList nothing;
    EXPECT_FALSE(nothing.insert(anonymous(0, 1)).ok());
    EXPECT_EQ(nothing.count(), 0u);
    EXPECT_TRUE(nothing.check());
}

TEST_F(RegionListTest, CopyFromMakesAnIndependentCopy) {
    insert_all({anonymous(1, 3), file(4, 6, 2, 0), anonymous(8, 9, kRead)});
    TestStorage other_storage;
    RegionList copy(other_storage.source());
    ASSERT_TRUE(copy.copy_from(list_).ok());
    const std::vector<Region> copied(copy.begin(), copy.end());
    EXPECT_EQ(copied, contents());
    ASSERT_TRUE(list_.remove(0, 10 * kPage).ok());
    EXPECT_EQ(std::vector<Region>(copy.begin(), copy.end()), copied);
    EXPECT_TRUE(copy.check());
}

TEST_F(RegionListTest, FailedCopyLeavesTheListAsItWas) {
    fill_a_block_but_one(0);
    insert_all({anonymous(1000, 1001), anonymous(1002, 1003)});  // more than a page holds
    TestStorage other_storage;
    RegionList copy(other_storage.source());
    ASSERT_TRUE(copy.insert(anonymous(5000, 5001)).ok());
    other_storage.refusing = true;
    EXPECT_EQ(copy.copy_from(list_).error(), RegionError::kNoMemory);
    EXPECT_EQ(std::vector<Region>(copy.begin(), copy.end()), std::vector{anonymous(5000, 5001)});
}

TEST_F(RegionListTest, CopyOfAnEmptyListEmptiesThisOne) {
    insert_all({anonymous(1, 3)});
    const RegionList empty(storage_.source());
    ASSERT_TRUE(list_.copy_from(empty).ok());
    EXPECT_EQ(list_.count(), 0u);
    EXPECT_EQ(storage_.live_blocks(), 0u);
}

TEST_F(RegionListTest, ClearGivesTheBlockBack) {
    insert_all({anonymous(1, 3), anonymous(5, 6)});
    list_.clear();
    EXPECT_EQ(list_.count(), 0u);
    EXPECT_EQ(storage_.live_blocks(), 0u);
}

TEST_F(RegionListTest, SwapTradesRegionsAndBlocks) {
    insert_all({anonymous(1, 3)});
    RegionList other(storage_.source());
    ASSERT_TRUE(other.insert(anonymous(7, 9)).ok());
    list_.swap(other);
    EXPECT_EQ(contents(), (std::vector<Region>{anonymous(7, 9)}));
    EXPECT_EQ(other.count(), 1u);
    EXPECT_EQ(other.at(0), anonymous(1, 3));
    EXPECT_EQ(list_.block_pages(), 1u);
    other.clear();
    EXPECT_EQ(storage_.live_blocks(), 1u);  // list_'s, which it took from other
}

TEST_F(RegionListTest, DestroyingAListGivesTheBlockBack) {
    {
        RegionList scoped(storage_.source());
        ASSERT_TRUE(scoped.insert(anonymous(1, 3)).ok());
        EXPECT_EQ(storage_.live_blocks(), 1u);
    }
    EXPECT_EQ(storage_.live_blocks(), 0u);
}

TEST(RegionErrorTest, EveryErrorHasItsOwnName) {
    std::set<std::string> names;
    for (auto error : {RegionError::kNotAligned, RegionError::kBadRange,
                       RegionError::kBadAttributes, RegionError::kOverlap, RegionError::kNotMapped,
                       RegionError::kNoMemory, RegionError::kTooMany, RegionError::kNoSpace})
        names.insert(region_error_name(error));
    EXPECT_EQ(names.size(), 8u);
    EXPECT_EQ(names.count("?"), 0u);
}

}  // namespace
}  // namespace keel::mm
