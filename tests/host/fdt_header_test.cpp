// SPDX-License-Identifier: MIT
// Header checks (Devicetree Specification v0.4, §5.2): each field that can be wrong, one test
// each, on copies of the minimal blob with that field patched; plus the error names.
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include "fdt_test_support.h"

namespace keel::fdt {
namespace {

using test::Blob;
using test::Bytes;
using test::get_be32;
using test::load_dtb;
using test::open_status;
using test::OpenTree;
using test::put_be32;
using test::with_field;

TEST(FdtHeader, OpensAValidBlobAndReportsItsHeader) {
    const Bytes minimal = load_dtb("minimal");
    const OpenTree tree(minimal);
    EXPECT_EQ(tree.tree.total_size(), minimal.size());
    EXPECT_EQ(tree.tree.version(), 17u);
    EXPECT_EQ(tree.tree.boot_cpu(), 0u);
}

TEST(FdtHeader, RefusesANullBlobOrALimitSmallerThanTheHeader) {
    const Bytes minimal = load_dtb("minimal");
    EXPECT_EQ(DeviceTree::open(nullptr, 4096).error(), Error::kTruncated);
    const Blob blob(minimal);
    EXPECT_EQ(DeviceTree::open(blob.data(), 39).error(), Error::kTruncated);
    EXPECT_EQ(DeviceTree::open(blob.data(), 0).error(), Error::kTruncated);
}

TEST(FdtHeader, RefusesAWrongMagic) {
    EXPECT_EQ(open_status(with_field(load_dtb("minimal"), test::kMagicField, 0xedfe0dd0)).error(),
              Error::kBadMagic);
}

TEST(FdtHeader, RefusesVersionsOlderThan16) {
    EXPECT_EQ(open_status(with_field(load_dtb("minimal"), test::kVersionField, 15)).error(),
              Error::kBadVersion);
}

TEST(FdtHeader, RefusesBlobsNotCompatibleWithVersion17) {
    EXPECT_EQ(open_status(with_field(load_dtb("minimal"), test::kLastCompVersionField, 18)).error(),
              Error::kBadVersion);
}

TEST(FdtHeader, AcceptsANewerVersionThatStaysCompatibleWith17) {
    EXPECT_TRUE(open_status(with_field(load_dtb("minimal"), test::kVersionField, 18)).ok());
}

TEST(FdtHeader, AcceptsVersion16WhichHasNoStructSize) {
    Bytes blob = with_field(load_dtb("minimal"), test::kVersionField, 16);
    put_be32(blob, test::kStructSizeField, 0xffffffff);  // not a v16 field: must be ignored
    const OpenTree tree(blob);
    EXPECT_EQ(tree.tree.reg(tree.node("/memory"), 0).value().address, 0x1000u);
}

TEST(FdtHeader, RefusesTotalSizeBeyondTheLimit) {
    const Bytes minimal = load_dtb("minimal");
    const Blob blob(minimal);
    EXPECT_EQ(DeviceTree::open(blob.data(), minimal.size() - 1).error(), Error::kTruncated);
    EXPECT_EQ(DeviceTree::open(blob.data(), minimal.size()).ok(), true);
    const Blob huge(with_field(minimal, test::kTotalSizeField, 2 * kFirmwareBlobLimit));
    EXPECT_EQ(DeviceTree::open(huge.data(), kFirmwareBlobLimit).error(), Error::kTruncated);
}

TEST(FdtHeader, RefusesTotalSizeSmallerThanTheHeader) {
    EXPECT_EQ(open_status(with_field(load_dtb("minimal"), test::kTotalSizeField, 39)).error(),
              Error::kBadHeader);
}

TEST(FdtHeader, RefusesAStructBlockThatRunsPastTotalSize) {
    const Bytes minimal = load_dtb("minimal");
    const uint32_t room =
        static_cast<uint32_t>(minimal.size()) - get_be32(minimal, test::kStructOffsetField);
    EXPECT_EQ(open_status(with_field(minimal, test::kStructSizeField, room + 4)).error(),
              Error::kBadHeader);
}

TEST(FdtHeader, RefusesAStructBlockWhoseEndOverflows) {
    Bytes blob = with_field(load_dtb("minimal"), test::kStructOffsetField, 0xfffffff0);
    EXPECT_EQ(open_status(with_field(blob, test::kStructSizeField, 0x20)).error(),
              Error::kBadHeader);
}

TEST(FdtHeader, RefusesAMisalignedStructBlock) {
    const Bytes minimal = load_dtb("minimal");
    Bytes blob = with_field(minimal, test::kStructOffsetField,
                            get_be32(minimal, test::kStructOffsetField) + 2);
    put_be32(blob, test::kStructSizeField, get_be32(minimal, test::kStructSizeField) - 4);
    EXPECT_EQ(open_status(blob).error(), Error::kBadHeader);
}

TEST(FdtHeader, RefusesAStructBlockOverlappingTheHeader) {
    EXPECT_EQ(open_status(with_field(load_dtb("minimal"), test::kStructOffsetField, 0)).error(),
              Error::kBadHeader);
}

TEST(FdtHeader, RefusesAStringsBlockThatRunsPastTotalSize) {
    const Bytes minimal = load_dtb("minimal");
    const uint32_t room =
        static_cast<uint32_t>(minimal.size()) - get_be32(minimal, test::kStringsOffsetField);
    EXPECT_EQ(open_status(with_field(minimal, test::kStringsSizeField, room + 1)).error(),
              Error::kBadHeader);
    EXPECT_EQ(open_status(with_field(minimal, test::kStringsOffsetField, 0xffffffff)).error(),
              Error::kBadHeader);
}

TEST(FdtHeader, RefusesAReservationBlockOutsideOrMisalignedOrUnterminated) {
    const Bytes minimal = load_dtb("minimal");
    const auto size = static_cast<uint32_t>(minimal.size());
    EXPECT_EQ(open_status(with_field(minimal, test::kReservationsField, size + 8)).error(),
              Error::kBadHeader);
    EXPECT_EQ(open_status(with_field(minimal, test::kReservationsField, 44)).error(),
              Error::kBadHeader);
    // 8 bytes before the end: no room for the 16-byte terminating entry.
    EXPECT_EQ(open_status(with_field(minimal, test::kReservationsField, (size - 8) & ~7u)).error(),
              Error::kBadHeader);
}

TEST(FdtHeader, OpensABlobAtAnOddAddress) {
    for (size_t misalign : {1, 2, 3, 5}) {
        const OpenTree virt(load_dtb("virt"), misalign);
        EXPECT_EQ(virt.tree.reg(virt.node("serial0"), 0).value().address, 0x10000000u);
        EXPECT_EQ(virt.tree.memory_reservation(1).value().address, 0x87e00000u);
        EXPECT_EQ(virt.tree.timebase_frequency().value(), 10000000u);
    }
}

TEST(FdtErrors, EveryErrorHasItsOwnShortName) {
    const Error errors[] = {Error::kBadMagic,  Error::kBadVersion,   Error::kTruncated,
                            Error::kBadHeader, Error::kBadStructure, Error::kBadString,
                            Error::kTooDeep,   Error::kNotFound,     Error::kBadValue,
                            Error::kBadCells};
    for (Error a : errors) {
        EXPECT_GT(strlen(error_name(a)), 0u);
        EXPECT_STRNE(error_name(a), "unknown error");
        for (Error b : errors) {
            if (a != b) {
                EXPECT_STRNE(error_name(a), error_name(b));
            }
        }
    }
    EXPECT_STREQ(error_name(static_cast<Error>(200)), "unknown error");
}

}  // namespace
}  // namespace keel::fdt
