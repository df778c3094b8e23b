// SPDX-License-Identifier: MIT
// A process's address space (include/keel/kernel/address_space.h): regions, demand-zero pages,
// the growing stack, and the page table kept in step with them. Every change to a region or a
// table entry, and every page given back, is made under the space's lock (for /proc, which reads
// other processes' spaces); the owner's own reads need none.
#include <keel/kernel/address_space.h>
#include <keel/kernel/fs/file.h>
#include <keel/kernel/vdso.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

#include "address_space_pages.h"

namespace keel::process {
namespace {

using space::flush;
using space::read_only;
using space::release_user_page;
using space::shared_page;
using space::zero_page;

constexpr uint64_t kPage = kPageSize;
using Guard = LockGuard<Lock>;

uint64_t page_down(uint64_t address) {
    return address & ~(kPage - 1);
}

void* region_block(unsigned order, void*) {
    const auto block = pages::allocate(order, mm::Contents::kUninitialized);
    return block.ok() ? memlayout::to_pointer<void>(block.value()) : nullptr;
}

void release_region_block(void* block, unsigned order, void*) {
    pages::free(memlayout::to_physical(block), order);
}

constexpr mm::RegionStorage kRegionStorage{&region_block, &release_region_block, nullptr,
                                           &space::hold_file, &space::drop_file};

// Whether a region's protection allows the access (a write needs PROT_WRITE, a fetch PROT_EXEC,
// a read PROT_READ, which PROT_WRITE implies: the hardware has no write-only pages).
bool allows(uint32_t protection, Access access) {
    switch (access) {
    case Access::kRead: return (protection & (mm::kProtRead | mm::kProtWrite)) != 0;
    case Access::kWrite: return (protection & mm::kProtWrite) != 0;
    case Access::kExecute: return (protection & mm::kProtExec) != 0;
    }
    return false;
}

// Whether a present page's entry lets the program make the access.
bool entry_allows(uint64_t flags, Access access) {
    if ((flags & mm::kPteUser) == 0) return false;
    switch (access) {
    case Access::kRead: return (flags & mm::kPteRead) != 0;
    case Access::kWrite: return (flags & mm::kPteWrite) != 0;
    case Access::kExecute: return (flags & mm::kPteExecute) != 0;
    }
    return false;
}

}  // namespace

uint64_t user_leaf_flags(uint32_t protection) {
    uint64_t flags = 0;
    if ((protection & (mm::kProtRead | mm::kProtWrite)) != 0) flags |= mm::kPteRead;
    if ((protection & mm::kProtWrite) != 0) flags |= mm::kPteWrite;
    if ((protection & mm::kProtExec) != 0) flags |= mm::kPteExecute;
    // A leaf needs R or X; the kernel may read a PROT_NONE page, the program may not touch it.
    return flags != 0 ? flags | mm::kPteUser : mm::kPteRead | mm::kPteUserNone;
}

AddressSpace::AddressSpace() : regions_(kRegionStorage) {}

bool AddressSpace::create() {
    const auto space = vm::new_user_space();
    if (!space.ok()) return false;
    table_ = space.value();
    return true;
}

void AddressSpace::destroy() {
    // Its pages and tables, looked for where its regions are (a program's pages lie in them).
    if (table_.root() != 0) {
        table_.destroy_user(memlayout::kUserTop, regions_.begin(), regions_.count(),
                            &release_user_page, nullptr);
    }
    table_ = mm::PageTable{};
    regions_.clear();
    pages_ = 0;
    brk_start_ = brk_ = 0;
    fs::release_dropped();  // the files its regions mapped
}

uint64_t AddressSpace::all_pages() const {
    return pages_ + table_.table_pages() + regions_.block_pages();
}

uint64_t AddressSpace::map_new_page(uint64_t address, uint32_t protection) {
    // Zeroed by the allocator, which takes a while: before the lock.
    const auto page = pages::allocate(0);
    if (!page.ok()) return 0;
    {
        Guard guard(lock_, KEEL_HERE);
        if (!table_.map(address, page.value(), kPage, user_leaf_flags(protection)).ok()) {
            pages::free(page.value(), 0);
            return 0;
        }
        count_page();
    }
    flush(address);  // a hart may keep an invalid entry (privileged spec: SFENCE.VMA)
    return page.value();
}

FaultResult AddressSpace::populate(uint64_t page, const mm::Region& region, Access access) {
    const mm::Walk w = table_.walk(page);
    if (w.mapped && entry_allows(w.flags, access)) return FaultResult::kMapped;  // raced in
    if (w.mapped && access == Access::kWrite && (w.flags & mm::kPteCopyOnWrite) != 0)
        return unshare(page, w.physical & ~(kPage - 1), region);
    if (!w.mapped && region.object != 0) return map_file_page(page, region, access);
    const bool zero = w.mapped && (w.physical & ~(kPage - 1)) == zero_page();
    if (w.mapped && !(zero && access == Access::kWrite)) return FaultResult::kRefused;
    if (!w.mapped && access != Access::kWrite) {
        // A read (or fetch) of an untouched page: the zero page, never writable.
        const uint64_t flags = user_leaf_flags(read_only(region.protection));
        {
            Guard guard(lock_, KEEL_HERE);
            if (!table_.map(page, zero_page(), kPage, flags).ok()) return FaultResult::kNoMemory;
        }
        flush(page);
        return FaultResult::kMapped;
    }
    if (zero) {  // the first write to a page that read as zeros: a page of its own from now on
        {
            Guard guard(lock_, KEEL_HERE);  // (unmapped, it still reads as zeros meanwhile)
            (void)table_.unmap(page, kPage);
        }
        flush(page);
    }
    return map_new_page(page, region.protection) != 0 ? FaultResult::kMapped
                                                      : FaultResult::kNoMemory;
}

// The stack region, grown down to cover `address`, if that is within its limit and keeps the
// guard gap above whatever lies below; nullptr otherwise.
const mm::Region* AddressSpace::grow_stack(uint64_t address) {
    const mm::Region* stack = regions_.next_from(address);
    if (stack == nullptr || (stack->flags & mm::kRegionGrowsDown) == 0) return nullptr;
    const uint64_t start = page_down(address);
    if (stack->end - start > kStackLimit) return nullptr;
    const mm::Region* below = regions_.previous_before(start);
    if (below != nullptr && below->end + kStackGuardGap > start) return nullptr;
    mm::Region grown = *stack;
    grown.end = stack->start;
    grown.start = start;
    {
        Guard guard(lock_, KEEL_HERE);
        if (!regions_.insert(grown).ok()) return nullptr;
    }
    return regions_.find(address);
}

FaultResult AddressSpace::fault(uint64_t address, Access access) {
    if (address >= memlayout::kUserTop) return FaultResult::kRefused;
    const mm::Region* region = regions_.find(address);
    if (region == nullptr) region = grow_stack(address);
    if (region == nullptr || !allows(region->protection, access)) return FaultResult::kRefused;
    return populate(page_down(address), *region, access);
}

// How many bytes from `address` on (of `size`) lie in user space, in regions that allow
// `access` (the stack grown down to them where it may be).
uint64_t AddressSpace::usable(uint64_t address, uint64_t size, Access access) {
    if (address >= memlayout::kUserTop) return 0;
    const uint64_t room = memlayout::kUserTop - address;
    const uint64_t end = address + (size < room ? size : room);
    uint64_t at = address;
    while (at < end) {
        const mm::Region* region = regions_.find(at);
        if (region == nullptr) region = grow_stack(at);
        if (region == nullptr || !allows(region->protection, access)) break;
        at = region->end;
    }
    return (at < end ? at : end) - address;
}

// Every page of a range usable() found, present, up to the first that cannot be: its result,
// and in `ready` how many bytes from `address` on are.
FaultResult AddressSpace::populate_range(uint64_t address, uint64_t size, Access access,
                                         uint64_t& ready) {
    const uint64_t end = address + size;
    ready = 0;
    for (uint64_t page = page_down(address); size != 0 && page < end; page += kPage) {
        const FaultResult result = populate(page, *regions_.find(page), access);
        if (result != FaultResult::kMapped) return result;
        ready = (page + kPage < end ? page + kPage : end) - address;
    }
    return FaultResult::kMapped;
}

FaultResult AddressSpace::prepare(uint64_t address, uint64_t size, Access access) {
    // All of it first, so that a refusal faults nothing in.
    if (usable(address, size, access) != size) return FaultResult::kRefused;
    uint64_t ready = 0;
    return populate_range(address, size, access, ready);
}

// As Linux's copies: the bytes before the first page that cannot be had (a mapped file's page past
// its end) are still ready; only running out of memory fails the whole.
FaultResult AddressSpace::prepare_prefix(uint64_t address, uint64_t size, Access access,
                                         uint64_t& ready) {
    const FaultResult result =
        populate_range(address, usable(address, size, access), access, ready);
    return result == FaultResult::kNoMemory ? result : FaultResult::kMapped;
}

bool AddressSpace::poke(uint64_t address, const void* data, uint64_t n) {
    if (prepare(address, n, Access::kWrite) != FaultResult::kMapped) return false;
    const auto* from = static_cast<const uint8_t*>(data);
    for (uint64_t done = 0; done < n;) {
        const uint64_t at = address + done;
        const uint64_t chunk = kPage - at % kPage < n - done ? kPage - at % kPage : n - done;
        memcpy(memlayout::to_pointer<uint8_t>(table_.walk(at).physical), from + done, chunk);
        done += chunk;
    }
    return true;
}

void AddressSpace::free_pages(uint64_t start, uint64_t end) {
    for (uint64_t page = start; page < end;) {
        const mm::Walk w = table_.walk(page);
        if (!w.mapped) {
            // Nothing under this whole table entry: skip to its end.
            const uint64_t span = kPage << (9 * (w.stopped_at < 0 ? 0 : w.stopped_at));
            page = (page & ~(span - 1)) + span;
            continue;
        }
        {
            Guard guard(lock_, KEEL_HERE);  // a page at a time: a big range takes a while
            (void)table_.unmap(page, kPage);
            flush(page);
            if (!shared_page(w.physical & ~(kPage - 1))) {
                (void)pages::release(w.physical & ~(kPage - 1));
                --pages_;
            }
        }
        page += kPage;
    }
}

Result<void, mm::RegionError> AddressSpace::add(const mm::Region& region) {
    Guard guard(lock_, KEEL_HERE);
    return regions_.insert(region);
}

Result<void, mm::RegionError> AddressSpace::remove(uint64_t start, uint64_t end) {
    Result<void, mm::RegionError> removed{};
    {
        Guard guard(lock_, KEEL_HERE);
        removed = regions_.remove(start, end);
    }
    if (removed.ok()) free_pages(start, end);
    fs::release_dropped();  // the files of the regions it took out
    return removed;
}

void AddressSpace::discard(uint64_t start, uint64_t end) {
    free_pages(start, end);
}

Result<void, mm::RegionError> AddressSpace::protect(uint64_t start, uint64_t end,
                                                    uint32_t protection) {
    {
        Guard guard(lock_, KEEL_HERE);
        if (const auto done = regions_.protect(start, end, protection); !done.ok()) return done;
    }
    for (uint64_t page = start; page < end; page += kPage) {
        const mm::Walk w = table_.walk(page);
        if (!w.mapped) continue;
        Guard guard(lock_, KEEL_HERE);
        const uint64_t physical = w.physical & ~(kPage - 1);
        // A shared page stays read-only: a write to the zero page takes a page of its own
        // (populate), as does one to a page shared copy-on-write; to the vDSO, it faults.
        const uint64_t cow = w.flags & mm::kPteCopyOnWrite;
        const uint32_t allowed =
            shared_page(physical) || cow != 0 ? protection & ~mm::kProtWrite : protection;
        (void)table_.replace(page, physical, user_leaf_flags(allowed) | cow);
        flush(page);
    }
    return {};
}

Result<void, mm::RegionError> AddressSpace::move(uint64_t from, uint64_t size, uint64_t to) {
    const mm::Region* region = regions_.find(from);
    if (region == nullptr || region->end < from + size) return mm::RegionError::kNotMapped;
    mm::Region moved = *region;
    if (moved.object != 0) moved.offset += from - region->start;
    moved.start = to;
    moved.end = to + size;
    {
        Guard guard(lock_, KEEL_HERE);
        if (const auto added = regions_.insert(moved); !added.ok()) return added;
    }
    for (uint64_t offset = 0; offset < size; offset += kPage) {
        const mm::Walk w = table_.walk(from + offset);
        if (!w.mapped) continue;
        Guard guard(lock_, KEEL_HERE);  // a page at a time: a big region takes a while
        (void)table_.unmap(from + offset, kPage);
        flush(from + offset);
        // The tables on the way may be missing; without a page for one the page is lost to the
        // program but not to the kernel.
        const uint64_t physical = w.physical & ~(kPage - 1);
        if (!table_.map(to + offset, physical, kPage, w.flags).ok() && !shared_page(physical)) {
            (void)pages::release(physical);
            --pages_;
        }
    }
    Guard guard(lock_, KEEL_HERE);
    if (const auto removed = regions_.remove(from, from + size); !removed.ok()) {
        (void)regions_.remove(to, to + size);  // (cannot split: it is a whole region)
        return removed;
    }
    return {};
}

uint64_t AddressSpace::find_free(uint64_t size, uint64_t hint) const {
    if (size == 0 || size > memlayout::kUserTop) return 0;
    hint = (hint + kPage - 1) & ~(kPage - 1);
    if (hint >= kMmapMin && hint <= memlayout::kUserTop - size &&
        regions_.is_free(hint, hint + size)) {
        const mm::Region* above = regions_.next_from(hint + size);
        if (above == nullptr || (above->flags & mm::kRegionGrowsDown) == 0 ||
            above->start - (hint + size) >= kStackGuardGap)
            return hint;
    }
    const auto found = regions_.find_free_top_down(size, kMmapMin, kMmapBase, kStackGuardGap);
    return found.ok() ? found.value() : 0;
}

uint64_t AddressSpace::set_brk(uint64_t address) {
    const auto page_up = [](uint64_t a) { return (a + kPage - 1) & ~(kPage - 1); };
    if (address < brk_start_ || address > memlayout::kUserTop) return brk_;
    const uint64_t old_end = page_up(brk_);
    const uint64_t new_end = page_up(address);
    if (new_end > old_end) {
        // As Linux: the heap may not come within a page of the next region (nor of a stack's
        // guard gap).
        const mm::Region* above = regions_.next_from(old_end);
        const uint64_t gap =
            above != nullptr && (above->flags & mm::kRegionGrowsDown) != 0 ? kStackGuardGap : kPage;
        if (above != nullptr && new_end + gap > above->start) return brk_;
        // Linux's overcommit heuristic: no growth by more than all of RAM at once.
        if ((new_end - old_end) / kPage > pages::counters().total) return brk_;
        const mm::Region heap{old_end,         new_end, mm::kProtRead | mm::kProtWrite,
                              mm::kRegionHeap, 0,       0};
        Guard guard(lock_, KEEL_HERE);
        if (!regions_.insert(heap).ok()) return brk_;
    } else if (new_end < old_end) {
        if (!remove(new_end, old_end).ok()) return brk_;
    }
    brk_ = address;
    return brk_;
}

// The data page, read-only, then the image right above it, read+execute (where vdso.ld expects
// the page), each its own region as Linux's [vvar] and [vdso].
bool AddressSpace::map_vdso() {
    const uint64_t size = vdso::kDataSize + vdso::size();
    const uint64_t address = find_free(size, 0);
    const uint64_t image = address + vdso::kDataSize;
    const mm::Region data{address, image, mm::kProtRead, 0, 0, 0};
    const mm::Region code{image, address + size, mm::kProtRead | mm::kProtExec, 0, 0, 0};
    Guard guard(lock_, KEEL_HERE);
    if (address == 0 || !regions_.insert(data).ok() || !regions_.insert(code).ok()) return false;
    if (!table_
             .map(address, memlayout::to_physical(vdso::data_page()), kPage,
                  user_leaf_flags(data.protection))
             .ok())
        return false;
    const uint64_t physical = memlayout::to_physical(vdso::image());
    const uint64_t flags = user_leaf_flags(code.protection);
    for (uint64_t offset = 0; offset < vdso::size(); offset += kPage) {
        if (!table_.map(image + offset, physical + offset, kPage, flags).ok()) return false;
    }
    vdso_ = image;
    return true;
}

void AddressSpace::take(AddressSpace& other) {
    const auto swap = [](auto& a, auto& b) {
        auto was = a;
        a = b;
        b = was;
    };
    Guard guard(lock_, KEEL_HERE);
    swap(table_, other.table_);
    regions_.swap(other.regions_);
    swap(pages_, other.pages_);
    if (other.peak_pages_ > peak_pages_) peak_pages_ = other.peak_pages_;
    swap(brk_start_, other.brk_start_);
    swap(brk_, other.brk_);
    swap(vdso_, other.vdso_);
}

}  // namespace keel::process
