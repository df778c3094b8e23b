// SPDX-License-Identifier: MIT
// fdt::Property, one accessor per test, on byte strings written out here: cells, 64-bit values,
// strings and string lists (Devicetree Specification v0.4, §2.2.4). Every short or unterminated
// value must be an error, never a read past its end (the values live in exact-size heap copies).
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "fdt_test_support.h"

namespace keel::fdt {
namespace {

using test::Blob;
using test::Bytes;

// The first `length` chars of `chars` (the whole C string by default, without its NUL).
Bytes text(const char* chars, size_t length = SIZE_MAX) {
    return Bytes(chars, chars + (length == SIZE_MAX ? strlen(chars) : length));
}

// A property over an exact-size copy of `bytes`, so ASan sees any read past the value.
class Value {
public:
    explicit Value(const Bytes& bytes, size_t misalign = 0) : blob_(bytes, misalign) {}
    Property property() const {
        return Property("test", blob_.data(), static_cast<uint32_t>(blob_.size()));
    }

private:
    Blob blob_;
};

std::vector<std::string> strings_of(const Property& property) {
    std::vector<std::string> strings;
    for (const char* s : property.strings()) strings.push_back(s);
    return strings;
}

TEST(FdtProperty, U32ReadsBigEndianCellsByIndex) {
    const Value value({0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x0a});
    EXPECT_EQ(value.property().u32(0).value(), 0x12345678u);
    EXPECT_EQ(value.property().u32(1).value(), 10u);
    EXPECT_EQ(value.property().cell_count(), 2u);
}

TEST(FdtProperty, U32PastTheLastWholeCellIsBadValue) {
    const Value value({0, 0, 0, 1, 0xff, 0xff});
    EXPECT_EQ(value.property().cell_count(), 1u);
    EXPECT_EQ(value.property().u32(1).error(), Error::kBadValue);
    EXPECT_EQ(value.property().u32(SIZE_MAX).error(), Error::kBadValue);
    EXPECT_EQ(Value(Bytes{}).property().u32().error(), Error::kBadValue);
}

TEST(FdtProperty, ReadsCellsAtAnOddAddress) {
    const Value value({0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1, 0, 0, 0, 2}, 1);
    EXPECT_EQ(value.property().u32(0).value(), 0xdeadbeefu);
    EXPECT_EQ(value.property().u64(0).value(), 0xdeadbeef00000001u);
    EXPECT_EQ(value.property().cells(1, 2).value(), 0x100000002u);
}

TEST(FdtProperty, U64ReadsEightByteValuesByIndex) {
    const Value value({0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe});
    EXPECT_EQ(value.property().u64(0).value(), 0x100000002u);
    EXPECT_EQ(value.property().u64(1).value(), 0xfffffffffffffffeu);
    EXPECT_EQ(value.property().u64(2).error(), Error::kBadValue);
}

TEST(FdtProperty, U64OfFourBytesIsBadValue) {
    EXPECT_EQ(Value({0, 0, 0, 1}).property().u64().error(), Error::kBadValue);
}

TEST(FdtProperty, NumberIsAU32OrAU64BySize) {
    EXPECT_EQ(Value({0x00, 0x98, 0x96, 0x80}).property().number().value(), 10000000u);
    EXPECT_EQ(Value({0, 0, 0, 1, 0, 0, 0, 0}).property().number().value(), 0x100000000u);
}

TEST(FdtProperty, NumberOfAnyOtherSizeIsBadValue) {
    for (size_t size : {0, 1, 3, 5, 7, 12}) {
        EXPECT_EQ(Value(Bytes(size, 1)).property().number().error(), Error::kBadValue) << size;
    }
}

TEST(FdtProperty, CellsJoinsOneOrTwoCellsHighFirst) {
    const Value value({0, 0, 0, 1, 0x80, 0, 0, 0, 0, 0, 0, 3});
    EXPECT_EQ(value.property().cells(0, 1).value(), 1u);
    EXPECT_EQ(value.property().cells(0, 2).value(), 0x180000000u);
    EXPECT_EQ(value.property().cells(1, 2).value(), 0x8000000000000003u);
}

TEST(FdtProperty, CellsRefusesCountsOtherThanOneOrTwo) {
    const Value value(Bytes(16, 0));
    EXPECT_EQ(value.property().cells(0, 0).error(), Error::kBadCells);
    EXPECT_EQ(value.property().cells(0, 3).error(), Error::kBadCells);
}

TEST(FdtProperty, CellsPastTheEndIsBadValueEvenForHugeIndexes) {
    const Value value(Bytes(8, 0));
    EXPECT_EQ(value.property().cells(1, 2).error(), Error::kBadValue);
    EXPECT_EQ(value.property().cells(2, 1).error(), Error::kBadValue);
    EXPECT_EQ(value.property().cells(SIZE_MAX, 2).error(), Error::kBadValue);
    EXPECT_EQ(value.property().cells(SIZE_MAX - 1, 2).error(), Error::kBadValue);
}

TEST(FdtProperty, StringIsTheFirstNulTerminatedString) {
    EXPECT_STREQ(Value(text("okay", 5)).property().string().value(), "okay");
    EXPECT_STREQ(Value(text("a\0b\0", 4)).property().string().value(), "a");
    EXPECT_STREQ(Value(text("\0", 1)).property().string().value(), "");
}

TEST(FdtProperty, StringWithoutANulInsideTheValueIsBadValue) {
    EXPECT_EQ(Value(text("okay")).property().string().error(), Error::kBadValue);
    EXPECT_EQ(Value(Bytes{}).property().string().error(), Error::kBadValue);
}

TEST(FdtProperty, StringsListsEveryEntryInOrderEmptyOnesIncluded) {
    const Value value(text("sifive,plic-1.0.0\0riscv,plic0\0\0x\0", 33));
    EXPECT_EQ(strings_of(value.property()),
              (std::vector<std::string>{"sifive,plic-1.0.0", "riscv,plic0", "", "x"}));
}

TEST(FdtProperty, StringsLeavesOutAnUnterminatedTail) {
    EXPECT_EQ(strings_of(Value(text("one\0two", 7)).property()), (std::vector<std::string>{"one"}));
    EXPECT_TRUE(strings_of(Value(text("one")).property()).empty());
    EXPECT_TRUE(strings_of(Value(Bytes{}).property()).empty());
}

TEST(FdtProperty, StringListContainsMatchesWholeEntriesOnly) {
    const Value value(text("sifive,test1\0syscon\0", 20));
    EXPECT_TRUE(value.property().string_list_contains("sifive,test1"));
    EXPECT_TRUE(value.property().string_list_contains("syscon"));
    EXPECT_FALSE(value.property().string_list_contains("sifive"));
    EXPECT_FALSE(value.property().string_list_contains("syscon2"));
    EXPECT_FALSE(value.property().string_list_contains(""));
    EXPECT_FALSE(value.property().string_list_contains(nullptr));
}

TEST(FdtProperty, StringListContainsIgnoresAnUnterminatedTail) {
    const Value value(text("ns16550\0ns16550a", 16));
    EXPECT_TRUE(value.property().string_list_contains("ns16550"));
    EXPECT_FALSE(value.property().string_list_contains("ns16550a"));
}

TEST(FdtProperty, DefaultPropertyIsEmpty) {
    const Property property;
    EXPECT_STREQ(property.name(), "");
    EXPECT_EQ(property.size(), 0u);
    EXPECT_EQ(property.u32().error(), Error::kBadValue);
    EXPECT_EQ(property.string().error(), Error::kBadValue);
    EXPECT_FALSE(property.string_list_contains("x"));
}

}  // namespace
}  // namespace keel::fdt
