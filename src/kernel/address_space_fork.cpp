// SPDX-License-Identifier: MIT
// A process's address space, its copy-on-write half (include/keel/kernel/address_space.h): a
// fork shares every page of the parent's, read-only in both, with one more owner in the page
// allocator; the first write to such a page gets a copy of its own (or the page itself, once no
// one else has it). And the kernel's own pages every program maps, and how a page is let go.
#include <keel/kernel/address_space.h>
#include <keel/kernel/vdso.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

#include "address_space_pages.h"

namespace keel::process {
namespace space {

constexpr uint64_t kPage = kPageSize;

// The one page of zeros every untouched anonymous page reads as, as on Linux: a read maps it
// (read-only, costing nothing), the first write puts a page of the program's own there. In
// .rodata, so that even the kernel cannot write it.
alignas(4096) constexpr uint8_t kZeroPage[4096] = {};

uint64_t zero_page() {
    return memlayout::to_physical(kZeroPage);
}

// Whether a page is the kernel's, shared by every program (the zero page, the vDSO's and its data
// page): never given back, copied or made writable.
bool shared_page(uint64_t physical) {
    const uint64_t vdso = memlayout::to_physical(vdso::image());
    return physical == zero_page() || physical == memlayout::to_physical(vdso::data_page()) ||
           (physical >= vdso && physical < vdso + vdso::size());
}

// Lets go of a page of a program (or of one of its tables), unless it is the kernel's: the page
// goes back to the allocator with its last owner (it may be shared copy-on-write with a fork).
void release_user_page(uint64_t physical, void*) {
    if (!shared_page(physical)) (void)pages::release(physical);
}

void flush(uint64_t address) {
    asm volatile("sfence.vma %0, zero" ::"r"(address) : "memory");
}

// A page's 4 KiB.
void copy_page(uint64_t to_physical, uint64_t from_physical) {
    memcpy(memlayout::to_pointer<void>(to_physical), memlayout::to_pointer<void>(from_physical),
           kPage);
}

}  // namespace space

using Guard = LockGuard<Lock>;
using space::copy_page;
using space::flush;
using space::kPage;
using space::shared_page;

// The first write to a copy-on-write page (of a region that allows it): the page itself when no
// other space has it any more, else a copy of its own, the shared one let go.
FaultResult AddressSpace::unshare(uint64_t page, uint64_t physical, const mm::Region& region) {
    const uint64_t flags = user_leaf_flags(region.protection);
    uint64_t mine = physical;
    if (pages::owners(physical) > 1) {
        // (Nobody writes the shared page meanwhile: every space maps it read-only.)
        const auto copy = pages::allocate(0, mm::Contents::kUninitialized);
        if (!copy.ok()) return FaultResult::kNoMemory;
        mine = copy.value();
        copy_page(mine, physical);
    }
    {
        Guard guard(lock_, KEEL_HERE);
        (void)table_.replace(page, mine, flags);
        if (mine != physical) (void)pages::release(physical);
    }
    flush(page);
    return FaultResult::kMapped;
}

// A fork's copy. Each page of the parent's is shared, not copied: both spaces map it read-only
// and copy-on-write (kPteCopyOnWrite; populate() copies it at the first write), with one more
// owner in the page allocator. The parent's writable entries lose their write permission, so
// its TLB forgets them: this hart runs the parent (its only task; a vfork parent sleeps, and every
// other hart flushes when it loads another space, keel having no ASIDs). Region by region: a
// program's pages lie in its regions, and the table is read only where they are.
FaultResult AddressSpace::copy_from(AddressSpace& other) {
    if (!regions_.copy_from(other.regions_).ok()) return FaultResult::kNoMemory;
    brk_start_ = other.brk_start_;
    brk_ = other.brk_;
    vdso_ = other.vdso_;
    bool copied = true;
    {
        Guard guard(other.lock_, KEEL_HERE);  // (for /proc: the parent's entries change)
        for (const mm::Region& region : regions_) {
            // A MAP_SHARED region's pages are shared as they are (address_space_files.cpp).
            const auto leaf =
                (region.flags & mm::kRegionShared) != 0 ? &share_shared_leaf : &share_leaf;
            copied =
                table_.copy_user_leaves(other.table_, region.start, region.end, leaf, this).ok();
            if (!copied) break;
        }
    }
    asm volatile("sfence.vma zero, zero" ::: "memory");
    return copied ? FaultResult::kMapped : FaultResult::kNoMemory;
}

// One page of the parent's in the child (`context`) too, as copy_user_leaves asks: the kernel's as
// it is, a program's shared copy-on-write, or copied when its count is full.
bool AddressSpace::share_leaf(uint64_t, mm::PageTable::LeafCopy& leaf, void* context) {
    auto& child = *static_cast<AddressSpace*>(context);
    if (shared_page(leaf.physical)) return true;
    if (!pages::share(leaf.physical)) {
        const auto page = pages::allocate(0, mm::Contents::kUninitialized);
        if (!page.ok()) return false;
        copy_page(page.value(), leaf.physical);
        leaf.physical = page.value();
    } else {
        leaf.flags = leaf.source_flags = (leaf.flags & ~mm::kPteWrite) | mm::kPteCopyOnWrite;
    }
    child.count_page();
    return true;
}

}  // namespace keel::process
