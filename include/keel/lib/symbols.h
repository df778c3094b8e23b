// SPDX-License-Identifier: MIT
// SymbolTable: function names for addresses, so a backtrace says `kmain+0x34` at run time.
// The build (scripts/gen-symbols) writes the table into the image's .keel_symtab section after
// linking. Portable and defensive: a blob that fails validation resolves nothing.
//
// Layout, native (little-endian) byte order, 8-byte aligned:
//   SymbolTableHeader                       magic "KSYM", entry count, where the names are
//   SymbolEntry[count]                      sorted by address, no two equal
//   names                                   NUL-terminated strings, the last byte NUL
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct SymbolTableHeader {
    uint32_t magic;  // kSymbolTableMagic
    uint32_t count;
    uint32_t names_offset;  // from the start of the blob
    uint32_t names_size;
};
static_assert(sizeof(SymbolTableHeader) == 16, "scripts/gen-symbols writes this layout");

struct SymbolEntry {
    uint64_t address;
    uint32_t size;         // 0 when unknown (assembly labels): the symbol ends at the next one
    uint32_t name_offset;  // into the names
};
static_assert(sizeof(SymbolEntry) == 16, "scripts/gen-symbols writes this layout");

inline constexpr uint32_t kSymbolTableMagic = 0x4d59534b;  // "KSYM" read as a little-endian u32

struct SymbolMatch {
    const char* name = nullptr;  // nullptr: no symbol covers the address
    uint64_t offset = 0;
};

class SymbolTable {
public:
    constexpr SymbolTable() = default;

    // Checks the whole blob once (magic, bounds, order, terminated names).
    static SymbolTable from(const void* blob, size_t size);

    bool valid() const { return entries_ != nullptr; }
    size_t count() const { return count_; }
    SymbolMatch lookup(uint64_t address) const;

private:
    const SymbolEntry* entries_ = nullptr;
    size_t count_ = 0;
    const char* names_ = nullptr;
    size_t names_size_ = 0;
};

}  // namespace keel
