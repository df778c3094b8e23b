// SPDX-License-Identifier: MIT
// What an Sv39 entry holds and where (RISC-V privileged spec, "Sv39"), for the two halves of
// mm::PageTable: page_table.cpp (mapping, walking) and page_table_user.cpp (a program's space:
// made, copied, ended). Private to src/mm.
#pragma once
#include <keel/mm/page_table.h>
#include <stdint.h>

namespace keel::mm::entries {

inline constexpr uint64_t kPage = 4096;
inline constexpr uint64_t kPermissions = kPteRead | kPteWrite | kPteExecute;

constexpr uint64_t level_size(unsigned level) {
    return kPage << (9 * level);
}

constexpr unsigned index_at(uint64_t virtual_address, unsigned level) {
    return static_cast<unsigned>((virtual_address >> (12 + 9 * level)) & 511);
}

constexpr uint64_t entry_address(uint64_t entry) {
    return (entry >> 10 & ((1ull << 44) - 1)) << 12;
}

constexpr uint64_t make_entry(uint64_t physical, uint64_t flags) {
    return (physical >> 12) << 10 | flags | kPteValid;
}

// What map() and replace() store: the permissions and attributes asked for, A (and D when
// writable) set, as the spec lets software do to spare the hardware's update or fault.
constexpr uint64_t leaf_flags_of(uint64_t flags) {
    return (flags & (kPermissions | kPteUser | kPteSoftware | kPteGlobal)) | kPteAccessed |
           ((flags & kPteWrite) != 0 ? kPteDirty : 0);
}

// The flags Walk reports of a leaf: its low eight bits and the software bits.
constexpr uint64_t walk_flags_of(uint64_t entry) {
    return entry & (0xff | kPteSoftware);
}

constexpr bool is_leaf(uint64_t entry) {
    return (entry & kPteValid) != 0 && (entry & kPermissions) != 0;
}

}  // namespace keel::mm::entries
