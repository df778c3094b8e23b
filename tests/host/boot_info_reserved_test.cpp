// SPDX-License-Identifier: MIT
// /reserved-memory as keel reads it at boot: a reg it cannot decode is named, and then no RAM
// may be handed out, since what the firmware keeps could be anywhere in it.
#include <gtest/gtest.h>
#include <keel/kernel/boot_info.h>

#include <initializer_list>

#include "fdt_test_support.h"

namespace keel {
namespace {

using fdt::test::Blob;
using fdt::test::Bytes;

// BootInfo's strings point into the blob, so the blob lives as long as the BootInfo.
struct Booted {
    explicit Booted(const Bytes& bytes)
        : blob(bytes),
          info(read_boot_info(blob.data(), reinterpret_cast<uintptr_t>(blob.data()), 0,
                              blob.size())) {}
    Blob blob;
    BootInfo info;
};

// 128 MiB of RAM at 0x80000000 and a /reserved-memory in `cells` address cells (2 size cells)
// holding OpenSBI's region, readable, then a carveout whose reg is `carveout`.
Bytes tree_with_carveout(uint32_t cells, std::initializer_list<uint32_t> carveout) {
    fdt::test::TreeBuilder builder;
    builder.begin_node("").cells("#address-cells", {2}).cells("#size-cells", {2});
    builder.begin_node("memory@80000000").string("device_type", "memory");
    builder.cells("reg", {0, 0x80000000, 0, 0x8000000}).end_node();
    builder.begin_node("reserved-memory").cells("#address-cells", {cells});
    builder.cells("#size-cells", {2});
    if (cells == 2) {
        builder.begin_node("mmode_resv0@80000000").cells("reg", {0, 0x80000000, 0, 0x80000});
        builder.end_node();
    }
    builder.begin_node("carveout@85000000").cells("reg", carveout).end_node();
    builder.begin_node("dynamic").cells("size", {0, 0x100000}).end_node();  // not placed: no reg
    builder.end_node();
    return builder.end_node().end().build();
}

uint64_t free_pages(const BootInfo& info) {
    const mm::PhysMap map = physical_map(info, mm::Range{0x80200000, 0x200000});
    mm::Range free[mm::PhysMap::kMaxRam + mm::PhysMap::kMaxReservations + 1];
    const size_t count = map.free_pages(free, sizeof free / sizeof free[0]);
    uint64_t pages = 0;
    for (size_t i = 0; i < count; ++i) pages += free[i].size / mm::kPageSize;
    return pages;
}

TEST(BootInfoReserved, ReadableCarveoutsAreReservedAndTheRestOfRamIsFree) {
    const Booted booted(tree_with_carveout(2, {0, 0x85000000, 0, 0x100000}));
    ASSERT_TRUE(booted.info.tree_ok);
    EXPECT_EQ(booted.info.unreadable_reservation, nullptr);  // the size-only child included
    ASSERT_EQ(booted.info.reserved_count, 2u);
    EXPECT_EQ(booted.info.reserved[1].region.address, 0x85000000u);
    // 128 MiB less OpenSBI's 512 KiB, the carveout's 1 MiB and the kernel's 2 MiB (the blob is
    // the test's own, outside this RAM).
    EXPECT_EQ(free_pages(booted.info), (0x8000000u - 0x80000 - 0x100000 - 0x200000) / 4096);
}

TEST(BootInfoReserved, ARegThatIsNotWholeEntriesIsNamedAndNoRamIsFree) {
    const Booted booted(tree_with_carveout(2, {0, 0x85000000, 0}));
    ASSERT_NE(booted.info.unreadable_reservation, nullptr);
    EXPECT_STREQ(booted.info.unreadable_reservation, "carveout@85000000");
    EXPECT_EQ(booted.info.unreadable_error, fdt::Error::kBadValue);
    EXPECT_EQ(booted.info.reserved_count, 1u);  // OpenSBI's, read before it
    EXPECT_EQ(free_pages(booted.info), 0u);
}

TEST(BootInfoReserved, CellsKeelDoesNotReadAreNamedAndNoRamIsFree) {
    const Booted booted(tree_with_carveout(3, {0, 0, 0x85000000, 0, 0x100000}));
    ASSERT_NE(booted.info.unreadable_reservation, nullptr);
    EXPECT_STREQ(booted.info.unreadable_reservation, "carveout@85000000");
    EXPECT_EQ(booted.info.unreadable_error, fdt::Error::kBadCells);
    EXPECT_EQ(free_pages(booted.info), 0u);
}

TEST(BootInfoReserved, TheFirstUnreadableChildIsTheOneNamed) {
    fdt::test::TreeBuilder builder;
    builder.begin_node("").cells("#address-cells", {2}).cells("#size-cells", {2});
    builder.begin_node("reserved-memory").cells("#address-cells", {2}).cells("#size-cells", {2});
    builder.begin_node("first@1000").cells("reg", {0, 0x1000, 0}).end_node();
    builder.begin_node("second@2000").cells("reg", {0}).end_node();
    const Booted booted(builder.end_node().end_node().end().build());
    EXPECT_STREQ(booted.info.unreadable_reservation, "first@1000");
}

}  // namespace
}  // namespace keel
