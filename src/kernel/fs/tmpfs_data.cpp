// SPDX-License-Identifier: MIT
// tmpfs (include/keel/kernel/fs/tmpfs.h), its data half: a regular file's pages (mm/file_pages.h),
// read, written, resized, and mapped into programs. Reads, writes and resizes come with the file
// system lock held; map_page comes from a page fault, which may hold it or not (tmpfs_inode.h),
// and takes only the instance's `cache` spinlock, as every change to a file's index does.
#include <keel/abi/errno.h>
#include <keel/kernel/fs/io.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

#include "tmpfs_inode.h"

namespace keel::fs::tmpfs {
namespace {

using Guard = LockGuard<Lock>;

uint64_t table_page(void*) {
    const auto page = pages::allocate(0);
    return page.ok() ? page.value() : 0;
}

void release_table_page(uint64_t physical, void*) {
    pages::free(physical, 0);
}

uint64_t data_page(void* fs) {
    return static_cast<Tmpfs*>(fs)->take_page();
}

bool share_page(uint64_t page, void*) {
    return pages::share(page);
}

void release_data_page(uint64_t page, void* fs) {
    static_cast<Tmpfs*>(fs)->give_page(page);
}

}  // namespace

mm::PageSource table_source() {
    return mm::PageSource{&table_page, nullptr, &release_table_page};
}

mm::PageOwners data_owners(Tmpfs& fs) {
    return mm::PageOwners{&data_page, &share_page, &release_data_page, &fs};
}

uint64_t Tmpfs::take_page() {
    // Counted first, so that two takers at once cannot both have the last page under the limit.
    if (used_pages_.fetch_add(1) >= max_pages_ && max_pages_ != 0) {
        used_pages_.fetch_sub(1);
        return 0;
    }
    const auto page = pages::allocate(0);
    if (page.ok()) return page.value();
    used_pages_.fetch_sub(1);
    return 0;
}

void Tmpfs::give_page(uint64_t physical) {
    // The file's owner only: a program that maps the page keeps it until it lets go.
    (void)pages::release(physical);
    used_pages_.fetch_sub(1);
}

uint64_t TmpInode::page_for_read(uint64_t index) const {
    Guard guard(tmpfs().cache, KEEL_HERE);
    return data_.get(index);
}

uint64_t TmpInode::page_for_write(uint64_t index, int& error) {
    Guard guard(tmpfs().cache, KEEL_HERE);
    const auto page = data_.get_or_add(index);
    if (page.ok()) return page.value();
    error = -ENOSPC;
    return 0;
}

int64_t TmpInode::read(uint64_t offset, IoBuffer& buffer) {
    if (offset >= size) return 0;
    const uint64_t n = buffer.size() < size - offset ? buffer.size() : size - offset;
    uint64_t done = 0;
    while (done < n) {
        const uint64_t at = offset + done;
        const uint64_t in_page = at % kPage;
        const uint64_t chunk = kPage - in_page < n - done ? kPage - in_page : n - done;
        // (Only a holder of the file system lock, as this caller, takes a page away.)
        const uint64_t page = page_for_read(at / kPage);
        const uint64_t copied =
            page == 0 ? buffer.zero_some(done, chunk)
                      : buffer.give_some(done, memlayout::to_pointer<char>(page) + in_page, chunk);
        done += copied;
        if (copied < chunk) return partial(done, -EFAULT);  // (a buffer that runs into a hole)
    }
    atime = clock::realtime();
    return static_cast<int64_t>(n);
}

int64_t TmpInode::write(uint64_t offset, IoBuffer& buffer) {
    if (offset >= kMaxSize) return -EFBIG;
    const uint64_t n = buffer.size() < kMaxSize - offset ? buffer.size() : kMaxSize - offset;
    if (n == 0) return 0;  // nothing to write is no fault (as Linux: checked before the buffer)
    uint64_t done = 0;
    int error = -EFAULT;
    while (done < n) {
        const uint64_t at = offset + done;
        const uint64_t in_page = at % kPage;
        const uint64_t chunk = kPage - in_page < n - done ? kPage - in_page : n - done;
        const uint64_t page = page_for_write(at / kPage, error);
        if (page == 0) break;
        const uint64_t copied =
            buffer.take_some(done, memlayout::to_pointer<char>(page) + in_page, chunk);
        done += copied;
        if (copied < chunk) break;  // (error stays -EFAULT)
    }
    if (offset + done > size) size = offset + done;
    if (done != 0) touch();
    return partial(done, error);
}

int TmpInode::resize(uint64_t new_size) {
    if (new_size > kMaxSize) return -EFBIG;
    Guard guard(tmpfs().cache, KEEL_HERE);  // a fault sees the old size and pages, or the new
    if (new_size < size) {
        // Whole pages past the end go (a program that maps one keeps it); the kept part of the
        // last page is zeroed past it, so that growing again reads zeros there, and a mapping of
        // it sees zeros past the end, as on Linux.
        data_.truncate((new_size + kPage - 1) / kPage);
        if (new_size % kPage != 0) {
            if (const uint64_t page = data_.get(new_size / kPage); page != 0) {
                memset(memlayout::to_pointer<char>(page) + new_size % kPage, 0,
                       kPage - new_size % kPage);
            }
        }
    }
    size = new_size;
    touch();
    return 0;
}

// A page fault's: the page with an owner for the mapping, a hole filled first. Past the end of
// the file there is none (the program's SIGBUS, as Linux's), nor for a file that is no regular one.
Result<uint64_t, int> TmpInode::map_page(uint64_t index) {
    if (!is_regular()) return -ENODEV;
    Guard guard(tmpfs().cache, KEEL_HERE);
    if (index >= (size + kPage - 1) / kPage) return -ERANGE;
    const auto page = data_.map(index);
    if (page.ok()) return page.value();
    return page.error() == mm::FilePageError::kNoMemory ? -ENOMEM : -ENOSPC;
}

void TmpInode::drop_data() {
    Guard guard(tmpfs().cache, KEEL_HERE);
    data_.truncate(0);
}

}  // namespace keel::fs::tmpfs
