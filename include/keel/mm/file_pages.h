// SPDX-License-Identifier: MIT
// FilePages: a file's bytes in whole pages, by page number (Linux's page cache, for a file system
// that keeps its files in memory, as tmpfs does). Each page has an owner for the file in the page
// allocator; a mapping that maps one takes an owner of its own (map), so truncating the file lets
// go of the file's owner only: the page stays with whatever maps it and goes back with the last
// of them, never while a program can still reach it. Portable: the pages and their owners come
// through PageOwners (the page allocator in the kernel), the index's tables through a PageSource;
// no lock (the file system serialises its calls).
#pragma once
#include <keel/lib/result.h>
#include <keel/mm/page_index.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

// The pages behind a file. allocate: a zeroed page with one owner (its physical address), 0 when
// there is none or the file system is full; share: one more owner of a page, false when its
// count is full; release: one owner fewer (the page goes with its last).
struct PageOwners {
    uint64_t (*allocate)(void* context);
    bool (*share)(uint64_t page, void* context);
    void (*release)(uint64_t page, void* context);
    void* context;
};

enum class FilePageError : uint8_t {
    kNoSpace,     // no page for the data (or the file system's limit): a write's ENOSPC
    kNoMemory,    // no page for one of the index's tables
    kTooShared,   // map: the page's owner count is full
    kOutOfRange,  // a page number at or past PageIndex::kLimit (512 GiB)
};

const char* file_page_error_name(FilePageError error);

class FilePages {
public:
    FilePages(PageSource tables, uintptr_t offset, PageOwners owners)
        : index_(tables, offset), owners_(owners) {}
    FilePages(const FilePages&) = delete;
    FilePages& operator=(const FilePages&) = delete;

    // The page holding bytes [index * 4 KiB, ...), 0 for a hole (which reads as zeros).
    uint64_t get(uint64_t index) const { return index_.get(index); }
    // The page at `index`, a zeroed one put there first when it is a hole. On an error nothing
    // changes.
    Result<uint64_t, FilePageError> get_or_add(uint64_t index);
    // get_or_add, and one more owner of the page for a mapping (which lets go of it with the
    // allocator's release). A hole is filled, as Linux's tmpfs fills one on a fault.
    Result<uint64_t, FilePageError> map(uint64_t index);
    // Lets go of the file's pages from page `from` on (0: all of them).
    void truncate(uint64_t from);

    size_t count() const { return index_.count(); }              // pages the file holds
    size_t table_pages() const { return index_.table_pages(); }  // and tables for them

private:
    PageIndex index_;
    PageOwners owners_;
};

}  // namespace keel::mm
