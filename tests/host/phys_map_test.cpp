// SPDX-License-Identifier: MIT
// PhysMap: RAM minus reservations, in whole pages, on ordinary and odd layouts.
#include <gtest/gtest.h>
#include <keel/mm/phys_map.h>

#include <vector>

namespace keel::mm {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;
constexpr uint64_t kGiB = 1024 * kMiB;

std::vector<Range> free_of(const PhysMap& map) {
    Range out[64];
    const size_t n = map.free_pages(out, 64);
    return std::vector<Range>(out, out + (n < 64 ? n : 64));
}

TEST(PhysMap, QemuVirtLayoutLeavesEverythingButFirmwareKernelAndTree) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x80000000, 128 * kMiB}));
    ASSERT_TRUE(map.reserve({0x80000000, 0x80000}, ReservationKind::kFirmware));  // OpenSBI
    ASSERT_TRUE(map.reserve({0x80200000, 0x174000}, ReservationKind::kKernel));
    ASSERT_TRUE(
        map.reserve({0x87e00000, 5278}, ReservationKind::kDeviceTree));  // not a page multiple
    const auto free = free_of(map);
    ASSERT_EQ(free.size(), 3u);
    EXPECT_EQ(free[0], (Range{0x80080000, 0x80200000 - 0x80080000}));
    EXPECT_EQ(free[1], (Range{0x80374000, 0x87e00000 - 0x80374000}));
    EXPECT_EQ(free[2], (Range{0x87e02000, 0x88000000 - 0x87e02000}));  // the tree's 2nd page too
    EXPECT_EQ(map.ram_page_count(), 128 * kMiB / kPageSize);
    EXPECT_EQ(map.reserved_page_count(), (0x80000 + 0x174000 + 0x2000) / kPageSize);
    EXPECT_EQ(map.reserved_page_count(ReservationKind::kKernel), 0x174000 / kPageSize);
}

TEST(PhysMap, RamIsRoundedInwardAndReservationsOutward) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x1000 + 12, 0x10000}));  // starts and ends inside pages
    ASSERT_TRUE(map.reserve({0x5000 + 1, 1}, ReservationKind::kBlobReserve));
    const auto free = free_of(map);
    ASSERT_EQ(free.size(), 2u);
    EXPECT_EQ(free[0], (Range{0x2000, 0x3000}));
    EXPECT_EQ(free[1], (Range{0x6000, 0x11000 - 0x6000}));
}

TEST(PhysMap, OverlappingReservationsAndRamEntriesMerge) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x10000, 0x10000}));
    ASSERT_TRUE(map.add_ram({0x18000, 0x10000}));  // overlaps the first
    ASSERT_TRUE(map.reserve({0x12000, 0x4000}, ReservationKind::kFirmware));
    ASSERT_TRUE(map.reserve({0x13000, 0x2000}, ReservationKind::kKernel));  // inside the first
    ASSERT_TRUE(map.reserve({0x15000, 0x3000}, ReservationKind::kInitrd));  // touches it
    const auto free = free_of(map);
    ASSERT_EQ(free.size(), 2u);
    EXPECT_EQ(free[0], (Range{0x10000, 0x2000}));
    EXPECT_EQ(free[1], (Range{0x18000, 0x28000 - 0x18000}));
    EXPECT_EQ(map.ram_page_count(), 0x18000 / kPageSize);
}

TEST(PhysMap, AnInitrdAcrossTheEndOfARegionTakesOnlyWhatIsRam) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x80000000, 64 * kMiB}));
    ASSERT_TRUE(map.add_ram({0x90000000, 64 * kMiB}));
    ASSERT_TRUE(map.reserve({0x80000000 + 63 * kMiB, 2 * kMiB}, ReservationKind::kInitrd));
    const auto free = free_of(map);
    ASSERT_EQ(free.size(), 2u);
    EXPECT_EQ(free[0], (Range{0x80000000, 63 * kMiB}));
    EXPECT_EQ(free[1], (Range{0x90000000, 64 * kMiB}));
    EXPECT_EQ(map.reserved_page_count(ReservationKind::kInitrd), kMiB / kPageSize);
}

TEST(PhysMap, SeveralMemoryNodesInAnyOrderAndRamAbove4GiB) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x1'0000'0000, 4 * kGiB}));
    ASSERT_TRUE(map.add_ram({0x80000000, 2 * kGiB}));
    Range ram[4];
    ASSERT_EQ(map.ram_pages(ram, 4), 1u);  // they touch: one range of 6 GiB
    EXPECT_EQ(ram[0], (Range{0x80000000, 6 * kGiB}));
    ASSERT_TRUE(map.reserve({0x1'8000'0000, kMiB}, ReservationKind::kFirmware));
    const auto free = free_of(map);
    ASSERT_EQ(free.size(), 2u);
    EXPECT_EQ(free[1].base, 0x1'8000'0000 + kMiB);
    EXPECT_EQ(free[1].end(), 0x80000000 + 6 * kGiB);
}

TEST(PhysMap, ReservationsOutsideRamAndAtTheTopOfTheAddressSpaceChangeNothing) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x80000000, 16 * kMiB}));
    ASSERT_TRUE(map.reserve({0x10000000, 0x1000}, ReservationKind::kBlobReserve));
    ASSERT_TRUE(map.reserve({~0ull - 10, 100}, ReservationKind::kBlobReserve));  // wraps: saturates
    const auto free = free_of(map);
    ASSERT_EQ(free.size(), 1u);
    EXPECT_EQ(free[0], (Range{0x80000000, 16 * kMiB}));
    EXPECT_EQ(map.reserved_page_count(), 0u);
}

TEST(PhysMap, RefusesEmptyRangesAndAFullTable) {
    PhysMap map;
    EXPECT_FALSE(map.add_ram({0x1000, 0}));
    EXPECT_FALSE(map.reserve({0x1000, 0}, ReservationKind::kKernel));
    for (size_t i = 0; i < PhysMap::kMaxRam; ++i) EXPECT_TRUE(map.add_ram({i * 0x100000, 0x1000}));
    EXPECT_FALSE(map.add_ram({0x7000000, 0x1000}));
    EXPECT_EQ(map.ram_count(), PhysMap::kMaxRam);
}

TEST(PhysMap, ASubPageRegionHasNoPages) {
    PhysMap map;
    ASSERT_TRUE(map.add_ram({0x1001, 0xffe}));
    EXPECT_EQ(map.ram_page_count(), 0u);
    EXPECT_TRUE(free_of(map).empty());
}

}  // namespace
}  // namespace keel::mm
