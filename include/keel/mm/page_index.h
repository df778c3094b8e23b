// SPDX-License-Identifier: MIT
// PageIndex: a sparse array of 64-bit values (a file's page addresses, 0 meaning none) by page
// number, as a radix tree of three levels of 512-entry tables, like an Sv39 page table without
// flags: 2^27 pages, 512 GiB of file. Only the tables a value needs exist, and a table goes back
// as soon as it empties, so an empty index holds no page at all. Portable: the tables come from a
// PageSource and are reached through an offset, exactly as PageTable's; no lock (the owner, a
// file, serialises its calls).
#pragma once
#include <keel/lib/result.h>
#include <keel/mm/page_table.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

enum class PageIndexError : uint8_t {
    kZeroValue,   // set: 0 means "none", so it cannot be stored
    kOutOfRange,  // set: an index of PageIndex::kLimit or more
    kOccupied,    // set: the index holds a value already (set replaces nothing: take it first)
    kNoMemory,    // set: no page for a table
};

const char* page_index_error_name(PageIndexError error);

class PageIndex {
public:
    static constexpr unsigned kLevels = 3;
    static constexpr uint64_t kLimit = uint64_t{1} << (9 * kLevels);  // indices are below this

    using ReleaseValue = void (*)(uint64_t value, void* context);
    using VisitValue = bool (*)(uint64_t index, uint64_t value, void* context);

    PageIndex() = default;  // an index with no source: set fails with kNoMemory
    // An index whose tables come from `source` (its release is how emptied tables go back);
    // `offset` is where physical 0 is mapped for this code.
    PageIndex(PageSource source, uintptr_t offset) : source_(source), offset_(offset) {}
    // One owner per set of tables: a copy would free them under the other.
    PageIndex(const PageIndex&) = delete;
    PageIndex& operator=(const PageIndex&) = delete;

    // The value at `index`, or 0 when there is none (or the index is out of range).
    uint64_t get(uint64_t index) const;
    // Stores `value` at an empty `index`, making the tables it needs; on an error nothing changes.
    Result<void, PageIndexError> set(uint64_t index, uint64_t value);
    // Removes the value at `index` and returns it (0 when there was none), giving back the tables
    // that leaves empty.
    uint64_t take(uint64_t index);
    // Removes every value at an index >= `from`, handing each to release(value, context) (unless
    // release is nullptr) in index order; tables that become empty go back to the source.
    // release may not use the index.
    void truncate(uint64_t from, ReleaseValue release, void* context);
    // Calls visit(index, value, context) for each value at an index >= `from`, in index order,
    // until visit returns false. visit may not change the index.
    void for_each(uint64_t from, VisitValue visit, void* context) const;

    size_t count() const { return count_; }              // values held
    size_t table_pages() const { return table_pages_; }  // tables held (0 when empty)

private:
    uint64_t* table(uint64_t physical) const;
    unsigned missing_tables(uint64_t index) const;
    uint64_t allocate_table();
    void release_table(uint64_t physical);
    bool truncate_table(uint64_t physical, unsigned level, uint64_t base, uint64_t from,
                        ReleaseValue release, void* context);
    bool visit_table(uint64_t physical, unsigned level, uint64_t base, uint64_t from,
                     VisitValue visit, void* context) const;

    PageSource source_{};
    uintptr_t offset_ = 0;
    uint64_t root_ = 0;  // physical address of the top table, 0 when the index is empty
    size_t count_ = 0;
    size_t table_pages_ = 0;
};

}  // namespace keel::mm
