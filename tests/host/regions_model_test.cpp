// SPDX-License-Identifier: MIT
// RegionList against a page-by-page model (regions_model.h): thousands of random inserts, removes,
// protects, free-range searches, lookups and copies from fixed seeds, with a storage that refuses
// now and then. After each, the list must hold exactly the model's pages as the fewest regions, and
// a refused operation must have changed nothing.
#include "regions_model.h"

#include <gtest/gtest.h>
#include <keel/mm/regions.h>

#include <random>

namespace keel::mm {
namespace {

using test::kPage;
using test::RegionModelRun;

struct Shape {
    uint64_t pages;          // the address range the operations work in: [0, pages * 4 KiB)
    uint64_t longest;        // the most pages one operation touches
    size_t limit;            // the list's limit
    unsigned refuse_one_in;  // the storage refuses one request in this many
};

class RandomRegions {
public:
    RandomRegions(Shape shape, uint64_t seed)
        : shape_(shape), random_(seed), run_(shape.limit, shape.pages + shape.longest) {}

    RegionModelRun& run() { return run_; }

    // One random operation (in percent: 40 inserts, 20 removes, 20 protects, 10 searches for a
    // free range, 10 lookups, copies and clearings); what disagreed with the model, or "".
    std::string step() {
        run_.storage().refusing = pick(shape_.refuse_one_in) == 0;
        const uint64_t start = pick(shape_.pages) * kPage;
        const uint64_t end = start + (1 + pick(shape_.longest)) * kPage;
        const uint64_t roll = pick(100);
        if (roll < 40) return run_.insert(region(start, end));
        if (roll < 60) return run_.remove(start, end);
        if (roll < 80) return run_.protect(start, end, protection());
        if (roll < 90) return find_free();
        if (roll < 95) return run_.queries(start + pick(kPage), pick(4 * kPage));
        if (roll < 98) return run_.copy(pick(2) == 0);
        // Now and then everything goes, so that the list starts again with no block.
        if (pick(4) == 0) return run_.remove(0, shape_.pages * kPage);
        return run_.queries(start, end - start);
    }

private:
    uint64_t pick(uint64_t below) {
        return std::uniform_int_distribution<uint64_t>(0, below - 1)(random_);
    }

    // Few enough kinds that neighbours often merge.
    uint32_t protection() {
        static constexpr uint32_t kKinds[] = {0, kProtRead, kProtRead | kProtWrite,
                                              kProtRead | kProtExec};
        return kKinds[pick(4)];
    }
    Region region(uint64_t start, uint64_t end) {
        static constexpr uint32_t kFlags[] = {0, 0, kRegionGrowsDown, kRegionHeap};
        const uint64_t object = pick(4) < 2 ? 0 : 1 + pick(2);
        // A file's offset mostly follows its address, so that file neighbours can merge.
        const uint64_t offset = object == 0 ? 0 : start + pick(3) / 2 * kPage;
        return Region{start, end, protection(), kFlags[pick(4)], object, offset};
    }
    std::string find_free() {
        const uint64_t low = pick(shape_.pages) * kPage;
        const uint64_t high = low + (1 + pick(shape_.pages)) * kPage;
        return run_.find_free((1 + pick(shape_.longest)) * kPage, low, high, pick(5) * kPage);
    }

    Shape shape_;
    std::mt19937_64 random_;
    RegionModelRun run_;
};

TEST(RegionModelTest, RandomOperationsUnderATightLimitAgreeWithThePageModel) {
    RandomRegions random({64, 8, 12, 10}, 20250101);
    for (int i = 0; i < 20000; ++i) {
        const std::string disagreement = random.step();
        ASSERT_EQ(disagreement, "") << "step " << i;
    }
    EXPECT_GT(random.run().too_many, 0u) << "the limit was never reached";
    EXPECT_GT(random.run().no_memory, 0u) << "no refusal for want of a block";
}

TEST(RegionModelTest, RandomOperationsAcrossBlockGrowthAgreeWithThePageModel) {
    RandomRegions random({1200, 3, RegionList::kMaxRegions, 6}, 42);
    for (int i = 0; i < 20000; ++i) {
        const std::string disagreement = random.step();
        ASSERT_EQ(disagreement, "") << "step " << i;
    }
    EXPECT_GT(random.run().most, 2 * kPage / sizeof(Region)) << "the list never needed 3 pages";
    EXPECT_GT(random.run().no_memory, 0u) << "no refusal for want of a block";
}

}  // namespace
}  // namespace keel::mm
