// SPDX-License-Identifier: MIT
// A program's address space in Sv39 tables built in a host buffer (src/mm/page_table_user.cpp):
// made over the kernel's, its pages copied for a fork and given back at its end, by regions.
#include <algorithm>
#include <vector>

#include "page_table_fixture.h"

namespace keel::mm {
namespace {

class UserSpaceTest : public PageTableTest {
protected:
    static void release(uint64_t physical, void* context) {
        static_cast<UserSpaceTest*>(context)->released_.push_back(physical);
    }
    std::vector<uint64_t> released_;
};

constexpr uint64_t kUserTop = 256 * k1G;  // Sv39's lower half
constexpr uint64_t kDirectMap = 0xffffffc000000000;

TEST_F(UserSpaceTest, AUserSpaceSharesTheKernelsUpperHalfAndOwnsTheLowerHalf) {
    // The kernel: RAM in its upper half as a 1 GiB page.
    ASSERT_TRUE(
        table_.map(kDirectMap + 0x80000000, 0x80000000, k1G, kPteRead | kPteWrite | kPteGlobal)
            .ok());
    const size_t kernel_tables = used_;
    auto created = PageTable::create_user(PageSource{&take, this}, table_, kUserTop);
    ASSERT_TRUE(created.ok());
    PageTable space = created.value();
    EXPECT_EQ(used_ - kernel_tables, 1u);  // its root only
    const uint64_t user_page = kTablesBase + 60 * k4K;
    ASSERT_TRUE(space.map(0x10000, user_page, k4K, kPteRead | kPteExecute | kPteUser).ok());
    // The user space sees its page and the kernel's mappings; the kernel does not see the page.
    EXPECT_TRUE(space.walk(0x10000).mapped);
    EXPECT_EQ(space.walk(0x10000).physical, user_page);
    EXPECT_TRUE(space.walk(kDirectMap + 0x80001000).mapped);
    EXPECT_FALSE(table_.walk(0x10000).mapped);
    // The end gives back the user page and the space's own tables, nothing of the kernel's.
    space.destroy_user(kUserTop, &release, this);
    std::sort(released_.begin(), released_.end());
    std::vector<uint64_t> expected = {user_page};
    for (size_t i = kernel_tables; i < used_; ++i) expected.push_back(kTablesBase + i * k4K);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(released_, expected);
    EXPECT_TRUE(table_.walk(kDirectMap + 0x80001000).mapped);
}

TEST_F(UserSpaceTest, RefusedWhileTheKernelMapsAnythingBelowTheUserTop) {
    ASSERT_TRUE(table_.map(0x100000, 0x100000, k4K, kPteRead | kPteWrite | kPteGlobal).ok());
    const size_t before = used_;
    const auto created = PageTable::create_user(PageSource{&take, this}, table_, kUserTop);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error(), MapError::kAlreadyMapped);
    EXPECT_EQ(used_, before);  // not even a root taken
}

TEST_F(UserSpaceTest, AProtNonePageIsTheProgramsThoughNotUserAccessible) {
    auto created = PageTable::create_user(PageSource{&take, this}, table_, kUserTop);
    ASSERT_TRUE(created.ok());
    PageTable space = created.value();
    const uint64_t none_page = kTablesBase + 61 * k4K;
    const uint64_t user_page = kTablesBase + 62 * k4K;
    ASSERT_TRUE(space.map(0x20000, none_page, k4K, kPteRead | kPteUserNone).ok());
    ASSERT_TRUE(space.map(0x21000, user_page, k4K, kPteRead | kPteUser).ok());
    // The hardware sees a supervisor-only page (U clear): every user access faults.
    const Walk none = space.walk(0x20000);
    EXPECT_TRUE(none.mapped);
    EXPECT_EQ(none.flags & kPteUser, 0u);
    EXPECT_NE(none.flags & kPteUserNone, 0u);
    // A fork's copy sees both, with the marker; the end gives both back.
    auto created_copy = PageTable::create_user(PageSource{&take, this}, table_, kUserTop);
    ASSERT_TRUE(created_copy.ok());
    PageTable copy = created_copy.value();
    std::vector<std::pair<uint64_t, uint64_t>> seen;
    ASSERT_TRUE(
        copy.copy_user_leaves(
                space, 0, kUserTop,
                [](uint64_t va, PageTable::LeafCopy& leaf, void* context) {
                    static_cast<std::vector<std::pair<uint64_t, uint64_t>>*>(context)->push_back(
                        {va, leaf.flags & (kPteUser | kPteUserNone)});
                    return true;
                },
                &seen)
            .ok());
    const std::vector<std::pair<uint64_t, uint64_t>> expected_seen = {{0x20000, kPteUserNone},
                                                                      {0x21000, kPteUser}};
    EXPECT_EQ(seen, expected_seen);
    EXPECT_EQ(copy.walk(0x20000).flags & kPteUser, 0u);
    copy.destroy_user(kUserTop, nullptr, nullptr);
    space.destroy_user(kUserTop, &release, this);
    EXPECT_NE(std::find(released_.begin(), released_.end(), none_page), released_.end());
    EXPECT_NE(std::find(released_.begin(), released_.end(), user_page), released_.end());
}

TEST_F(UserSpaceTest, ReplaceRewritesAPagesLeafAndKeepsTheCopyOnWriteMark) {
    auto created = PageTable::create_user(PageSource{&take, this}, table_, kUserTop);
    ASSERT_TRUE(created.ok());
    PageTable space = created.value();
    const uint64_t shared = kTablesBase + 61 * k4K;
    const uint64_t copy = kTablesBase + 62 * k4K;
    ASSERT_TRUE(space.map(0x20000, shared, k4K, kPteRead | kPteWrite | kPteUser).ok());
    // A fork's sharing: read-only, marked.
    ASSERT_TRUE(space.replace(0x20000, shared, kPteRead | kPteUser | kPteCopyOnWrite).ok());
    Walk w = space.walk(0x20000);
    EXPECT_EQ(w.flags & (kPteWrite | kPteCopyOnWrite), kPteCopyOnWrite);
    EXPECT_EQ(w.physical, shared);
    // The first write's copy: writable, unmarked, another page; no leaf more or less.
    ASSERT_TRUE(space.replace(0x20000, copy, kPteRead | kPteWrite | kPteUser).ok());
    w = space.walk(0x20000);
    EXPECT_EQ(w.flags & (kPteWrite | kPteCopyOnWrite | kPteDirty), kPteWrite | kPteDirty);
    EXPECT_EQ(w.physical, copy);
    EXPECT_EQ(space.leaves(0), 1u);
    EXPECT_EQ(space.replace(0x21000, copy, kPteRead | kPteUser).error(), MapError::kNotMapped);
    EXPECT_EQ(space.replace(0x20000, copy, kPteWrite | kPteExecute | kPteRead).error(),
              MapError::kWriteExecute);
    space.destroy_user(kUserTop, &release, this);
}

// A fork's copy: every user page of the range, at its address, as the callback says (here: shared,
// read-only and marked in both), with tables only where pages are.
TEST_F(UserSpaceTest, CopyUserLeavesMapsWhatTheCallbackSaysInBothTables) {
    auto parent = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    const uint64_t text = kTablesBase + 60 * k4K;
    const uint64_t data = kTablesBase + 61 * k4K;
    const uint64_t stack = kTablesBase + 62 * k4K;
    ASSERT_TRUE(parent.map(0x10000, text, k4K, kPteRead | kPteExecute | kPteUser).ok());
    ASSERT_TRUE(parent.map(0x11000, data, k4K, kPteRead | kPteWrite | kPteUser).ok());
    ASSERT_TRUE(parent.map(kUserTop - k4K, stack, k4K, kPteRead | kPteWrite | kPteUser).ok());
    auto child = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    const size_t before = used_;
    const auto share = [](uint64_t, PageTable::LeafCopy& leaf, void*) {
        leaf.flags = leaf.source_flags = (leaf.flags & ~kPteWrite) | kPteCopyOnWrite;
        return true;
    };
    // Two ranges, as a fork's regions: one of them 8 GiB of mostly nothing.
    ASSERT_TRUE(child.copy_user_leaves(parent, 0x10000, 0x12000, share, nullptr).ok());
    ASSERT_TRUE(child.copy_user_leaves(parent, kUserTop - 8 * k1G, kUserTop, share, nullptr).ok());
    EXPECT_EQ(used_ - before, 4u);  // a middle and a last table at each end
    EXPECT_EQ(child.leaves(0), 3u);
    for (const auto& [address, page] :
         {std::pair{uint64_t{0x10000}, text}, {0x11000, data}, {kUserTop - k4K, stack}}) {
        for (const PageTable* table : {&parent, &child}) {
            const Walk w = table->walk(address);
            ASSERT_TRUE(w.mapped) << address;
            EXPECT_EQ(w.physical, page);
            EXPECT_EQ(w.flags & (kPteWrite | kPteCopyOnWrite | kPteUser),
                      kPteCopyOnWrite | kPteUser);
        }
    }
    EXPECT_EQ(child.walk(0x10000).flags & kPteExecute, kPteExecute);
    child.destroy_user(kUserTop, nullptr, nullptr);
    parent.destroy_user(kUserTop, nullptr, nullptr);
}

TEST_F(UserSpaceTest, CopyUserLeavesCopiesOnlyItsRangeAndStopsWhenTheCallbackFails) {
    auto parent = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    for (uint64_t i = 0; i < 5; ++i) {
        ASSERT_TRUE(parent
                        .map(0x10000 + i * k4K, kTablesBase + (55 + i) * k4K, k4K,
                             kPteRead | kPteWrite | kPteUser)
                        .ok());
    }
    auto child = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    ASSERT_TRUE(child
                    .copy_user_leaves(
                        parent, 0x11000, 0x13000,
                        [](uint64_t, PageTable::LeafCopy&, void*) { return true; }, nullptr)
                    .ok());
    EXPECT_FALSE(child.walk(0x10000).mapped);
    EXPECT_TRUE(child.walk(0x11000).mapped);
    EXPECT_TRUE(child.walk(0x12000).mapped);
    EXPECT_FALSE(child.walk(0x13000).mapped);
    // The callback refuses the second page: the first is copied, the second is in neither's way.
    int calls = 0;
    const auto result = child.copy_user_leaves(
        parent, 0x13000, 0x14000 + k4K,
        [](uint64_t, PageTable::LeafCopy& leaf, void* context) {
            leaf.source_flags = leaf.flags & ~kPteWrite;
            return ++*static_cast<int*>(context) < 2;
        },
        &calls);
    EXPECT_EQ(result.error(), MapError::kNoMemory);
    EXPECT_EQ(calls, 2);
    EXPECT_TRUE(child.walk(0x13000).mapped);
    EXPECT_EQ(parent.walk(0x13000).flags & kPteWrite, 0u);
    EXPECT_FALSE(child.walk(0x14000).mapped);
    EXPECT_EQ(parent.walk(0x14000).flags & kPteWrite, kPteWrite);
    child.destroy_user(kUserTop, nullptr, nullptr);
    parent.destroy_user(kUserTop, nullptr, nullptr);
}

// An exit: the pages region by region, then the tables without reading the last-level ones; a
// page no range covered is still found and given back.
TEST_F(UserSpaceTest, ReleaseUserLeavesGivesBackItsRangeAndDestroyTheRest) {
    auto space = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    const uint64_t a = kTablesBase + 60 * k4K;
    const uint64_t b = kTablesBase + 61 * k4K;
    const uint64_t c = kTablesBase + 62 * k4K;
    ASSERT_TRUE(space.map(0x10000, a, k4K, kPteRead | kPteUser).ok());
    ASSERT_TRUE(space.map(0x400000, b, k4K, kPteRead | kPteUser).ok());
    ASSERT_TRUE(space.map(kUserTop - k4K, c, k4K, kPteRead | kPteUser).ok());
    space.release_user_leaves(0, 0x20000, &release, this);
    space.release_user_leaves(kUserTop - 64 * k4K, kUserTop, &release, this);
    EXPECT_EQ(released_, (std::vector<uint64_t>{a, c}));
    EXPECT_FALSE(space.walk(0x10000).mapped);
    EXPECT_EQ(space.leaves(0), 1u);
    released_.clear();
    space.destroy_user(kUserTop, &release, this);
    EXPECT_NE(std::find(released_.begin(), released_.end(), b), released_.end());
    // b, and the root, two middle tables and three last ones (0x10000's, 0x400000's, the top's).
    EXPECT_EQ(released_.size(), 1u + 6u);
}

// An exit by regions: every page and table comes back, the root last, also a table no region
// covers any more (an unmap leaves its tables).
TEST_F(UserSpaceTest, DestroyUserByRegionsGivesBackEveryPageAndTable) {
    const size_t before = used_;
    auto space = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    const uint64_t a = kTablesBase + 60 * k4K;
    const uint64_t b = kTablesBase + 61 * k4K;
    const uint64_t c = kTablesBase + 62 * k4K;
    ASSERT_TRUE(space.map(0x10000, a, k4K, kPteRead | kPteUser).ok());
    ASSERT_TRUE(space.map(0x11000, b, k4K, kPteRead | kPteWrite | kPteUser).ok());
    ASSERT_TRUE(space.map(kUserTop - k4K, c, k4K, kPteRead | kPteWrite | kPteUser).ok());
    // A page once mapped at 8 GiB and unmapped: its middle and last tables stay.
    ASSERT_TRUE(space.map(8 * k1G, kTablesBase + 63 * k4K, k4K, kPteRead | kPteUser).ok());
    ASSERT_TRUE(space.unmap(8 * k1G, k4K).ok());
    const Region regions[] = {{0x10000, 0x11000, kProtRead, 0, 0, 0},
                              {0x11000, 0x12000, kProtRead | kProtWrite, 0, 0, 0},
                              {kUserTop - 32 * k4K, kUserTop, kProtRead | kProtWrite, 0, 0, 0}};
    space.destroy_user(kUserTop, regions, 3, &release, this);
    std::vector<uint64_t> expected = {a, b, c};
    for (size_t i = before; i < used_; ++i) expected.push_back(kTablesBase + i * k4K);
    std::vector<uint64_t> got = released_;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected);
    EXPECT_EQ(released_.back(), kTablesBase + before * k4K) << "the root last";
    EXPECT_EQ(space.table_pages(), 0u);
}

// The same without the stray tables: nothing is read but where the regions are, and the
// counts come down to nothing.
TEST_F(UserSpaceTest, DestroyUserByRegionsCountsEveryTableDown) {
    auto space = PageTable::create_user(PageSource{&take, this}, table_, kUserTop).value();
    ASSERT_TRUE(space.map(0x10000, kTablesBase + 60 * k4K, k4K, kPteRead | kPteUser).ok());
    ASSERT_TRUE(
        space.map(kUserTop - k4K, kTablesBase + 61 * k4K, k4K, kPteRead | kPteWrite | kPteUser)
            .ok());
    EXPECT_EQ(space.table_pages(), 5u);
    const Region regions[] = {{0x10000, 0x20000, kProtRead, 0, 0, 0},
                              {kUserTop - 32 * k4K, kUserTop, kProtRead | kProtWrite, 0, 0, 0}};
    space.destroy_user(kUserTop, regions, 2, &release, this);
    EXPECT_EQ(released_.size(), 2u + 5u);
    EXPECT_EQ(space.table_pages(), 0u);
    EXPECT_EQ(space.leaves(0), 0u);
}

TEST_F(UserSpaceTest, KernelMappingsAboveTheUserTopAreSharedNotCopied) {
    constexpr uint64_t kStacks = 0xffffffe000000000;
    ASSERT_TRUE(table_.map(kStacks, kTablesBase + 50 * k4K, k4K, kPteRead | kPteWrite).ok());
    const size_t before = used_;
    auto created = PageTable::create_user(PageSource{&take, this}, table_, kUserTop);
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(used_ - before, 1u);  // the root only
    // Mapped in the kernel afterwards, there: the user space sees it too (the same tables).
    ASSERT_TRUE(table_.map(kStacks + k4K, kTablesBase + 51 * k4K, k4K, kPteRead | kPteWrite).ok());
    EXPECT_TRUE(created.value().walk(kStacks + k4K).mapped);
}

}  // namespace
}  // namespace keel::mm

namespace keel::mm {
namespace {

class UserSpaceOomTest : public PageTableTest {
protected:
    static void release(uint64_t physical, void* context) {
        static_cast<UserSpaceOomTest*>(context)->released_.push_back(physical);
    }
    std::vector<uint64_t> released_;
};

TEST_F(UserSpaceOomTest, NoPageForTheRootTakesNothing) {
    used_ = kTablePages;  // nothing left
    const auto created =
        PageTable::create_user(PageSource{&take, this, &release}, table_, 256 * k1G);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error(), MapError::kNoMemory);
    EXPECT_TRUE(released_.empty());
}

}  // namespace
}  // namespace keel::mm
