// SPDX-License-Identifier: MIT
// SymbolTable: validation once, then binary search for the last symbol at or below an address.
#include <keel/lib/memory.h>
#include <keel/lib/symbols.h>

namespace keel {

SymbolTable SymbolTable::from(const void* blob, size_t size) {
    SymbolTable table;
    const auto* bytes = static_cast<const unsigned char*>(blob);
    if (blob == nullptr || size < sizeof(SymbolTableHeader) ||
        reinterpret_cast<uintptr_t>(blob) % alignof(SymbolEntry) != 0) {
        return table;
    }
    SymbolTableHeader header;
    memcpy(&header, bytes, sizeof header);
    const size_t entries_end = sizeof header + size_t{header.count} * sizeof(SymbolEntry);
    if (header.magic != kSymbolTableMagic || header.count == 0 || entries_end > size ||
        header.names_offset < entries_end || header.names_offset > size || header.names_size == 0 ||
        header.names_size > size - header.names_offset) {
        return table;
    }
    const auto* entries = reinterpret_cast<const SymbolEntry*>(bytes + sizeof header);
    const auto* names = reinterpret_cast<const char*>(bytes + header.names_offset);
    if (names[header.names_size - 1] != '\0') return table;  // every name ends inside the blob
    for (size_t i = 0; i < header.count; ++i) {
        if (entries[i].name_offset >= header.names_size) return table;
        if (i > 0 && entries[i].address <= entries[i - 1].address) return table;
    }
    table.entries_ = entries;
    table.count_ = header.count;
    table.names_ = names;
    table.names_size_ = header.names_size;
    return table;
}

SymbolMatch SymbolTable::lookup(uint64_t address) const {
    if (!valid() || address < entries_[0].address) return {};
    size_t low = 0;  // invariant: entries_[low].address <= address
    size_t high = count_;
    while (high - low > 1) {
        const size_t middle = low + (high - low) / 2;
        if (entries_[middle].address <= address) {
            low = middle;
        } else {
            high = middle;
        }
    }
    const SymbolEntry& entry = entries_[low];
    const uint64_t offset = address - entry.address;
    if (entry.size != 0 && offset >= entry.size) return {};  // in a gap after the symbol
    if (entry.size == 0 && low + 1 == count_ && offset >= 0x10000) return {};  // far past the end
    return SymbolMatch{names_ + entry.name_offset, offset};
}

}  // namespace keel
