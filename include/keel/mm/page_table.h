// SPDX-License-Identifier: MIT
// Sv39 page tables (RISC-V privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System"):
// three levels of 512 eight-byte entries; a leaf at level 2 maps 1 GiB, at level 1 2 MiB, at level
// 0 4 KiB. Portable: the tables live in memory reached through an offset (the direct map's base in
// the kernel; a buffer in the host tests), and their pages come from a PageSource.
#pragma once
#include <keel/lib/result.h>
#include <keel/mm/regions.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

// The permission and attribute bits of an entry, as the spec places them.
inline constexpr uint64_t kPteValid = 1u << 0;
inline constexpr uint64_t kPteRead = 1u << 1;
inline constexpr uint64_t kPteWrite = 1u << 2;
inline constexpr uint64_t kPteExecute = 1u << 3;
inline constexpr uint64_t kPteUser = 1u << 4;
inline constexpr uint64_t kPteGlobal = 1u << 5;
inline constexpr uint64_t kPteAccessed = 1u << 6;
inline constexpr uint64_t kPteDirty = 1u << 7;
// Software's bit (RSW): a program's page it may not touch at all (PROT_NONE). Supervisor-only
// (U clear), so every user access faults, yet the program's: kept, copied and freed with it.
inline constexpr uint64_t kPteUserNone = 1u << 8;
// Software's other bit: a program's page shared copy-on-write with another space (a fork's). Kept
// read-only while it is: the first write takes a copy, or the page back when no one else has it.
inline constexpr uint64_t kPteCopyOnWrite = 1u << 9;
inline constexpr uint64_t kPteSoftware = kPteUserNone | kPteCopyOnWrite;
// Whether a leaf entry is a program's page (kPteUser, or kPteUserNone).
constexpr bool is_user_leaf(uint64_t entry) {
    return (entry & (kPteUser | kPteUserNone)) != 0;
}

inline constexpr unsigned kLevels = 3;
inline constexpr uint64_t kSv39Mode = 8;  // satp.MODE

// Where table pages come from: `allocate` returns the physical address of a zeroed page, or 0;
// `release` (optional) takes one back when building a user space fails halfway.
struct PageSource {
    uint64_t (*allocate)(void* context);
    void* context;
    void (*release)(uint64_t physical, void* context) = nullptr;
};

enum class MapError : uint8_t {
    kNotAligned,     // an address or the size is not a multiple of 4 KiB
    kNotCanonical,   // the virtual range leaves Sv39's 39-bit space
    kWriteExecute,   // writable and executable at once: keel never maps that
    kNoAccess,       // neither readable nor executable (or writable without readable)
    kAlreadyMapped,  // part of the range is mapped already
    kNotMapped,      // unmap: part of the range is not mapped
    kSplitsLeaf,     // unmap: the range ends inside a large page
    kNoMemory,       // no page for a table
};

const char* map_error_name(MapError error);

// What a walk found, level by level (2 = the root's entry).
struct Walk {
    uint64_t entries[kLevels] = {};  // the entry read at each level (only down to where it stopped)
    int stopped_at = -1;             // the level of the leaf, or of the invalid entry that ended it
    bool mapped = false;
    uint64_t physical = 0;  // the address the virtual one maps to
    uint64_t page_size = 0;
    uint64_t flags = 0;  // the leaf's low 8 bits, and the software bits (kPteSoftware)
};

class PageTable {
public:
    // A root table from `source`; `offset` is where physical 0 is mapped for this code.
    static Result<PageTable, MapError> create(PageSource source, uintptr_t offset);
    // A user address space over `kernel` (same offset): a root of its own whose entries for
    // addresses from `user_top` (a multiple of 1 GiB) up are the kernel's own (the same tables:
    // what the kernel maps there later shows in every space, as long as it adds no root entry),
    // and whose entries below are empty, the program's. The kernel's table may map nothing below
    // user_top (kAlreadyMapped).
    static Result<PageTable, MapError> create_user(PageSource source, const PageTable& kernel,
                                                   uint64_t user_top);
    // Maps here each user leaf (is_user_leaf; a program's are 4 KiB) that `source` has in
    // [start, end) (page aligned, below the kernel's part), at the same address, as copy() says:
    // it gets the leaf's page and flags (as Walk has them) and leaves in `leaf` what each table
    // maps there from now on; its false stops the copy (kNoMemory). Tables are made as needed. It
    // looks only where `source` has tables: an empty stretch costs one look per 2 MiB (per 1 GiB
    // without a middle table). On an error what was copied stays, for the caller to destroy.
    struct LeafCopy {
        uint64_t physical;      // this table's page
        uint64_t flags;         // this table's flags (kPte*, kPteSoftware)
        uint64_t source_flags;  // the source's, from now on (same page)
    };
    using CopyLeaf = bool (*)(uint64_t virtual_address, LeafCopy& leaf, void* context);
    Result<void, MapError> copy_user_leaves(PageTable& source, uint64_t start, uint64_t end,
                                            CopyLeaf copy, void* context);
    // Removes each user leaf in [start, end) (page aligned, below the kernel's part), handing its
    // page to release(physical, context); looks only where tables are, as copy_user_leaves.
    void release_user_leaves(uint64_t start, uint64_t end,
                             void (*release)(uint64_t physical, void* context), void* context);
    // Ends a user address space: hands every user leaf (is_user_leaf) and every table below
    // `user_top` to release(physical, context), the root last. Kernel leaves are left alone. It
    // reads every table it has (eight empty entries at a time).
    void destroy_user(uint64_t user_top, void (*release)(uint64_t physical, void* context),
                      void* context);
    // The same for a space whose pages lie in `regions` (count of them, sorted: a RegionList's),
    // reading the tables only where the regions are: their pages first, then (none being left
    // anywhere, as the counts of leaves say) the last-level tables over them, then (none of those
    // being left) the middle ones. A page or table outside the regions (one an unmap left) is
    // still found: destroy_user reads what remains.
    void destroy_user(uint64_t user_top, const Region* regions, size_t count,
                      void (*release)(uint64_t physical, void* context), void* context);
    PageTable() = default;

    // Maps [virtual, virtual + size) to [physical, ...) with `flags` (kPteRead/Write/Execute/
    // User/Global), using the largest pages that alignment allows. On an error nothing new stays
    // mapped... except tables it had to add, which are harmless.
    Result<void, MapError> map(uint64_t virtual_address, uint64_t physical, uint64_t size,
                               uint64_t flags);
    // The 4 KiB leaf at `virtual_address` maps `physical` with `flags` from now on (a copy of a
    // shared page, or new permissions), in one store: kNotMapped when it is not a 4 KiB leaf.
    Result<void, MapError> replace(uint64_t virtual_address, uint64_t physical, uint64_t flags);
    // Removes whole leaves covering [virtual, virtual + size).
    Result<void, MapError> unmap(uint64_t virtual_address, uint64_t size);
    // Makes the 4 KiB page at `virtual_address` its own leaf: a large page around it becomes a
    // table of smaller ones with the same mapping and flags (so that one page of it can then be
    // unmapped, as a guard page under a stack). Nothing changes when it already is a 4 KiB leaf.
    Result<void, MapError> split(uint64_t virtual_address);
    // Makes every table [virtual, virtual + size) needs for 4 KiB pages, so that mapping pages
    // there later takes no memory (and cannot fail for the want of it).
    Result<void, MapError> reserve(uint64_t virtual_address, uint64_t size);
    Walk walk(uint64_t virtual_address) const;

    uint64_t root() const { return root_; }
    // satp for this table: Sv39 and the root's page number (ASID 0).
    uint64_t satp() const { return kSv39Mode << 60 | root_ >> 12; }
    // Table pages in use, the root included.
    size_t table_pages() const { return tables_[0] + tables_[1] + tables_[2]; }
    // Leaves at `level` (0: 4 KiB, 1: 2 MiB, 2: 1 GiB pages) mapped now.
    size_t leaves(unsigned level) const { return level < kLevels ? leaves_[level] : 0; }

private:
    uint64_t* table(uint64_t physical) const;
    // The entry for `virtual_address` at `level`, making tables on the way down when `make`.
    Result<uint64_t*, MapError> entry(uint64_t virtual_address, unsigned level, bool make);
    // The last-level table over `virtual_address`, or nullptr; `next` gets where the stretch it
    // covers (2 MiB), or that the missing entry would have covered, ends.
    uint64_t* last_table(uint64_t virtual_address, uint64_t& next) const;
    // destroy_user's part for one middle table: its leaves and tables.
    void destroy_middle(uint64_t* middle, void (*release)(uint64_t physical, void* context),
                        void* context);
    // Gives back the tables of `level` (0: last-level, 1: middle) over [start, end), clearing the
    // entries that point to them: the caller knows they are empty.
    void release_tables(uint64_t start, uint64_t end, unsigned level,
                        void (*release)(uint64_t physical, void* context), void* context);

    PageSource source_{};
    uintptr_t offset_ = 0;
    uint64_t root_ = 0;
    size_t tables_[kLevels] = {};  // table pages by the level of their entries (2: the root)
    size_t leaves_[kLevels] = {};
};

// Whether `address` is a canonical Sv39 address (bits 63..39 copy bit 38).
bool is_canonical(uint64_t address);

}  // namespace keel::mm
