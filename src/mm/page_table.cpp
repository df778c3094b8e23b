// SPDX-License-Identifier: MIT
// Sv39 page tables (include/keel/mm/page_table.h).
#include <keel/mm/page_table.h>

#include "page_table_entries.h"

namespace keel::mm {

using namespace entries;  // (page_table_entries.h)

const char* map_error_name(MapError error) {
    switch (error) {
    case MapError::kNotAligned: return "not page aligned";
    case MapError::kNotCanonical: return "outside Sv39's address space";
    case MapError::kWriteExecute: return "writable and executable";
    case MapError::kNoAccess: return "neither readable nor executable";
    case MapError::kAlreadyMapped: return "already mapped";
    case MapError::kNotMapped: return "not mapped";
    case MapError::kSplitsLeaf: return "would split a large page";
    case MapError::kNoMemory: return "no page for a table";
    }
    return "?";
}

bool is_canonical(uint64_t address) {
    const uint64_t high = address >> 38;  // bit 38 and everything above it
    return high == 0 || high == (~0ull >> 38);
}

Result<PageTable, MapError> PageTable::create(PageSource source, uintptr_t offset) {
    PageTable table;
    table.source_ = source;
    table.offset_ = offset;
    table.root_ = source.allocate(source.context);
    if (table.root_ == 0) return MapError::kNoMemory;
    table.tables_[kLevels - 1] = 1;
    return table;
}

uint64_t* PageTable::table(uint64_t physical) const {
    return reinterpret_cast<uint64_t*>(static_cast<uintptr_t>(physical) + offset_);
}

Result<uint64_t*, MapError> PageTable::entry(uint64_t virtual_address, unsigned level, bool make) {
    uint64_t physical = root_;
    for (unsigned at = kLevels - 1;; --at) {
        uint64_t* slot = &table(physical)[index_at(virtual_address, at)];
        if (at == level) return slot;
        if (is_leaf(*slot)) return MapError::kAlreadyMapped;  // a larger page covers it
        if ((*slot & kPteValid) == 0) {
            if (!make) return MapError::kNotMapped;
            const uint64_t page = source_.allocate(source_.context);
            if (page == 0) return MapError::kNoMemory;
            ++tables_[at - 1];
            *slot = make_entry(page, 0);  // a pointer to the next level: V only
        }
        physical = entry_address(*slot);
    }
}

Result<void, MapError> PageTable::map(uint64_t virtual_address, uint64_t physical, uint64_t size,
                                      uint64_t flags) {
    if (virtual_address % kPage != 0 || physical % kPage != 0 || size % kPage != 0)
        return MapError::kNotAligned;
    if (size == 0) return {};
    // Both ends canonical, and in the same half: a range may not cross Sv39's hole.
    const uint64_t last = virtual_address + size - 1;
    if (!is_canonical(virtual_address) || !is_canonical(last) || last < virtual_address ||
        (virtual_address >> 38) != (last >> 38))
        return MapError::kNotCanonical;
    if ((flags & kPteWrite) != 0 && (flags & kPteExecute) != 0) return MapError::kWriteExecute;
    if ((flags & (kPteRead | kPteExecute)) == 0) return MapError::kNoAccess;
    // Nothing of the range may be mapped yet: check it all first, so that an error maps nothing.
    // An invalid entry at level L leaves its whole 4 KiB << 9L unmapped: skip to its end.
    for (uint64_t at = 0; at < size;) {
        const Walk found = walk(virtual_address + at);
        if (found.mapped) return MapError::kAlreadyMapped;
        const uint64_t span =
            level_size(static_cast<unsigned>(found.stopped_at < 0 ? 0 : found.stopped_at));
        at += span - (virtual_address + at) % span;
    }
    const uint64_t leaf_flags = leaf_flags_of(flags);
    for (uint64_t done = 0; done < size;) {
        const uint64_t va = virtual_address + done;
        const uint64_t pa = physical + done;
        unsigned level = kLevels - 1;
        while (level > 0 && !(va % level_size(level) == 0 && pa % level_size(level) == 0 &&
                              size - done >= level_size(level)))
            --level;
        auto slot = entry(va, level, true);
        if (!slot.ok()) return slot.error();
        // A table already there (one an unmap emptied, or one holding other small pages): go down
        // into it with smaller pages instead of a large one. (The check above found no leaf.)
        while ((*slot.value() & kPteValid) != 0 && level > 0) {
            --level;
            slot = entry(va, level, true);
            if (!slot.ok()) return slot.error();
        }
        if ((*slot.value() & kPteValid) != 0) return MapError::kAlreadyMapped;
        *slot.value() = make_entry(pa, leaf_flags);
        ++leaves_[level];
        done += level_size(level);
    }
    return {};
}

Result<void, MapError> PageTable::reserve(uint64_t virtual_address, uint64_t size) {
    if (virtual_address % kPage != 0 || size % kPage != 0) return MapError::kNotAligned;
    const uint64_t last = virtual_address + size - 1;
    if (size != 0 && (!is_canonical(virtual_address) || !is_canonical(last) ||
                      last < virtual_address || (virtual_address >> 38) != (last >> 38)))
        return MapError::kNotCanonical;
    const uint64_t span = level_size(1);  // one last-level table covers this much
    for (uint64_t at = virtual_address - virtual_address % span; at < virtual_address + size;
         at += span) {
        const auto slot = entry(at, 0, true);
        if (!slot.ok()) return slot.error();
    }
    return {};
}

Result<void, MapError> PageTable::replace(uint64_t virtual_address, uint64_t physical,
                                          uint64_t flags) {
    if (virtual_address % kPage != 0 || physical % kPage != 0) return MapError::kNotAligned;
    if ((flags & kPteWrite) != 0 && (flags & kPteExecute) != 0) return MapError::kWriteExecute;
    if ((flags & (kPteRead | kPteExecute)) == 0) return MapError::kNoAccess;
    if (!is_canonical(virtual_address)) return MapError::kNotCanonical;
    const auto slot = entry(virtual_address, 0, false);
    if (!slot.ok() || !is_leaf(*slot.value())) return MapError::kNotMapped;
    *slot.value() = make_entry(physical, leaf_flags_of(flags));
    return {};
}

Result<void, MapError> PageTable::unmap(uint64_t virtual_address, uint64_t size) {
    if (virtual_address % kPage != 0 || size % kPage != 0) return MapError::kNotAligned;
    // Check it all first, so that a refusal changes nothing.
    for (uint64_t done = 0; done < size;) {
        const Walk found = walk(virtual_address + done);
        if (!found.mapped) return MapError::kNotMapped;
        const uint64_t va = virtual_address + done;
        if (va % found.page_size != 0 || size - done < found.page_size)
            return MapError::kSplitsLeaf;
        done += found.page_size;
    }
    for (uint64_t done = 0; done < size;) {
        const Walk found = walk(virtual_address + done);
        *entry(virtual_address + done, static_cast<unsigned>(found.stopped_at), false).value() = 0;
        --leaves_[found.stopped_at];
        done += found.page_size;
    }
    return {};
}

Result<void, MapError> PageTable::split(uint64_t virtual_address) {
    if (virtual_address % kPage != 0) return MapError::kNotAligned;
    for (;;) {
        const Walk found = walk(virtual_address);
        if (!found.mapped) return MapError::kNotMapped;
        if (found.stopped_at == 0) return {};
        // The large leaf becomes a table of 512 leaves one level down, same flags, same memory.
        const auto level = static_cast<unsigned>(found.stopped_at);
        const uint64_t page = source_.allocate(source_.context);
        if (page == 0) return MapError::kNoMemory;
        ++tables_[level - 1];
        uint64_t* slot = entry(virtual_address, level, false).value();
        const uint64_t base = entry_address(*slot);
        const uint64_t flags = *slot & 0xff & ~kPteValid;
        uint64_t* children = table(page);
        for (uint64_t i = 0; i < 512; ++i)
            children[i] = make_entry(base + i * level_size(level - 1), flags);
        *slot = make_entry(page, 0);
        --leaves_[level];
        leaves_[level - 1] += 512;
    }
}

Walk PageTable::walk(uint64_t virtual_address) const {
    Walk result;
    if (!is_canonical(virtual_address) || root_ == 0) return result;
    uint64_t physical = root_;
    for (int level = kLevels - 1; level >= 0; --level) {
        const uint64_t entry =
            table(physical)[index_at(virtual_address, static_cast<unsigned>(level))];
        result.entries[level] = entry;
        result.stopped_at = level;
        if ((entry & kPteValid) == 0) return result;
        if (is_leaf(entry)) {
            const uint64_t size = level_size(static_cast<unsigned>(level));
            result.mapped = true;
            result.page_size = size;
            result.physical = entry_address(entry) + (virtual_address & (size - 1));
            result.flags = walk_flags_of(entry);
            return result;
        }
        if (level == 0) return result;  // a pointer at the last level: malformed, not mapped
        physical = entry_address(entry);
    }
    return result;
}

}  // namespace keel::mm
