// SPDX-License-Identifier: MIT
// PageIndex with tables from aligned_alloc reached through an offset, as the kernel reaches them
// through the direct map: values set, read, taken, truncated and visited; only the tables values
// need, each given back as it empties; running out changing nothing; and thousands of random
// operations against a std::map model, the table count worked out from the model's keys.
#include <gtest/gtest.h>
#include <keel/mm/page_index.h>
#include <stdlib.h>
#include <string.h>

#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace keel::mm {
namespace {

constexpr uint64_t kPage = 4096;
// Physical addresses are host addresses minus this, so that the offset is not 0 and a table
// reached without it would fault under AddressSanitizer.
constexpr uintptr_t kOffset = 0x10000000;

// Tables as the page allocator gives them: zeroed pages, by physical address. Refuses once
// `left` reaches 0 (when not negative); a release of a page it never gave is a misuse.
class TestTables {
public:
    TestTables() = default;
    TestTables(const TestTables&) = delete;
    TestTables& operator=(const TestTables&) = delete;
    ~TestTables() {
        for (uint64_t physical : live_) ::free(reinterpret_cast<void*>(physical + kOffset));
    }

    PageSource source() { return PageSource{&allocate, this, &release}; }
    size_t live() const { return live_.size(); }

    long left = -1;  // tables it will still give; -1: no limit
    size_t misuses = 0;

private:
    static uint64_t allocate(void* context) {
        auto* self = static_cast<TestTables*>(context);
        if (self->left == 0) return 0;
        if (self->left > 0) --self->left;
        void* page = aligned_alloc(kPage, kPage);
        memset(page, 0, kPage);
        const uint64_t physical = reinterpret_cast<uintptr_t>(page) - kOffset;
        self->live_.insert(physical);
        return physical;
    }
    static void release(uint64_t physical, void* context) {
        auto* self = static_cast<TestTables*>(context);
        if (self->live_.erase(physical) == 0) {
            ++self->misuses;
            return;
        }
        ::free(reinterpret_cast<void*>(physical + kOffset));
    }

    std::set<uint64_t> live_;
};

using Values = std::vector<std::pair<uint64_t, uint64_t>>;

// Every (index, value) from `from` on, through for_each.
Values all_from(const PageIndex& index, uint64_t from) {
    Values seen;
    index.for_each(
        from,
        [](uint64_t at, uint64_t value, void* context) {
            static_cast<Values*>(context)->emplace_back(at, value);
            return true;
        },
        &seen);
    return seen;
}

void collect(uint64_t value, void* context) {
    static_cast<std::vector<uint64_t>*>(context)->push_back(value);
}

// The tables a set of indices needs: the root, one middle table per 2^18 indices in use and one
// last-level table per 2^9.
size_t tables_for(const std::map<uint64_t, uint64_t>& values) {
    std::set<uint64_t> middles;
    std::set<uint64_t> leaves;
    for (const auto& [at, value] : values) {
        middles.insert(at >> 18);
        leaves.insert(at >> 9);
    }
    return values.empty() ? 0 : 1 + middles.size() + leaves.size();
}

class PageIndexTest : public ::testing::Test {
protected:
    TestTables tables_;
    PageIndex index_{tables_.source(), kOffset};
};

TEST_F(PageIndexTest, AnEmptyIndexHoldsNothingAndNoTables) {
    EXPECT_EQ(index_.count(), 0u);
    EXPECT_EQ(index_.table_pages(), 0u);
    EXPECT_EQ(index_.get(0), 0u);
    EXPECT_EQ(index_.get(PageIndex::kLimit - 1), 0u);
    EXPECT_EQ(index_.take(5), 0u);
    EXPECT_TRUE(all_from(index_, 0).empty());
    index_.truncate(0, &collect, nullptr);  // nothing to release: collect is never called
    EXPECT_EQ(tables_.live(), 0u);
}

TEST_F(PageIndexTest, SetThenGet) {
    ASSERT_TRUE(index_.set(7, 0x80007000).ok());
    ASSERT_TRUE(index_.set(8, 0x80123000).ok());
    EXPECT_EQ(index_.get(7), 0x80007000u);
    EXPECT_EQ(index_.get(8), 0x80123000u);
    EXPECT_EQ(index_.get(6), 0u);
    EXPECT_EQ(index_.get(9), 0u);
    EXPECT_EQ(index_.count(), 2u);
    EXPECT_EQ(index_.table_pages(), 3u);  // the root, a middle table and a last-level table
}

TEST_F(PageIndexTest, SetReplacesNothing) {
    ASSERT_TRUE(index_.set(3, 111).ok());
    EXPECT_EQ(index_.set(3, 222).error(), PageIndexError::kOccupied);
    EXPECT_EQ(index_.get(3), 111u);
    EXPECT_EQ(index_.count(), 1u);
}

TEST_F(PageIndexTest, SetRefusesZeroAndIndicesBeyondTheLimit) {
    EXPECT_EQ(index_.set(1, 0).error(), PageIndexError::kZeroValue);
    EXPECT_EQ(index_.set(PageIndex::kLimit, 1).error(), PageIndexError::kOutOfRange);
    EXPECT_EQ(index_.set(~uint64_t{0}, 1).error(), PageIndexError::kOutOfRange);
    EXPECT_EQ(index_.table_pages(), 0u);
    ASSERT_TRUE(index_.set(PageIndex::kLimit - 1, 42).ok());  // the last page of 512 GiB
    EXPECT_EQ(index_.get(PageIndex::kLimit - 1), 42u);
    EXPECT_EQ(index_.get(PageIndex::kLimit), 0u);
}

TEST_F(PageIndexTest, SparseIndicesNeedOnlyTheirTables) {
    ASSERT_TRUE(index_.set(0, 1).ok());
    ASSERT_TRUE(index_.set(511, 2).ok());
    EXPECT_EQ(index_.table_pages(), 3u);
    ASSERT_TRUE(index_.set(512, 3).ok());  // a second last-level table
    EXPECT_EQ(index_.table_pages(), 4u);
    ASSERT_TRUE(index_.set(1 << 18, 4).ok());  // a second middle table and its last-level one
    EXPECT_EQ(index_.table_pages(), 6u);
    ASSERT_TRUE(index_.set(PageIndex::kLimit - 1, 5).ok());
    EXPECT_EQ(index_.table_pages(), 8u);
    EXPECT_EQ(tables_.live(), 8u);
}

TEST_F(PageIndexTest, TakeRemovesAndReturnsTheValue) {
    ASSERT_TRUE(index_.set(1000, 77).ok());
    ASSERT_TRUE(index_.set(1001, 78).ok());
    EXPECT_EQ(index_.take(1000), 77u);
    EXPECT_EQ(index_.get(1000), 0u);
    EXPECT_EQ(index_.take(1000), 0u);
    EXPECT_EQ(index_.get(1001), 78u);
    EXPECT_EQ(index_.count(), 1u);
    EXPECT_EQ(index_.table_pages(), 3u);  // 1001 still needs them all
}

TEST_F(PageIndexTest, TakingTheLastValueOfATableGivesTheTableBack) {
    ASSERT_TRUE(index_.set(5, 1).ok());
    ASSERT_TRUE(index_.set(600, 2).ok());  // a last-level table of its own
    ASSERT_TRUE(index_.set(1 << 20, 3).ok());
    EXPECT_EQ(index_.table_pages(), 6u);
    EXPECT_EQ(index_.take(600), 2u);
    EXPECT_EQ(index_.table_pages(), 5u);
    EXPECT_EQ(index_.take(1 << 20), 3u);  // its middle table goes too
    EXPECT_EQ(index_.table_pages(), 3u);
    EXPECT_EQ(index_.take(5), 1u);  // and the root with the last value
    EXPECT_EQ(index_.table_pages(), 0u);
    EXPECT_EQ(tables_.live(), 0u);
    EXPECT_EQ(tables_.misuses, 0u);
}

TEST_F(PageIndexTest, TruncateReleasesEveryValueFromAnIndexOnAndFreesEmptyTables) {
    for (uint64_t at : {3u, 511u, 512u, 513u, 1u << 18, (1u << 18) + 9})
        ASSERT_TRUE(index_.set(at, at + 100).ok());
    std::vector<uint64_t> released;
    index_.truncate(512, &collect, &released);
    const std::vector<uint64_t> expected = {612, 613, (1u << 18) + 100, (1u << 18) + 109};
    EXPECT_EQ(released, expected);  // in index order
    EXPECT_EQ(index_.count(), 2u);
    EXPECT_EQ(index_.get(511), 611u);
    EXPECT_EQ(index_.get(512), 0u);
    EXPECT_EQ(index_.table_pages(), 3u);  // what 3 and 511 need, nothing else
    EXPECT_EQ(tables_.live(), 3u);
}

TEST_F(PageIndexTest, TruncateFromZeroEmptiesTheIndexAndGivesBackEveryTable) {
    for (uint64_t at = 0; at < 5000; at += 7) ASSERT_TRUE(index_.set(at, at + 1).ok());
    std::vector<uint64_t> released;
    index_.truncate(0, &collect, &released);
    EXPECT_EQ(released.size(), 715u);
    EXPECT_EQ(index_.count(), 0u);
    EXPECT_EQ(index_.table_pages(), 0u);
    EXPECT_EQ(tables_.live(), 0u);
    EXPECT_EQ(tables_.misuses, 0u);
}

TEST_F(PageIndexTest, ForEachVisitsInIndexOrderFromAnIndex) {
    for (uint64_t at : {900000u, 2u, 70000u, 513u, 512u}) ASSERT_TRUE(index_.set(at, at * 2).ok());
    const Values expected = {{513, 1026}, {70000, 140000}, {900000, 1800000}};
    EXPECT_EQ(all_from(index_, 513), expected);
    EXPECT_EQ(all_from(index_, 0).size(), 5u);
    EXPECT_TRUE(all_from(index_, 900001).empty());
}

TEST_F(PageIndexTest, ForEachStopsWhenVisitSaysSo) {
    for (uint64_t at = 10; at < 20; ++at) ASSERT_TRUE(index_.set(at, at).ok());
    int visits = 0;
    index_.for_each(
        0, [](uint64_t, uint64_t, void* context) { return ++*static_cast<int*>(context) < 3; },
        &visits);
    EXPECT_EQ(visits, 3);
}

TEST_F(PageIndexTest, RunningOutOfTablesChangesNothing) {
    ASSERT_TRUE(index_.set(0, 1).ok());
    tables_.left = 1;  // (1 << 18) needs two: a middle table and a last-level one
    EXPECT_EQ(index_.set(1 << 18, 2).error(), PageIndexError::kNoMemory);
    EXPECT_EQ(index_.get(1 << 18), 0u);
    EXPECT_EQ(index_.count(), 1u);
    EXPECT_EQ(index_.table_pages(), 3u);
    EXPECT_EQ(tables_.live(), 3u);  // the one it did get went back
    tables_.left = -1;
    ASSERT_TRUE(index_.set(1 << 18, 2).ok());
    EXPECT_EQ(index_.table_pages(), 5u);
}

TEST(PageIndexDefault, ADefaultIndexCannotStore) {
    PageIndex index;
    EXPECT_EQ(index.set(0, 1).error(), PageIndexError::kNoMemory);
    EXPECT_EQ(index.get(0), 0u);
    EXPECT_EQ(index.table_pages(), 0u);
}

// Random operations against a std::map, in a space chosen so that tables fill, empty and share:
// indices near the ends of last-level and middle tables, small ones, and anywhere at all.
class PageIndexModel {
public:
    explicit PageIndexModel(uint64_t seed) : random_(seed) {}

    void step() {
        tables_.left = pick(25) == 0 ? static_cast<long>(pick(3)) : -1;
        const uint64_t at = random_index();
        const uint64_t roll = pick(100);
        if (roll < 45) return set(at);
        if (roll < 75) return take(at);
        if (roll < 80) return truncate(at);
        if (roll < 90) return visit(at);
        EXPECT_EQ(index_.get(at), model_.count(at) != 0 ? model_[at] : 0);
    }

    void check() const {
        ASSERT_EQ(index_.count(), model_.size());
        ASSERT_EQ(index_.table_pages(), tables_for(model_));
        ASSERT_EQ(tables_.live(), index_.table_pages());
        ASSERT_EQ(tables_.misuses, 0u);
    }

    void empty_it() {
        index_.truncate(0, nullptr, nullptr);
        model_.clear();
    }
    size_t refusals = 0;

private:
    uint64_t pick(uint64_t below) {
        return std::uniform_int_distribution<uint64_t>(0, below - 1)(random_);
    }
    uint64_t random_index() {
        const uint64_t near = pick(4);
        const uint64_t jitter = pick(5);
        if (near == 0) return pick(2048);
        if (near == 1) return (pick(8) << 9) + 510 + jitter;  // across last-level tables
        if (near == 2) return ((pick(4) << 18) + (1 << 18) - 2 + jitter) % PageIndex::kLimit;
        return pick(PageIndex::kLimit + 8);  // a few out of range
    }

    void set(uint64_t at) {
        const uint64_t value = 1 + pick(1000000);
        const auto result = index_.set(at, value);
        if (at >= PageIndex::kLimit) {
            EXPECT_EQ(result.error(), PageIndexError::kOutOfRange);
        } else if (model_.count(at) != 0) {
            EXPECT_EQ(result.error(), PageIndexError::kOccupied);
        } else if (!result.ok()) {
            EXPECT_EQ(result.error(), PageIndexError::kNoMemory);
            ++refusals;
        } else {
            model_[at] = value;
        }
    }
    void take(uint64_t at) {
        const uint64_t expected = model_.count(at) != 0 ? model_[at] : 0;
        EXPECT_EQ(index_.take(at), expected);
        model_.erase(at);
    }
    void truncate(uint64_t from) {
        Values expected(model_.lower_bound(from), model_.end());
        std::vector<uint64_t> released;
        index_.truncate(from, &collect, &released);
        ASSERT_EQ(released.size(), expected.size());
        for (size_t i = 0; i < released.size(); ++i) EXPECT_EQ(released[i], expected[i].second);
        model_.erase(model_.lower_bound(from), model_.end());
    }
    void visit(uint64_t from) {
        EXPECT_EQ(all_from(index_, from), Values(model_.lower_bound(from), model_.end()));
    }

    std::mt19937_64 random_;
    TestTables tables_;
    PageIndex index_{tables_.source(), kOffset};
    std::map<uint64_t, uint64_t> model_;
};

TEST(PageIndexModelTest, RandomOperationsAgreeWithAMapAndGiveEveryTableBack) {
    for (uint64_t seed : {1u, 2u, 3u, 20250101u}) {
        SCOPED_TRACE(testing::Message() << "seed " << seed);
        PageIndexModel model(seed);
        for (int i = 0; i < 5000; ++i) {
            model.step();
            model.check();
            ASSERT_FALSE(testing::Test::HasFailure()) << "step " << i;
        }
        EXPECT_GT(model.refusals, 0u) << "the source never ran out";
        model.empty_it();
        model.check();
    }
}

}  // namespace
}  // namespace keel::mm
