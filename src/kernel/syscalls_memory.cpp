// SPDX-License-Identifier: MIT
// brk, mmap, munmap, mprotect, mremap, madvise: a process's memory as regions of its address space
// (kernel/address_space.h), with Linux's arguments, checks and errnos (mm/mmap.c, mm/mprotect.c,
// mm/mremap.c, mm/madvise.c). Anonymous memory only, for now: pages come on first touch.
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/syscall_calls.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using process::kPage;
using process::Process;

// MAP_* (Linux include/uapi/asm-generic/mman*.h, linux/mman.h).
constexpr uint64_t kMapShared = 0x01;
constexpr uint64_t kMapPrivate = 0x02;
constexpr uint64_t kMapSharedValidate = 0x03;
constexpr uint64_t kMapType = 0x0f;
constexpr uint64_t kMapFixed = 0x10;
constexpr uint64_t kMapAnonymous = 0x20;
constexpr uint64_t kMapGrowsDown = 0x0100;
constexpr uint64_t kMapNoReserve = 0x4000;
constexpr uint64_t kMapPopulate = 0x8000;
constexpr uint64_t kMapFixedNoReplace = 0x100000;
constexpr uint64_t kMremapMayMove = 1;
constexpr uint64_t kMremapFixed = 2;
constexpr uint64_t kMremapDontUnmap = 4;
constexpr uint64_t kProtGrowsDown = 0x01000000;
constexpr uint64_t kProtGrowsUp = 0x02000000;
// madvise advice that asks nothing keel must do (it has no readahead, no swap).
constexpr uint64_t kMadvNormal = 0, kMadvRandom = 1, kMadvSequential = 2, kMadvWillNeed = 3;
constexpr uint64_t kMadvDontNeed = 4, kMadvFree = 8;

constexpr uint64_t page_up(uint64_t a) {
    return (a + kPage - 1) & ~(kPage - 1);
}

// A length rounded up to pages, 0 when that wraps.
constexpr uint64_t page_length(uint64_t length) {
    return length > ~uint64_t{0} - (kPage - 1) ? 0 : page_up(length);
}

bool in_user_space(uint64_t start, uint64_t size) {
    return start <= memlayout::kUserTop && size <= memlayout::kUserTop - start;
}

int64_t errno_of(mm::RegionError error) {
    switch (error) {
    case mm::RegionError::kNotMapped:
    case mm::RegionError::kNoMemory:
    case mm::RegionError::kTooMany:
    case mm::RegionError::kNoSpace: return -kEnomem;
    case mm::RegionError::kOverlap: return -kEexist;
    default: return -kEinval;
    }
}

// Linux's overcommit heuristic (OVERCOMMIT_GUESS): one private writable mapping may not promise
// more than all of RAM, unless MAP_NORESERVE says no promise is made.
bool too_big_a_promise(uint64_t size, uint64_t protection, uint64_t flags) {
    if ((flags & kMapNoReserve) != 0 || (protection & mm::kProtWrite) == 0) return false;
    if ((flags & kMapType) != kMapPrivate) return false;
    return size / kPage > pages::counters().total;
}

// Where the mapping goes: MAP_FIXED's address (whatever was there is unmapped first),
// MAP_FIXED_NOREPLACE's (-EEXIST if anything is there), or a free place near the hint.
int64_t place(Process& p, uint64_t address, uint64_t size, uint64_t flags) {
    if ((flags & (kMapFixed | kMapFixedNoReplace)) == 0) {
        const uint64_t found = p.memory.find_free(size, address);
        return found != 0 ? static_cast<int64_t>(found) : -kEnomem;
    }
    if (address % kPage != 0) return -kEinval;
    if (!in_user_space(address, size)) return -kEnomem;
    if (address < process::kMmapMin) return -kEperm;
    if ((flags & kMapFixed) == 0) {
        return p.memory.regions().is_free(address, address + size) ? static_cast<int64_t>(address)
                                                                   : -kEexist;
    }
    if (const auto removed = p.memory.remove(address, address + size); !removed.ok())
        return errno_of(removed.error());
    return static_cast<int64_t>(address);
}

// mremap once the arguments are checked: shrink, grow in place, or move.
int64_t resize_region(Process& p, uint64_t old_address, uint64_t old_size, uint64_t new_size,
                      uint64_t flags, uint64_t new_address) {
    const bool fixed = (flags & kMremapFixed) != 0;
    if (!fixed && new_size <= old_size) {
        if (new_size < old_size) {
            const auto removed = p.memory.remove(old_address + new_size, old_address + old_size);
            if (!removed.ok()) return errno_of(removed.error());
        }
        return static_cast<int64_t>(old_address);
    }
    // Grown in place where the room after it is free.
    const uint64_t old_end = old_address + old_size;
    const mm::Region region = *p.memory.regions().find(old_address);
    if (!fixed && in_user_space(old_address, new_size) &&
        p.memory.regions().is_free(old_end, old_address + new_size)) {
        mm::Region grown = region;
        if (grown.object != 0) grown.offset += old_end - region.start;
        grown.start = old_end;
        grown.end = old_address + new_size;
        const auto added = p.memory.add(grown);
        return added.ok() ? static_cast<int64_t>(old_address) : errno_of(added.error());
    }
    if ((flags & kMremapMayMove) == 0) return -kEnomem;
    const uint64_t to = fixed ? new_address : p.memory.find_free(new_size, 0);
    if (to == 0) return -kEnomem;
    // The pages move; a smaller new size leaves the tail behind, unmapped; a larger one gets a
    // region (of the same kind) for the rest.
    const uint64_t moved = old_size < new_size ? old_size : new_size;
    if (const auto done = p.memory.move(old_address, moved, to); !done.ok())
        return errno_of(done.error());
    if (moved < old_size) (void)p.memory.remove(old_address + moved, old_end);
    if (moved < new_size) {
        mm::Region rest = region;
        rest.start = to + moved;
        rest.end = to + new_size;
        if (rest.object != 0) rest.offset += old_address + moved - region.start;
        if (const auto added = p.memory.add(rest); !added.ok()) return errno_of(added.error());
    }
    return static_cast<int64_t>(to);
}

}  // namespace

int64_t brk(Process& p, uint64_t address) {
    return static_cast<int64_t>(p.memory.set_brk(address));
}

int64_t mmap(Process& p, uint64_t address, uint64_t length, uint64_t protection, uint64_t flags,
             int64_t fd, uint64_t offset) {
    if (offset % kPage != 0) return -kEinval;
    const uint64_t type = flags & kMapType;
    if (type != kMapShared && type != kMapPrivate && type != kMapSharedValidate) return -kEinval;
    if (length == 0) return -kEinval;
    const uint64_t size = page_length(length);
    if (size == 0 || size > memlayout::kUserTop) return -kEnomem;
    protection &= mm::kProtAll;  // as Linux's mmap: other bits are ignored (mprotect refuses them)
    if ((flags & kMapAnonymous) == 0)  // no file mappings yet
        return fd >= 3 && fd < process::kMaxFiles && p.files[fd].open ? -kEnodev : -kEbadf;
    if (type != kMapPrivate) return -kEinval;  // no shared anonymous memory yet
    // keel's own rule, stricter than Linux: never writable and executable at once (W^X).
    if ((protection & mm::kProtWrite) != 0 && (protection & mm::kProtExec) != 0) return -kEacces;
    if (too_big_a_promise(size, protection, flags)) return -kEnomem;
    const int64_t placed = place(p, address, size, flags);
    if (placed < 0) return placed;
    const auto start = static_cast<uint64_t>(placed);
    uint32_t region_flags = (flags & kMapNoReserve) != 0 ? mm::kRegionNoReserve : 0;
    if ((flags & kMapGrowsDown) != 0) region_flags |= mm::kRegionGrowsDown;
    const mm::Region region{start, start + size, static_cast<uint32_t>(protection), region_flags, 0,
                            0};
    if (const auto added = p.memory.add(region); !added.ok()) return errno_of(added.error());
    // MAP_POPULATE: the pages now, as far as memory goes (Linux ignores a shortfall too).
    if ((flags & kMapPopulate) != 0 && protection != 0) {
        const auto access =
            (protection & mm::kProtWrite) != 0 ? process::Access::kWrite : process::Access::kRead;
        (void)p.memory.prepare(start, size, access);
    }
    return placed;
}

int64_t munmap(Process& p, uint64_t address, uint64_t length) {
    const uint64_t size = page_length(length);
    if (address % kPage != 0 || length == 0 || size == 0 || !in_user_space(address, size))
        return -kEinval;
    const auto removed = p.memory.remove(address, address + size);
    return removed.ok() ? 0 : errno_of(removed.error());
}

int64_t mprotect(Process& p, uint64_t address, uint64_t length, uint64_t protection) {
    if (address % kPage != 0) return -kEinval;
    if ((protection & ~uint64_t{mm::kProtAll | kProtGrowsDown | kProtGrowsUp}) != 0)
        return -kEinval;
    if ((protection & kProtGrowsDown) != 0 && (protection & kProtGrowsUp) != 0) return -kEinval;
    if (length == 0) return 0;
    const uint64_t size = page_length(length);
    if (size == 0 || !in_user_space(address, size)) return -kEnomem;
    protection &= mm::kProtAll;
    if ((protection & mm::kProtWrite) != 0 && (protection & mm::kProtExec) != 0) return -kEacces;
    // As Linux: the regions from the start on change up to the first hole, then -ENOMEM.
    uint64_t end = address;
    for (const mm::Region* r = p.memory.regions().find(address);
         r != nullptr && r->start <= end && end < address + size; r = p.memory.regions().find(end))
        end = r->end < address + size ? r->end : address + size;
    if (end > address) {
        const auto done = p.memory.protect(address, end, static_cast<uint32_t>(protection));
        if (!done.ok()) return errno_of(done.error());
    }
    return end == address + size ? 0 : -kEnomem;
}

int64_t mremap(Process& p, uint64_t old_address, uint64_t old_length, uint64_t new_length,
               uint64_t flags, uint64_t new_address) {
    if ((flags & ~(kMremapMayMove | kMremapFixed | kMremapDontUnmap)) != 0) return -kEinval;
    if ((flags & kMremapFixed) != 0 && (flags & kMremapMayMove) == 0) return -kEinval;
    if ((flags & kMremapDontUnmap) != 0) return -kEinval;  // not yet
    if (old_address % kPage != 0) return -kEinval;
    const uint64_t old_size = page_length(old_length);
    const uint64_t new_size = page_length(new_length);
    if (new_length == 0 || new_size == 0 || old_size == 0) return -kEinval;
    if (!in_user_space(old_address, old_size)) return -kEfault;
    // The old range must lie in one region (Linux: -EFAULT otherwise).
    const mm::Region* region = p.memory.regions().find(old_address);
    if (region == nullptr || region->end < old_address + old_size) return -kEfault;
    if ((flags & kMremapFixed) != 0) {
        if (new_address % kPage != 0) return -kEinval;
        if (!in_user_space(new_address, new_size)) return -kEinval;
        if (new_address < old_address + old_size && old_address < new_address + new_size)
            return -kEinval;  // the ranges overlap
        if (const auto removed = p.memory.remove(new_address, new_address + new_size);
            !removed.ok())
            return errno_of(removed.error());
    }
    return resize_region(p, old_address, old_size, new_size, flags, new_address);
}

int64_t madvise(Process& p, uint64_t address, uint64_t length, uint64_t advice) {
    if (address % kPage != 0) return -kEinval;
    const bool drops = advice == kMadvDontNeed || advice == kMadvFree;
    if (!drops && advice != kMadvNormal && advice != kMadvRandom && advice != kMadvSequential &&
        advice != kMadvWillNeed)
        return -kEinval;
    const uint64_t size = page_length(length);
    if (length != 0 && size == 0) return -kEinval;
    if (!in_user_space(address, size)) return -kEinval;
    if (size == 0) return 0;
    // Linux applies it to the regions in the range and says -ENOMEM when there was a hole.
    bool hole = false;
    for (uint64_t at = address; at < address + size;) {
        const mm::Region* r = p.memory.regions().next_from(at);
        if (r == nullptr || r->start >= address + size) {
            hole = true;
            break;
        }
        hole = hole || r->start > at;
        const uint64_t from = r->start > at ? r->start : at;
        const uint64_t to = r->end < address + size ? r->end : address + size;
        if (drops) p.memory.discard(from, to);
        at = to;
    }
    return hole ? -kEnomem : 0;
}

}  // namespace keel::syscalls
