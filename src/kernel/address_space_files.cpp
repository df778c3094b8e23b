// SPDX-License-Identifier: MIT
// A process's address space, its mapped files (include/keel/kernel/address_space.h). A region that
// maps a file holds its open file (an fs::File, as Linux's VMA holds vm_file), and its pages are
// the file's own (Inode::map_page: tmpfs's page cache), each with an owner for this space, mapped
// at the first touch: as they are for MAP_SHARED, so that a write reaches the file and every
// other mapping of it; read-only and copy-on-write for MAP_PRIVATE (kPteCopyOnWrite: unshare()
// copies the page at the first write), so that until then the file's later changes show through,
// as they do on Linux. Past the end of the file there is no page: SIGBUS.
#include <keel/abi/errno.h>
#include <keel/kernel/address_space.h>
#include <keel/kernel/fs/file.h>
#include <keel/mm/pages.h>

#include "address_space_pages.h"

namespace keel::process {
namespace space {

fs::File* file_of(uint64_t object) {
    return reinterpret_cast<fs::File*>(object);
}

void hold_file(uint64_t object, void*) {
    (void)fs::hold(file_of(object));
}

// Under the space's lock: a last reference waits for fs::release_dropped (address_space.cpp's
// remove and destroy call it once the lock is let go).
void drop_file(uint64_t object, void*) {
    fs::drop_mapped(file_of(object));
}

uint32_t read_only(uint32_t protection) {
    return (protection & mm::kProtWrite) != 0 ? (protection & ~mm::kProtWrite) | mm::kProtRead
                                              : protection;
}

}  // namespace space

using Guard = LockGuard<Lock>;
using space::flush;

// The first touch of a page of a file mapping: the file's page (a hole filled first), with an
// owner for this space.
FaultResult AddressSpace::map_file_page(uint64_t page, const mm::Region& region, Access access) {
    const uint64_t index = (region.offset + (page - region.start)) / kPageSize;
    const auto got = space::file_of(region.object)->inode->map_page(index);
    if (!got.ok()) return got.error() == -ENOMEM ? FaultResult::kNoMemory : FaultResult::kBusError;
    const uint64_t physical = got.value();
    const bool shared = (region.flags & mm::kRegionShared) != 0;
    const uint64_t flags =
        shared ? user_leaf_flags(region.protection)
               : user_leaf_flags(space::read_only(region.protection)) | mm::kPteCopyOnWrite;
    {
        Guard guard(lock_, KEEL_HERE);
        if (!table_.map(page, physical, kPageSize, flags).ok()) {
            (void)pages::release(physical);
            return FaultResult::kNoMemory;
        }
        count_page();
    }
    flush(page);
    // A private mapping's first touch that writes: its own copy at once.
    if (!shared && access == Access::kWrite) return unshare(page, physical, region);
    return FaultResult::kMapped;
}

// A fork's copy of a page of a MAP_SHARED region, as copy_user_leaves asks: the same page with
// the same entry in parent and child (one more owner), not copy-on-write: both processes write the
// one page, as on Linux. False when the page's count is full.
bool AddressSpace::share_shared_leaf(uint64_t, mm::PageTable::LeafCopy& leaf, void* context) {
    if (space::shared_page(leaf.physical)) return true;  // (the kernel's: as it is)
    if (!pages::share(leaf.physical)) return false;
    static_cast<AddressSpace*>(context)->count_page();
    return true;
}

}  // namespace keel::process
