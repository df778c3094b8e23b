// SPDX-License-Identifier: MIT
// The page-table tests' fixture: an empty table whose pages (and the tables it adds) come from a
// host buffer of 64 pages, full of garbage but for what a table takes (zeroed, as the kernel's
// page allocator zeroes it). For page_table_test.cpp and page_table_user_test.cpp.
#pragma once
#include <gtest/gtest.h>
#include <keel/mm/page_table.h>
#include <string.h>

#include <memory>

namespace keel::mm {

constexpr uint64_t kTablesBase = 0x80000000;  // "physical" address of the buffer's first page
constexpr size_t kTablePages = 64;
constexpr uint64_t k4K = 4096;
constexpr uint64_t k2M = 2 * 1024 * 1024;
constexpr uint64_t k1G = 1024 * 1024 * 1024;

struct alignas(4096) Pages {
    unsigned char bytes[kTablePages * 4096];
};

class PageTableTest : public ::testing::Test {
protected:
    void SetUp() override {
        pages_ = std::make_unique<Pages>();
        memset(pages_->bytes, 0xee, sizeof pages_->bytes);  // tables must zero what they use
        auto created = PageTable::create(PageSource{&take, this}, offset());
        ASSERT_TRUE(created.ok());
        table_ = created.value();
    }

    static uint64_t take(void* context) {
        auto* self = static_cast<PageTableTest*>(context);
        if (self->used_ == kTablePages) return 0;
        unsigned char* page = self->pages_->bytes + self->used_ * 4096;
        memset(page, 0, 4096);  // the kernel's page allocator zeroes too
        return kTablesBase + 4096 * self->used_++;
    }
    uintptr_t offset() const { return reinterpret_cast<uintptr_t>(pages_->bytes) - kTablesBase; }

    std::unique_ptr<Pages> pages_;
    size_t used_ = 0;
    PageTable table_;
};

}  // namespace keel::mm
