// SPDX-License-Identifier: MIT
// brk, mmap, munmap, mprotect, mremap, madvise, msync: a process's memory as regions of its address
// space (kernel/address_space.h), with Linux's arguments, checks and errnos (mm/mmap.c,
// mm/mprotect.c, mm/mremap.c, mm/madvise.c, mm/msync.c). Private anonymous memory, and mappings of
// files (tmpfs's: MAP_PRIVATE and MAP_SHARED); pages come on first touch.
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/mman.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/fs/file.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using process::kPage;
using process::Process;

// madvise advice that asks nothing keel must do (it has no readahead, no swap).
constexpr bool harmless(uint64_t advice) {
    return advice == MADV_NORMAL || advice == MADV_RANDOM || advice == MADV_SEQUENTIAL ||
           advice == MADV_WILLNEED;
}

constexpr uint64_t page_up(uint64_t a) {
    return (a + kPage - 1) & ~(kPage - 1);
}

// A length rounded up to pages, 0 when that wraps.
constexpr uint64_t page_length(uint64_t length) {
    return length > ~uint64_t{0} - (kPage - 1) ? 0 : page_up(length);
}

int64_t errno_of(mm::RegionError error) {
    switch (error) {
    case mm::RegionError::kNotMapped:
    case mm::RegionError::kNoMemory:
    case mm::RegionError::kTooMany:
    case mm::RegionError::kNoSpace: return -ENOMEM;
    case mm::RegionError::kOverlap: return -EEXIST;
    default: return -EINVAL;
    }
}

// Linux's overcommit heuristic (OVERCOMMIT_GUESS): one private writable mapping may not promise
// more than all of RAM, unless MAP_NORESERVE says no promise is made.
bool too_big_a_promise(uint64_t size, uint64_t protection, uint64_t flags) {
    if ((flags & MAP_NORESERVE) != 0 || (protection & mm::kProtWrite) == 0) return false;
    if ((flags & MAP_TYPE) != MAP_PRIVATE) return false;
    return size / kPage > pages::counters().total;
}

// The flags MAP_SHARED_VALIDATE knows for a tmpfs file (Linux's LEGACY_MAP_MASK; no MAP_SYNC).
constexpr uint64_t kLegacyMapFlags = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS |
                                     MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED |
                                     MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |
                                     MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB;

// Whether `file` may be mapped so, with Linux's errnos (do_mmap's file checks): 0, with the
// region's flags added to `region_flags`, or -errno. MAP_SHARED of a file opened read-only is
// never writable (VM_MAYWRITE clear: kRegionNoWrite, which mprotect keeps).
int64_t check_file(const fs::File& file, uint64_t flags, uint64_t protection, uint64_t size,
                   uint64_t offset, uint32_t& region_flags) {
    // file_mmap_ok: the mapping's last byte must be a file offset (a signed 64-bit loff_t).
    constexpr uint64_t kMaxBytes = ~uint64_t{0} >> 1;
    if (size > kMaxBytes || offset / kPage > (kMaxBytes - size) / kPage) return -EOVERFLOW;
    const uint64_t type = flags & MAP_TYPE;
    if (type == MAP_SHARED_VALIDATE && (flags & ~kLegacyMapFlags) != 0) return -EOPNOTSUPP;
    if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) {
        if ((protection & mm::kProtWrite) != 0 && !file.writable()) return -EACCES;
        region_flags |= mm::kRegionShared | (file.writable() ? 0 : mm::kRegionNoWrite);
    }
    if (!file.readable()) return -EACCES;
    if (file.inode == nullptr || !file.inode->mappable()) return -ENODEV;
    if ((flags & MAP_GROWSDOWN) != 0) return -EINVAL;
    return 0;
}

// Where the mapping goes: MAP_FIXED's address (whatever was there is unmapped first),
// MAP_FIXED_NOREPLACE's (-EEXIST if anything is there), or a free place near the hint.
int64_t place(Process& p, uint64_t address, uint64_t size, uint64_t flags) {
    if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == 0) {
        const uint64_t found = p.space().find_free(size, address);
        return found != 0 ? static_cast<int64_t>(found) : -ENOMEM;
    }
    if (address % kPage != 0) return -EINVAL;
    if (!in_user_space(address, size)) return -ENOMEM;
    if (address < process::kMmapMin) return -EPERM;
    if ((flags & MAP_FIXED) == 0) {
        return p.space().regions().is_free(address, address + size) ? static_cast<int64_t>(address)
                                                                    : -EEXIST;
    }
    if (const auto removed = p.space().remove(address, address + size); !removed.ok())
        return errno_of(removed.error());
    return static_cast<int64_t>(address);
}

// mremap once the arguments are checked: shrink, grow in place, or move.
int64_t resize_region(Process& p, uint64_t old_address, uint64_t old_size, uint64_t new_size,
                      uint64_t flags, uint64_t new_address) {
    const bool fixed = (flags & MREMAP_FIXED) != 0;
    if (!fixed && new_size <= old_size) {
        if (new_size < old_size) {
            const auto removed = p.space().remove(old_address + new_size, old_address + old_size);
            if (!removed.ok()) return errno_of(removed.error());
        }
        return static_cast<int64_t>(old_address);
    }
    // Grown in place where the room after it is free.
    const uint64_t old_end = old_address + old_size;
    const mm::Region region = *p.space().regions().find(old_address);
    if (!fixed && in_user_space(old_address, new_size) &&
        p.space().regions().is_free(old_end, old_address + new_size)) {
        mm::Region grown = region;
        if (grown.object != 0) grown.offset += old_end - region.start;
        grown.start = old_end;
        grown.end = old_address + new_size;
        const auto added = p.space().add(grown);
        return added.ok() ? static_cast<int64_t>(old_address) : errno_of(added.error());
    }
    if ((flags & MREMAP_MAYMOVE) == 0) return -ENOMEM;
    const uint64_t to = fixed ? new_address : p.space().find_free(new_size, 0);
    if (to == 0) return -ENOMEM;
    // The pages move; a smaller new size leaves the tail behind, unmapped; a larger one gets a
    // region (of the same kind) for the rest.
    const uint64_t moved = old_size < new_size ? old_size : new_size;
    if (const auto done = p.space().move(old_address, moved, to); !done.ok())
        return errno_of(done.error());
    if (moved < old_size) (void)p.space().remove(old_address + moved, old_end);
    if (moved < new_size) {
        mm::Region rest = region;
        rest.start = to + moved;
        rest.end = to + new_size;
        if (rest.object != 0) rest.offset += old_address + moved - region.start;
        if (const auto added = p.space().add(rest); !added.ok()) return errno_of(added.error());
    }
    return static_cast<int64_t>(to);
}

int64_t do_brk(Process& p, uint64_t address) {
    return static_cast<int64_t>(p.space().set_brk(address));
}

int64_t do_mmap(Process& p, uint64_t address, uint64_t length, uint64_t protection, uint64_t flags,
                int64_t fd, uint64_t offset) {
    if (offset % kPage != 0) return -EINVAL;
    fs::File* file = nullptr;  // (the descriptor's: only this process's task closes it)
    if ((flags & MAP_ANONYMOUS) == 0) {
        file = p.fds->get(static_cast<int>(fd));
        if (file == nullptr || (file->flags & O_PATH) != 0) return -EBADF;
    }
    const uint64_t type = flags & MAP_TYPE;
    if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) return -EINVAL;
    if (length == 0) return -EINVAL;
    const uint64_t size = page_length(length);
    if (size == 0 || size > memlayout::kUserTop) return -ENOMEM;
    protection &= mm::kProtAll;  // as Linux's mmap: other bits are ignored (mprotect refuses them)
    uint32_t region_flags = (flags & MAP_NORESERVE) != 0 ? mm::kRegionNoReserve : 0;
    if ((flags & MAP_GROWSDOWN) != 0) region_flags |= mm::kRegionGrowsDown;
    if (file != nullptr) {
        if (const int64_t refused =
                check_file(*file, flags, protection, size, offset, region_flags);
            refused != 0)
            return refused;
    } else if (type != MAP_PRIVATE) {
        return -EINVAL;  // no shared anonymous memory yet
    }
    // keel's own rule, stricter than Linux: never writable and executable at once (W^X).
    if ((protection & mm::kProtWrite) != 0 && (protection & mm::kProtExec) != 0) return -EACCES;
    if (too_big_a_promise(size, protection, flags)) return -ENOMEM;
    const int64_t placed = place(p, address, size, flags);
    if (placed < 0) return placed;
    const auto start = static_cast<uint64_t>(placed);
    const mm::Region region{start,
                            start + size,
                            static_cast<uint32_t>(protection),
                            region_flags,
                            reinterpret_cast<uint64_t>(file),
                            file ? offset : 0};
    if (const auto added = p.space().add(region); !added.ok()) return errno_of(added.error());
    // MAP_POPULATE: the pages now, as far as memory goes (Linux ignores a shortfall too).
    if ((flags & MAP_POPULATE) != 0 && protection != 0) {
        const auto access =
            (protection & mm::kProtWrite) != 0 ? process::Access::kWrite : process::Access::kRead;
        (void)p.space().prepare(start, size, access);
    }
    return placed;
}

int64_t do_munmap(Process& p, uint64_t address, uint64_t length) {
    const uint64_t size = page_length(length);
    if (address % kPage != 0 || length == 0 || size == 0 || !in_user_space(address, size))
        return -EINVAL;
    const auto removed = p.space().remove(address, address + size);
    return removed.ok() ? 0 : errno_of(removed.error());
}

// mprotect's PROT_GROWSDOWN: the range starts at the start of the region it begins in (or the
// first after it), which must be a stack; PROT_GROWSUP needs a region that grows up, which
// riscv64 has none of (Linux's do_mprotect_pkey).
int64_t grown_start(Process& p, uint64_t address, uint64_t size, uint64_t grows, uint64_t& start) {
    const mm::Region* region = p.space().regions().next_from(address);
    if (region == nullptr || region->start >= address + size) return -ENOMEM;
    if (grows == PROT_GROWSUP) return region->start > address ? -ENOMEM : -EINVAL;
    if ((region->flags & mm::kRegionGrowsDown) == 0) return -EINVAL;
    start = region->start;
    return 0;
}

int64_t do_mprotect(Process& p, uint64_t address, uint64_t length, uint64_t protection) {
    // Linux's order of checks: the grow flags and the address, a zero length (which succeeds
    // whatever the protection), the range, then the protection's bits (PROT_SEM is one).
    const uint64_t grows = protection & (PROT_GROWSDOWN | PROT_GROWSUP);
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
    if (address % kPage != 0) return -EINVAL;
    if (length == 0) return 0;
    uint64_t size = page_length(length);
    if (size == 0 || !in_user_space(address, size)) return -ENOMEM;
    if ((protection & ~uint64_t{mm::kProtAll | PROT_SEM | grows}) != 0) return -EINVAL;
    if (grows != 0) {
        uint64_t start = address;
        if (const int64_t error = grown_start(p, address, size, grows, start); error != 0)
            return error;
        size += address - start;
        address = start;
    }
    protection &= mm::kProtAll;
    if ((protection & mm::kProtWrite) != 0 && (protection & mm::kProtExec) != 0) return -EACCES;
    // As Linux: the regions from the start on change up to the first hole (-ENOMEM), or the
    // first that may never be written when PROT_WRITE is asked (-EACCES).
    uint64_t end = address;
    bool refused = false;
    for (const mm::Region* r = p.space().regions().find(address);
         r != nullptr && r->start <= end && end < address + size;
         r = p.space().regions().find(end)) {
        refused = (protection & mm::kProtWrite) != 0 && (r->flags & mm::kRegionNoWrite) != 0;
        if (refused) break;
        end = r->end < address + size ? r->end : address + size;
    }
    if (end > address) {
        const auto done = p.space().protect(address, end, static_cast<uint32_t>(protection));
        if (!done.ok()) return errno_of(done.error());
    }
    if (refused) return -EACCES;
    return end == address + size ? 0 : -ENOMEM;
}

int64_t do_mremap(Process& p, uint64_t old_address, uint64_t old_length, uint64_t new_length,
                  uint64_t flags, uint64_t new_address) {
    if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return -EINVAL;
    if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return -EINVAL;
    if ((flags & MREMAP_DONTUNMAP) != 0) return -EINVAL;  // not yet
    if (old_address % kPage != 0) return -EINVAL;
    const uint64_t old_size = page_length(old_length);
    const uint64_t new_size = page_length(new_length);
    if (new_length == 0 || new_size == 0 || old_size == 0) return -EINVAL;
    if (!in_user_space(old_address, old_size)) return -EFAULT;
    // The old range must lie in one region (Linux: -EFAULT otherwise).
    const mm::Region* region = p.space().regions().find(old_address);
    if (region == nullptr || region->end < old_address + old_size) return -EFAULT;
    if ((flags & MREMAP_FIXED) != 0) {
        if (new_address % kPage != 0) return -EINVAL;
        if (!in_user_space(new_address, new_size)) return -EINVAL;
        if (new_address < old_address + old_size && old_address < new_address + new_size)
            return -EINVAL;  // the ranges overlap
        if (const auto removed = p.space().remove(new_address, new_address + new_size);
            !removed.ok())
            return errno_of(removed.error());
    }
    return resize_region(p, old_address, old_size, new_size, flags, new_address);
}

int64_t do_madvise(Process& p, uint64_t address, uint64_t length, uint64_t advice) {
    if (address % kPage != 0) return -EINVAL;
    const bool drops = advice == MADV_DONTNEED || advice == MADV_FREE;
    if (!drops && !harmless(advice)) return -EINVAL;
    const uint64_t size = page_length(length);
    if (length != 0 && size == 0) return -EINVAL;
    if (!in_user_space(address, size)) return -EINVAL;
    if (size == 0) return 0;
    // Linux applies it to the regions in the range and says -ENOMEM when there was a hole.
    bool hole = false;
    for (uint64_t at = address; at < address + size;) {
        const mm::Region* r = p.space().regions().next_from(at);
        if (r == nullptr || r->start >= address + size) {
            hole = true;
            break;
        }
        hole = hole || r->start > at;
        const uint64_t from = r->start > at ? r->start : at;
        const uint64_t to = r->end < address + size ? r->end : address + size;
        if (drops) p.space().discard(from, to);
        at = to;
    }
    return hole ? -ENOMEM : 0;
}

// Every file keel maps keeps its bytes in memory (tmpfs): there is nothing to write back, so what
// is left is Linux's checks and its answer for the range: -ENOMEM where part of it is mapped by
// nothing (MS_ASYNC alone stops at the first such hole).
int64_t do_msync(Process& p, uint64_t address, uint64_t length, uint64_t flags) {
    if ((flags & ~uint64_t{MS_ASYNC | MS_INVALIDATE | MS_SYNC}) != 0) return -EINVAL;
    if (address % kPage != 0) return -EINVAL;
    if ((flags & MS_ASYNC) != 0 && (flags & MS_SYNC) != 0) return -EINVAL;
    const uint64_t end = address + ((length + kPage - 1) & ~(kPage - 1));  // (wraps as Linux's)
    if (end < address) return -ENOMEM;
    bool hole = false;
    for (uint64_t at = address; at < end;) {
        const mm::Region* r = p.space().regions().next_from(at);
        if (r == nullptr) return -ENOMEM;
        if (at < r->start) {
            if (flags == MS_ASYNC || r->start >= end) return -ENOMEM;
            hole = true;
        }
        at = r->end;
    }
    return hole ? -ENOMEM : 0;
}

}  // namespace

int64_t sys_brk(Process& p, TrapFrame& frame) {
    return do_brk(p, arg(frame, 0));
}
int64_t sys_mmap(Process& p, TrapFrame& frame) {
    return do_mmap(p, arg(frame, 0), arg(frame, 1), arg(frame, 2), arg(frame, 3), int_arg(frame, 4),
                   arg(frame, 5));
}
int64_t sys_munmap(Process& p, TrapFrame& frame) {
    return do_munmap(p, arg(frame, 0), arg(frame, 1));
}
int64_t sys_mprotect(Process& p, TrapFrame& frame) {
    return do_mprotect(p, arg(frame, 0), arg(frame, 1), arg(frame, 2));
}
int64_t sys_mremap(Process& p, TrapFrame& frame) {
    return do_mremap(p, arg(frame, 0), arg(frame, 1), arg(frame, 2), arg(frame, 3), arg(frame, 4));
}
int64_t sys_madvise(Process& p, TrapFrame& frame) {
    return do_madvise(p, arg(frame, 0), arg(frame, 1), uint_arg(frame, 2));
}
int64_t sys_msync(Process& p, TrapFrame& frame) {
    return do_msync(p, arg(frame, 0), arg(frame, 1), int_arg(frame, 2));
}

}  // namespace keel::syscalls
