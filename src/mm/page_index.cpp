// SPDX-License-Identifier: MIT
// Sparse page indices (include/keel/mm/page_index.h). Level 2 is the root; an entry of levels 2
// and 1 is the physical address of the table below (0: none), an entry of level 0 a value. Tables
// keep no count of their entries: whether one is empty is a scan of its 4 KiB, done only where a
// removal may have emptied it.
#include <keel/mm/page_index.h>

namespace keel::mm {
namespace {

constexpr unsigned kEntries = 512;

// Where `index` sits in a table of `level`.
constexpr unsigned slot(uint64_t index, unsigned level) {
    return static_cast<unsigned>(index >> (9 * level) & (kEntries - 1));
}

// How many indices one entry of a table of `level` covers.
constexpr uint64_t span(unsigned level) {
    return uint64_t{1} << (9 * level);
}

bool is_empty(const uint64_t* entries) {
    for (unsigned i = 0; i < kEntries; ++i) {
        if (entries[i] != 0) return false;
    }
    return true;
}

}  // namespace

const char* page_index_error_name(PageIndexError error) {
    switch (error) {
    case PageIndexError::kZeroValue: return "0 is not a value";
    case PageIndexError::kOutOfRange: return "index out of range";
    case PageIndexError::kOccupied: return "index holds a value already";
    case PageIndexError::kNoMemory: return "no page for a table";
    }
    return "?";
}

uint64_t* PageIndex::table(uint64_t physical) const {
    return reinterpret_cast<uint64_t*>(static_cast<uintptr_t>(physical) + offset_);
}

uint64_t PageIndex::allocate_table() {
    const uint64_t physical = source_.allocate == nullptr ? 0 : source_.allocate(source_.context);
    if (physical != 0) ++table_pages_;
    return physical;
}

void PageIndex::release_table(uint64_t physical) {
    --table_pages_;
    if (source_.release != nullptr) source_.release(physical, source_.context);
}

uint64_t PageIndex::get(uint64_t index) const {
    if (index >= kLimit) return 0;
    uint64_t physical = root_;
    for (unsigned level = kLevels; level-- > 0 && physical != 0;)
        physical = table(physical)[slot(index, level)];
    return physical;  // after level 0: the value itself
}

// How many tables on the way down to `index` do not exist yet.
unsigned PageIndex::missing_tables(uint64_t index) const {
    uint64_t physical = root_;
    for (unsigned level = kLevels; level-- > 0;) {
        if (physical == 0) return level + 1;
        if (level > 0) physical = table(physical)[slot(index, level)];
    }
    return 0;
}

Result<void, PageIndexError> PageIndex::set(uint64_t index, uint64_t value) {
    if (value == 0) return PageIndexError::kZeroValue;
    if (index >= kLimit) return PageIndexError::kOutOfRange;
    if (get(index) != 0) return PageIndexError::kOccupied;
    // Every missing table first, so that running out part way changes nothing.
    const unsigned missing = missing_tables(index);
    uint64_t fresh[kLevels] = {};
    for (unsigned got = 0; got < missing; ++got) {
        fresh[got] = allocate_table();
        if (fresh[got] != 0) continue;
        while (got-- > 0) release_table(fresh[got]);
        return PageIndexError::kNoMemory;
    }
    unsigned used = 0;
    if (root_ == 0) root_ = fresh[used++];
    uint64_t physical = root_;
    for (unsigned level = kLevels - 1; level > 0; --level) {
        uint64_t& entry = table(physical)[slot(index, level)];
        if (entry == 0) entry = fresh[used++];
        physical = entry;
    }
    table(physical)[slot(index, 0)] = value;
    ++count_;
    return {};
}

uint64_t PageIndex::take(uint64_t index) {
    if (index >= kLimit || root_ == 0) return 0;
    uint64_t tables[kLevels] = {};  // the table of each level on the way to `index`
    tables[kLevels - 1] = root_;
    for (unsigned level = kLevels - 1; level > 0; --level) {
        tables[level - 1] = table(tables[level])[slot(index, level)];
        if (tables[level - 1] == 0) return 0;
    }
    uint64_t& entry = table(tables[0])[slot(index, 0)];
    const uint64_t value = entry;
    if (value == 0) return 0;
    entry = 0;
    --count_;
    // Give back the tables this emptied, bottom up, unlinking each from its parent (or the root).
    for (unsigned level = 0; level < kLevels && is_empty(table(tables[level])); ++level) {
        release_table(tables[level]);
        if (level + 1 < kLevels) {
            table(tables[level + 1])[slot(index, level + 1)] = 0;
        } else {
            root_ = 0;
        }
    }
    return value;
}

// Clears the entries of the table at `physical` (of `level`, its first index `base`) from index
// `from` on, and says whether the table is then empty (its parent gives it back).
bool PageIndex::truncate_table(uint64_t physical, unsigned level, uint64_t base, uint64_t from,
                               ReleaseValue release, void* context) {
    uint64_t* entries = table(physical);
    const unsigned first = from <= base ? 0 : static_cast<unsigned>((from - base) / span(level));
    for (unsigned i = first; i < kEntries; ++i) {
        if (entries[i] == 0) continue;
        if (level == 0) {
            if (release != nullptr) release(entries[i], context);
            --count_;
        } else if (truncate_table(entries[i], level - 1, base + i * span(level), from, release,
                                  context)) {
            release_table(entries[i]);
        } else {
            continue;  // a table that keeps values below `from`
        }
        entries[i] = 0;
    }
    return is_empty(entries);
}

void PageIndex::truncate(uint64_t from, ReleaseValue release, void* context) {
    if (root_ == 0 || from >= kLimit) return;
    if (truncate_table(root_, kLevels - 1, 0, from, release, context)) {
        release_table(root_);
        root_ = 0;
    }
}

// Visits the values under the table at `physical` from index `from` on; false once visit says
// stop.
bool PageIndex::visit_table(uint64_t physical, unsigned level, uint64_t base, uint64_t from,
                            VisitValue visit, void* context) const {
    const uint64_t* entries = table(physical);
    const unsigned first = from <= base ? 0 : static_cast<unsigned>((from - base) / span(level));
    for (unsigned i = first; i < kEntries; ++i) {
        if (entries[i] == 0) continue;
        const uint64_t at = base + i * span(level);
        const bool go_on = level == 0
                               ? visit(at, entries[i], context)
                               : visit_table(entries[i], level - 1, at, from, visit, context);
        if (!go_on) return false;
    }
    return true;
}

void PageIndex::for_each(uint64_t from, VisitValue visit, void* context) const {
    if (root_ == 0 || from >= kLimit) return;
    visit_table(root_, kLevels - 1, 0, from, visit, context);
}

}  // namespace keel::mm
