// SPDX-License-Identifier: MIT
// FilePages over a real PageAllocator (a host buffer as RAM): the file owns each of its pages once,
// a mapping's map() adds an owner, and truncating or dropping the file lets go of the file's owner
// only, so a mapped page lives on until its mapping lets go of it too; holes filled by map(); the
// file system's limit and a missing table refused with nothing changed; every page back at the end.
#include <gtest/gtest.h>
#include <keel/mm/file_pages.h>
#include <keel/mm/page_allocator.h>
#include <string.h>

#include <memory>

namespace keel::mm {
namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamBytes = 1024 * 1024;  // 256 pages

struct alignas(4096) Ram {
    unsigned char bytes[kRamBytes];
};

class FilePagesTest : public ::testing::Test {
protected:
    void SetUp() override {
        ram_ = std::make_unique<Ram>();
        const Range ram{kRamBase, kRamBytes};
        ASSERT_TRUE(allocator_.init(&ram, 1, &ram, 1, offset()).ok());
        free_at_start_ = allocator_.counters().free;
        file_ = std::make_unique<FilePages>(PageSource{&table, this, &release_table}, offset(),
                                            PageOwners{&data, &share, &release, this});
    }
    void TearDown() override {
        file_->truncate(0);
        EXPECT_EQ(file_->table_pages(), 0u);
        EXPECT_EQ(allocator_.counters().free, free_at_start_) << "a page was not given back";
    }

    uintptr_t offset() const { return reinterpret_cast<uintptr_t>(ram_->bytes) - kRamBase; }
    unsigned char* bytes(uint64_t physical) { return ram_->bytes + (physical - kRamBase); }
    // A mapping's end: the owner it took goes.
    void unmap(uint64_t page) { ASSERT_TRUE(allocator_.release(page).ok()); }

    static uint64_t table(void* self) {
        auto* test = static_cast<FilePagesTest*>(self);
        if (test->tables_left_ == 0) return 0;
        if (test->tables_left_ > 0) --test->tables_left_;
        const auto page = test->allocator_.allocate(0);
        return page.ok() ? page.value() : 0;
    }
    static void release_table(uint64_t page, void* self) {
        (void)static_cast<FilePagesTest*>(self)->allocator_.free(page, 0);
    }
    static uint64_t data(void* self) {
        auto* test = static_cast<FilePagesTest*>(self);
        if (test->data_left_ == 0) return 0;
        if (test->data_left_ > 0) --test->data_left_;
        const auto page = test->allocator_.allocate(0);
        return page.ok() ? page.value() : 0;
    }
    static bool share(uint64_t page, void* self) {
        return static_cast<FilePagesTest*>(self)->allocator_.share(page).ok();
    }
    static void release(uint64_t page, void* self) {
        (void)static_cast<FilePagesTest*>(self)->allocator_.release(page);
    }

    std::unique_ptr<Ram> ram_;
    PageAllocator allocator_;
    uint64_t free_at_start_ = 0;
    long tables_left_ = -1;  // -1: no limit
    long data_left_ = -1;
    std::unique_ptr<FilePages> file_;  // (made once the RAM is there)
};

TEST_F(FilePagesTest, AHoleReadsAsNoPage) {
    EXPECT_EQ(file_->get(3), 0u);
    EXPECT_EQ(file_->count(), 0u);
}

TEST_F(FilePagesTest, GetOrAddPutsAZeroedPageWithTheFileAsItsOneOwner) {
    const auto page = file_->get_or_add(3);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(file_->get(3), page.value());
    EXPECT_EQ(allocator_.owners(page.value()), 1u);
    EXPECT_EQ(bytes(page.value())[100], 0);
    EXPECT_EQ(file_->get_or_add(3).value(), page.value()) << "a second call finds the same page";
}

TEST_F(FilePagesTest, MapAddsAnOwnerForTheMapping) {
    const uint64_t page = file_->get_or_add(0).value();
    ASSERT_EQ(file_->map(0).value(), page);
    EXPECT_EQ(allocator_.owners(page), 2u);
    unmap(page);
    EXPECT_EQ(allocator_.owners(page), 1u);
}

TEST_F(FilePagesTest, MapFillsAHole) {
    const auto page = file_->map(5);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(file_->get(5), page.value());
    EXPECT_EQ(allocator_.owners(page.value()), 2u);
    unmap(page.value());
}

TEST_F(FilePagesTest, TruncateKeepsAMappedPageForItsMapping) {
    const uint64_t page = file_->map(2).value();
    bytes(page)[7] = 42;
    file_->truncate(0);
    EXPECT_EQ(file_->get(2), 0u);
    EXPECT_EQ(allocator_.owners(page), 1u) << "the mapping's owner is left";
    EXPECT_EQ(bytes(page)[7], 42) << "still the mapping's bytes, not freed under it";
    const uint64_t free_before = allocator_.counters().free;
    unmap(page);
    EXPECT_EQ(allocator_.counters().free, free_before + 1);
}

TEST_F(FilePagesTest, TruncateLetsGoOnlyOfPagesFromItsPageOn) {
    const uint64_t kept = file_->get_or_add(0).value();
    (void)file_->get_or_add(1).value();
    (void)file_->get_or_add(9).value();
    file_->truncate(1);
    EXPECT_EQ(file_->get(0), kept);
    EXPECT_EQ(file_->count(), 1u);
}

TEST_F(FilePagesTest, TheFileSystemsLimitRefusesANewPage) {
    data_left_ = 0;
    EXPECT_EQ(file_->get_or_add(0).error(), FilePageError::kNoSpace);
    EXPECT_EQ(file_->map(0).error(), FilePageError::kNoSpace);
    EXPECT_EQ(file_->count(), 0u);
}

TEST_F(FilePagesTest, NoTableForTheIndexGivesThePageBack) {
    tables_left_ = 0;
    const uint64_t free_before = allocator_.counters().free;
    EXPECT_EQ(file_->get_or_add(0).error(), FilePageError::kNoMemory);
    EXPECT_EQ(allocator_.counters().free, free_before);
    EXPECT_EQ(file_->count(), 0u);
}

TEST_F(FilePagesTest, APageNumberPastTheLargestFileIsRefused) {
    EXPECT_EQ(file_->get_or_add(PageIndex::kLimit).error(), FilePageError::kOutOfRange);
}

TEST_F(FilePagesTest, MapRefusesWhenThePagesOwnerCountIsFull) {
    const uint64_t page = file_->get_or_add(0).value();
    uint32_t shared = 0;
    while (allocator_.share(page).ok()) ++shared;
    EXPECT_EQ(file_->map(0).error(), FilePageError::kTooShared);
    EXPECT_EQ(file_->get(0), page) << "the page stays the file's";
    for (uint32_t i = 0; i < shared; ++i) unmap(page);
    EXPECT_EQ(allocator_.owners(page), 1u);
}

TEST_F(FilePagesTest, ManyMappingsEachKeepThePageUntilTheLastLetsGo) {
    const uint64_t page = file_->map(0).value();
    ASSERT_EQ(file_->map(0).value(), page);
    ASSERT_EQ(file_->map(0).value(), page);
    file_->truncate(0);
    EXPECT_EQ(allocator_.owners(page), 3u);
    unmap(page);
    unmap(page);
    EXPECT_EQ(allocator_.owners(page), 1u);
    unmap(page);
}

}  // namespace
}  // namespace keel::mm
