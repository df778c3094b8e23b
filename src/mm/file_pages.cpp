// SPDX-License-Identifier: MIT
// A file's pages (include/keel/mm/file_pages.h).
#include <keel/mm/file_pages.h>

namespace keel::mm {

const char* file_page_error_name(FilePageError error) {
    switch (error) {
    case FilePageError::kNoSpace: return "no page for the data";
    case FilePageError::kNoMemory: return "no page for an index table";
    case FilePageError::kTooShared: return "the page's owner count is full";
    case FilePageError::kOutOfRange: return "past the largest file";
    }
    return "?";
}

Result<uint64_t, FilePageError> FilePages::get_or_add(uint64_t index) {
    if (index >= PageIndex::kLimit) return FilePageError::kOutOfRange;
    if (const uint64_t page = index_.get(index); page != 0) return page;
    const uint64_t page = owners_.allocate(owners_.context);
    if (page == 0) return FilePageError::kNoSpace;
    if (!index_.set(index, page).ok()) {
        owners_.release(page, owners_.context);
        return FilePageError::kNoMemory;
    }
    return page;
}

Result<uint64_t, FilePageError> FilePages::map(uint64_t index) {
    const auto page = get_or_add(index);
    if (!page.ok()) return page;
    // (A hole just filled stays filled when the count is full: it is the file's page now.)
    if (!owners_.share(page.value(), owners_.context)) return FilePageError::kTooShared;
    return page;
}

void FilePages::truncate(uint64_t from) {
    index_.truncate(
        from,
        [](uint64_t page, void* owners) {
            const auto& o = *static_cast<const PageOwners*>(owners);
            o.release(page, o.context);
        },
        &owners_);
}

}  // namespace keel::mm
