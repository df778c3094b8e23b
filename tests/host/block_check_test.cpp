// SPDX-License-Identifier: MIT
// check_blocks: what smp-alloc relies on to say "overlaps: 0".
#include <gtest/gtest.h>
#include <keel/mm/block_check.h>

#include <vector>

namespace keel {
namespace {

constexpr uintptr_t kBase = 0x80000000;
constexpr size_t kCapacity = 4096;

BlockCheck check(const std::vector<BlockRecord>& blocks) {
    std::vector<uint8_t> bitmap(kCapacity / 8, 0xff);  // dirty on purpose: the check clears it
    return check_blocks(kBase, kCapacity, blocks.data(), blocks.size(), bitmap.data(),
                        bitmap.size());
}

TEST(BlockCheck, DisjointAlignedBlocksAreClean) {
    const BlockCheck c = check({{kBase, 16, 16}, {kBase + 16, 100, 8}, {kBase + 4000, 96, 32}});
    EXPECT_EQ(c.out_of_bounds, 0u);
    EXPECT_EQ(c.misaligned, 0u);
    EXPECT_EQ(c.overlaps, 0u);
}

TEST(BlockCheck, SharingOneByteIsAnOverlap) {
    EXPECT_EQ(check({{kBase, 17, 1}, {kBase + 16, 4, 1}}).overlaps, 1u);
    EXPECT_EQ(check({{kBase + 10, 1, 1}, {kBase, 100, 1}}).overlaps, 1u);  // inside a later block
    EXPECT_EQ(check({{kBase, 8, 1}, {kBase, 8, 1}, {kBase, 8, 1}}).overlaps, 2u);
}

TEST(BlockCheck, BlocksOutsideTheArenaAreCounted) {
    EXPECT_EQ(check({{kBase - 1, 1, 1}}).out_of_bounds, 1u);
    EXPECT_EQ(check({{kBase + kCapacity - 1, 2, 1}}).out_of_bounds, 1u);
    EXPECT_EQ(check({{kBase + kCapacity - 1, 1, 1}}).out_of_bounds, 0u);  // the last byte is fine
    EXPECT_EQ(check({{~uint64_t{0} - 2, 0xffffffff, 1}}).out_of_bounds, 1u);
}

TEST(BlockCheck, MisalignedBlocksAreCounted) {
    const BlockCheck c = check({{kBase + 4, 4, 8}, {kBase + 64, 4, 64}, {kBase + 200, 1, 0}});
    EXPECT_EQ(c.misaligned, 2u);  // kBase + 4 is not 8-aligned; alignment 0 is nonsense
}

}  // namespace
}  // namespace keel
