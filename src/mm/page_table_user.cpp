// SPDX-License-Identifier: MIT
// A program's address space in an Sv39 table (include/keel/mm/page_table.h): made over the
// kernel's, copied for a fork, ended. A program's tables are mostly empty (a few pages at the
// bottom of 256 GiB, a stack and the vDSO at the top), so what costs here is reading empty
// entries: they are passed eight at a time, and a copy or a release looks only where the regions
// are that the caller names.
#include <keel/lib/memory.h>
#include <keel/mm/page_table.h>

#include "page_table_entries.h"

namespace keel::mm {

using namespace entries;  // (page_table_entries.h)

namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

// The first index in [from, to) whose entry is valid, or `to`. Eight entries a branch where it
// can (their V bits ORed together): about two instructions an empty entry rather than five.
unsigned next_valid(const uint64_t* table, unsigned from, unsigned to) {
    for (; from + 8 <= to; from += 8) {
        const uint64_t* e = table + from;
        if (((e[0] | e[1] | e[2] | e[3] | e[4] | e[5] | e[6] | e[7]) & kPteValid) != 0) break;
    }
    while (from < to && (table[from] & kPteValid) == 0) ++from;
    return from;
}

// Whether a last-level entry is a program's page.
bool is_user_page(uint64_t entry) {
    return (entry & kPteValid) != 0 && is_user_leaf(entry);
}

}  // namespace

Result<PageTable, MapError> PageTable::create_user(PageSource source, const PageTable& kernel,
                                                   uint64_t user_top) {
    if (user_top % kGiB != 0 || user_top / kGiB > 512) return MapError::kNotAligned;
    const auto user_entries = static_cast<unsigned>(user_top / kGiB);
    const uint64_t* kernel_root = kernel.table(kernel.root_);
    if (next_valid(kernel_root, 0, user_entries) != user_entries) return MapError::kAlreadyMapped;
    const auto created = create(source, kernel.offset_);
    if (!created.ok()) return created;
    PageTable space = created.value();
    // The kernel's root entries from user_top up, shared (the root came zeroed below).
    memcpy(space.table(space.root_) + user_entries, kernel_root + user_entries,
           (512 - user_entries) * sizeof(uint64_t));
    return space;
}

uint64_t* PageTable::last_table(uint64_t virtual_address, uint64_t& next) const {
    const uint64_t root_entry = table(root_)[index_at(virtual_address, 2)];
    if ((root_entry & kPteValid) == 0 || is_leaf(root_entry)) {
        next = (virtual_address & ~(kGiB - 1)) + kGiB;
        return nullptr;
    }
    next = (virtual_address & ~(level_size(1) - 1)) + level_size(1);
    const uint64_t middle_entry = table(entry_address(root_entry))[index_at(virtual_address, 1)];
    if ((middle_entry & kPteValid) == 0 || is_leaf(middle_entry)) return nullptr;
    return table(entry_address(middle_entry));
}

Result<void, MapError> PageTable::copy_user_leaves(PageTable& source, uint64_t start, uint64_t end,
                                                   CopyLeaf copy, void* context) {
    uint64_t next = 0;
    for (uint64_t stretch = start; stretch < end; stretch = next) {
        uint64_t* from = source.last_table(stretch, next);
        if (from == nullptr) continue;
        const unsigned last = next <= end ? 512 : index_at(end, 0);
        uint64_t* to = nullptr;  // this table's last-level table for the stretch, once needed
        for (unsigned i = next_valid(from, index_at(stretch, 0), last); i < last;
             i = next_valid(from, i + 1, last)) {
            if (!is_user_leaf(from[i])) continue;
            const uint64_t address = (stretch & ~(level_size(1) - 1)) + i * kPage;
            if (to == nullptr) {
                const auto slot = entry(address, 0, true);
                if (!slot.ok()) return slot.error();
                to = slot.value() - i;
            }
            const uint64_t page = entry_address(from[i]);
            LeafCopy leaf{page, walk_flags_of(from[i]), walk_flags_of(from[i])};
            if (!copy(address, leaf, context)) return MapError::kNoMemory;
            from[i] = make_entry(page, leaf_flags_of(leaf.source_flags));
            to[i] = make_entry(leaf.physical, leaf_flags_of(leaf.flags));
            ++leaves_[0];
        }
    }
    return {};
}

void PageTable::release_user_leaves(uint64_t start, uint64_t end,
                                    void (*release)(uint64_t physical, void* context),
                                    void* context) {
    uint64_t next = 0;
    for (uint64_t stretch = start; stretch < end; stretch = next) {
        uint64_t* last_level = last_table(stretch, next);
        if (last_level == nullptr) continue;
        const unsigned last = next <= end ? 512 : index_at(end, 0);
        for (unsigned i = next_valid(last_level, index_at(stretch, 0), last); i < last;
             i = next_valid(last_level, i + 1, last)) {
            if (!is_user_leaf(last_level[i])) continue;
            release(entry_address(last_level[i]), context);
            last_level[i] = 0;
            --leaves_[0];
        }
    }
}

void PageTable::destroy_middle(uint64_t* middle, void (*release)(uint64_t physical, void* context),
                               void* context) {
    for (unsigned j = next_valid(middle, 0, 512); j < 512; j = next_valid(middle, j + 1, 512)) {
        const uint64_t entry = middle[j];
        middle[j] = 0;
        if (is_leaf(entry)) {
            if (is_user_leaf(entry)) release(entry_address(entry), context);
            --leaves_[1];
            continue;
        }
        // Its pages, unless none is left anywhere (release_user_leaves took them all).
        const uint64_t* last_level = table(entry_address(entry));
        for (unsigned k = leaves_[0] != 0 ? next_valid(last_level, 0, 512) : 512; k < 512;
             k = next_valid(last_level, k + 1, 512)) {
            if (!is_user_page(last_level[k])) continue;
            release(entry_address(last_level[k]), context);
            --leaves_[0];
        }
        release(entry_address(entry), context);
        --tables_[0];
    }
}

void PageTable::destroy_user(uint64_t user_top, void (*release)(uint64_t physical, void* context),
                             void* context) {
    if (release == nullptr) release = [](uint64_t, void*) {};
    uint64_t* root = table(root_);
    const auto user_entries = static_cast<unsigned>(user_top / kGiB < 512 ? user_top / kGiB : 512);
    // (No table below the root: the user half holds nothing to give back.)
    for (unsigned i = tables_[1] != 0 ? next_valid(root, 0, user_entries) : user_entries;
         i < user_entries; i = next_valid(root, i + 1, user_entries)) {
        if (is_leaf(root[i])) continue;
        destroy_middle(table(entry_address(root[i])), release, context);
        release(entry_address(root[i]), context);
        --tables_[1];
        root[i] = 0;
    }
    release(root_, context);
    tables_[2] = 0;
    root_ = 0;
}

void PageTable::release_tables(uint64_t start, uint64_t end, unsigned level,
                               void (*release)(uint64_t physical, void* context), void* context) {
    const uint64_t span = level_size(level + 1);  // what one table of `level` maps
    for (uint64_t at = start & ~(span - 1); at < end; at += span) {
        uint64_t* parent = table(root_);
        if (level == 0) {
            const uint64_t root_entry = parent[index_at(at, 2)];
            if ((root_entry & kPteValid) == 0 || is_leaf(root_entry)) continue;
            parent = table(entry_address(root_entry));
        }
        uint64_t& entry = parent[index_at(at, level + 1)];
        if ((entry & kPteValid) == 0 || is_leaf(entry)) continue;
        release(entry_address(entry), context);
        entry = 0;
        --tables_[level];
    }
}

void PageTable::destroy_user(uint64_t user_top, const Region* regions, size_t count,
                             void (*release)(uint64_t physical, void* context), void* context) {
    for (size_t r = 0; r < count; ++r)
        release_user_leaves(regions[r].start, regions[r].end, release, context);
    // No page left anywhere: every last-level table is empty. None of those left, and no 2 MiB
    // page: every middle one is.
    for (unsigned level = 0; level < 2; ++level) {
        if (leaves_[level] != 0 || (level == 1 && tables_[0] != 0)) break;
        for (size_t r = 0; r < count; ++r)
            release_tables(regions[r].start, regions[r].end, level, release, context);
    }
    destroy_user(user_top, release, context);  // the root, and whatever the regions missed
}

}  // namespace keel::mm
