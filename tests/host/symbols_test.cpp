// SPDX-License-Identifier: MIT
// SymbolTable lookups on synthetic tables built the way scripts/gen-symbols builds them.
#include <gtest/gtest.h>
#include <keel/lib/symbols.h>
#include <string.h>

#include <string>
#include <vector>

namespace keel {
namespace {

struct Symbol {
    uint64_t address;
    uint32_t size;
    std::string name;
};

// Encodes symbols (already sorted) into an 8-byte aligned blob.
std::vector<uint64_t> encode(const std::vector<Symbol>& symbols) {
    std::string names;
    std::vector<SymbolEntry> entries;
    for (const Symbol& s : symbols) {
        entries.push_back(SymbolEntry{s.address, s.size, static_cast<uint32_t>(names.size())});
        names += s.name;
        names += '\0';
    }
    const size_t names_offset = sizeof(SymbolTableHeader) + entries.size() * sizeof(SymbolEntry);
    std::vector<uint64_t> blob((names_offset + names.size() + 7) / 8);
    auto* bytes = reinterpret_cast<unsigned char*>(blob.data());
    const SymbolTableHeader header{kSymbolTableMagic, static_cast<uint32_t>(entries.size()),
                                   static_cast<uint32_t>(names_offset),
                                   static_cast<uint32_t>(names.size())};
    memcpy(bytes, &header, sizeof header);
    memcpy(bytes + sizeof header, entries.data(), entries.size() * sizeof(SymbolEntry));
    memcpy(bytes + names_offset, names.data(), names.size());
    return blob;
}

const std::vector<Symbol> kSymbols = {
    {0x80200000, 0, "_start"},
    {0x80200100, 0x40, "kmain"},
    {0x80200200, 0x20, "keel::heap::init"},
    {0x80200300, 0, "keel_trap_entry"},
};

SymbolTable table_of(const std::vector<uint64_t>& blob) {
    return SymbolTable::from(blob.data(), blob.size() * 8);
}

TEST(SymbolTable, FindsTheSymbolContainingAnAddressWithItsOffset) {
    const auto blob = encode(kSymbols);
    const SymbolTable table = table_of(blob);
    ASSERT_TRUE(table.valid());
    EXPECT_EQ(table.count(), 4u);
    const SymbolMatch m = table.lookup(0x80200134);
    ASSERT_NE(m.name, nullptr);
    EXPECT_STREQ(m.name, "kmain");
    EXPECT_EQ(m.offset, 0x34u);
}

TEST(SymbolTable, ExactStartHasOffsetZero) {
    const auto blob = encode(kSymbols);
    const SymbolMatch m = table_of(blob).lookup(0x80200200);
    EXPECT_STREQ(m.name, "keel::heap::init");
    EXPECT_EQ(m.offset, 0u);
}

TEST(SymbolTable, SizelessSymbolExtendsToTheNextOne) {
    const auto blob = encode(kSymbols);
    const SymbolMatch m = table_of(blob).lookup(0x802000fc);
    EXPECT_STREQ(m.name, "_start");
    EXPECT_EQ(m.offset, 0xfcu);
}

TEST(SymbolTable, AddressInAGapAfterASizedSymbolIsUnknown) {
    const auto blob = encode(kSymbols);
    EXPECT_EQ(table_of(blob).lookup(0x80200140).name, nullptr);  // kmain is 0x40 long
}

TEST(SymbolTable, AddressBelowTheFirstSymbolIsUnknown) {
    const auto blob = encode(kSymbols);
    EXPECT_EQ(table_of(blob).lookup(0x1000).name, nullptr);
}

TEST(SymbolTable, FarPastTheLastSizelessSymbolIsUnknown) {
    const auto blob = encode(kSymbols);
    EXPECT_STREQ(table_of(blob).lookup(0x80200310).name, "keel_trap_entry");
    EXPECT_EQ(table_of(blob).lookup(0x90000000).name, nullptr);
}

TEST(SymbolTable, FindsEveryEntryOfALargeTable) {
    std::vector<Symbol> many;
    for (uint32_t i = 0; i < 1000; ++i)
        many.push_back({0x1000 + i * 0x10ull, 0x10, "f" + std::to_string(i)});
    const auto blob = encode(many);
    const SymbolTable table = table_of(blob);
    for (uint32_t i = 0; i < 1000; ++i) {
        const SymbolMatch m = table.lookup(0x1000 + i * 0x10ull + 7);
        ASSERT_NE(m.name, nullptr);
        ASSERT_EQ(std::string(m.name), "f" + std::to_string(i));
        ASSERT_EQ(m.offset, 7u);
    }
}

TEST(SymbolTable, AllZeroPlaceholderIsInvalid) {
    const std::vector<uint64_t> zeros(64, 0);
    const SymbolTable table = table_of(zeros);
    EXPECT_FALSE(table.valid());
    EXPECT_EQ(table.lookup(0x80200000).name, nullptr);
}

TEST(SymbolTable, RejectsCountRunningPastTheBlob) {
    auto blob = encode(kSymbols);
    reinterpret_cast<SymbolTableHeader*>(blob.data())->count = 1000;
    EXPECT_FALSE(table_of(blob).valid());
}

TEST(SymbolTable, RejectsNamesRunningPastTheBlob) {
    auto blob = encode(kSymbols);
    reinterpret_cast<SymbolTableHeader*>(blob.data())->names_size = 0xffffff;
    EXPECT_FALSE(table_of(blob).valid());
}

TEST(SymbolTable, RejectsNamesStartingPastTheBlob) {
    auto blob = encode(kSymbols);
    auto* header = reinterpret_cast<SymbolTableHeader*>(blob.data());
    header->names_offset = 0x10000000;  // size - names_offset would wrap around
    header->names_size = 1;
    EXPECT_FALSE(table_of(blob).valid());
}

TEST(SymbolTable, RejectsAnUnterminatedLastName) {
    auto blob = encode(kSymbols);
    auto* header = reinterpret_cast<SymbolTableHeader*>(blob.data());
    reinterpret_cast<char*>(blob.data())[header->names_offset + header->names_size - 1] = 'x';
    EXPECT_FALSE(table_of(blob).valid());
}

TEST(SymbolTable, RejectsNameOffsetOutsideTheNames) {
    auto blob = encode(kSymbols);
    auto* entries = reinterpret_cast<SymbolEntry*>(reinterpret_cast<char*>(blob.data()) + 16);
    entries[2].name_offset = 0x7fffffff;
    EXPECT_FALSE(table_of(blob).valid());
}

TEST(SymbolTable, RejectsUnsortedEntries) {
    auto blob = encode(kSymbols);
    auto* entries = reinterpret_cast<SymbolEntry*>(reinterpret_cast<char*>(blob.data()) + 16);
    entries[1].address = 0x90000000;
    EXPECT_FALSE(table_of(blob).valid());
}

TEST(SymbolTable, RejectsABlobTooSmallForItsHeader) {
    const auto blob = encode(kSymbols);
    EXPECT_FALSE(SymbolTable::from(blob.data(), 8).valid());
    EXPECT_FALSE(SymbolTable::from(nullptr, 100).valid());
}

}  // namespace
}  // namespace keel
