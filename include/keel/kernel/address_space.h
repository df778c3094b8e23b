// SPDX-License-Identifier: MIT
// A process's address space: its page table, the regions it has mapped (mm/regions.h) and the
// pages behind them. Everything below memlayout::kUserTop is the program's, laid out as Linux lays
// it out: the ELF at its link address, the brk heap after its .bss, mmap areas top down from
// kMmapBase, the stack at the very top, growing down on demand to kStackLimit under a guard gap.
// Memory is given on first touch (demand-zero): a region is a promise, a page comes when the
// program (or the kernel, copying for it) first uses it. A fork shares its parent's pages
// copy-on-write: read-only in both, counted by the page allocator, copied at the first write.
// A region may map a file (its object is an fs::File it holds, mm/regions.h's hold): its pages
// are the file's own (Inode::map_page), the very page for MAP_SHARED (kRegionShared), the page
// read-only and copied at the first write for MAP_PRIVATE.
//
// Only the task running in a space changes it (a process has one task; a vfork parent sleeps
// while its child runs in its space), so the owner reads its own space without a lock. Others
// (/proc) read it under lock(): the owner holds it whenever it changes a region or a table entry
// or frees a page, and never across anything that sleeps or touches user memory. Order: the
// process lock (process::TreeLock), then a space's lock, then the page allocator's.
#pragma once
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/lock.h>
#include <keel/lib/result.h>
#include <keel/mm/page_table.h>
#include <keel/mm/regions.h>
#include <stdint.h>

namespace keel::process {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kStackLimit = uint64_t{8} << 20;   // RLIMIT_STACK's default
inline constexpr uint64_t kStackGuardGap = 256 * kPageSize;  // Linux's stack_guard_gap
inline constexpr uint64_t kMmapBase = memlayout::kUserTop - (uint64_t{128} << 20);  // MIN_GAP
inline constexpr uint64_t kMmapMin = kPageSize;  // Linux's default vm.mmap_min_addr

enum class Access : uint8_t { kRead, kWrite, kExecute };

enum class FaultResult : uint8_t {
    kMapped,    // the page is there now (or was already)
    kRefused,   // no region allows the access: the program's own fault (SIGSEGV, or -EFAULT)
    kNoMemory,  // a page or table was wanted and none is left
    kBusError,  // a mapped file has no page there (past its end, or full): SIGBUS, or -EFAULT
};

class AddressSpace {
public:
    AddressSpace();
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    // A fresh, empty space; false when there is no page for its root table.
    bool create();
    // Every page, table and region back to the page allocator. The space must not be in use,
    // nor reachable by a reader (a process's, once resources_gone says so; take()'s old one).
    void destroy();
    // Makes this (fresh) space a copy of `other`: its regions, and each page it has, shared
    // copy-on-write. This space is nobody's yet (a fork's child, before it joins the process
    // tree); `other` is the one this hart runs (the forking parent's), whose TLB it flushes.
    FaultResult copy_from(AddressSpace& other);
    // Takes over `other`'s memory (execve's new image) at once, under the lock: a reader sees the
    // old space or the new one, whole. `other` is left with the old, for the caller to destroy.
    void take(AddressSpace& other);

    // A page fault of the program at `address`: a demand-zero page where a region allows the
    // access, the stack grown down to it where that is the stack's room.
    FaultResult fault(uint64_t address, Access access);
    // For the kernel's copies to and from the program: every byte of [address, address + size)
    // in regions that allow `access`, each page present. kRefused changes nothing.
    FaultResult prepare(uint64_t address, uint64_t size, Access access);
    // As prepare, for a copy that stops where the program's memory does (a read into a buffer
    // that runs into a hole): `ready` is how many bytes from `address` on lie in such regions
    // (all `size`, or those before the first byte that does not), and their pages are made
    // present.
    FaultResult prepare_prefix(uint64_t address, uint64_t size, Access access, uint64_t& ready);

    // Regions. add() maps nothing yet; remove() and discard() give the pages back. remove() and
    // destroy() let go of the files of the regions they remove (fs::release_dropped): never call
    // them holding the file system lock.
    Result<void, mm::RegionError> add(const mm::Region& region);
    Result<void, mm::RegionError> remove(uint64_t start, uint64_t end);
    Result<void, mm::RegionError> protect(uint64_t start, uint64_t end, uint32_t protection);
    void discard(uint64_t start, uint64_t end);  // MADV_DONTNEED: they read zero again
    // Moves [from, from + size) (inside one region) to `to`, free: pages go with it (mremap).
    Result<void, mm::RegionError> move(uint64_t from, uint64_t size, uint64_t to);
    // Where `size` bytes fit: at `hint` if it is free there, else the highest place below
    // kMmapBase. 0 when nothing fits.
    uint64_t find_free(uint64_t size, uint64_t hint) const;
    const mm::RegionList& regions() const { return regions_; }

    // A page the loader fills: zeroed, mapped with `protection`; its physical address, or 0.
    uint64_t map_new_page(uint64_t address, uint32_t protection);
    // Writes `n` bytes at `address` of this space (which the hart need not be running), bringing
    // its pages in: false when part of it lies in no writable region or memory ran out.
    bool poke(uint64_t address, const void* data, uint64_t n);

    // The vDSO's pages (kernel/vdso.h), shared and read+execute, at the top of the mmap area,
    // with its data page read-only right below them: false when there is no room or no page for
    // a table. vdso(): where the image is, 0 before.
    bool map_vdso();
    uint64_t vdso() const { return vdso_; }
    // brk(2): the heap after the image, as one region from brk_start.
    void set_brk_start(uint64_t address) { brk_start_ = brk_ = address; }
    uint64_t brk() const { return brk_; }
    uint64_t set_brk(uint64_t address);

    mm::PageTable& table() { return table_; }
    const mm::PageTable& table() const { return table_; }
    uint64_t satp() const { return table_.satp(); }
    // User pages present, and those with the tables and the region list's block.
    uint64_t pages() const { return pages_; }
    uint64_t all_pages() const;
    // The most user pages it has had present at once, across execs (getrusage's ru_maxrss).
    uint64_t peak_pages() const { return peak_pages_; }

    // For a reader of a space that is not its own: while held, nothing in it changes or goes.
    // A spinlock: hold it only to read (no copy to or from user memory, nothing that sleeps).
    Lock& lock() const { return lock_; }

private:
    const mm::Region* grow_stack(uint64_t address);
    FaultResult populate(uint64_t page, const mm::Region& region, Access access);
    uint64_t usable(uint64_t address, uint64_t size, Access access);
    FaultResult populate_range(uint64_t address, uint64_t size, Access access, uint64_t& ready);
    FaultResult unshare(uint64_t page, uint64_t physical, const mm::Region& region);
    FaultResult map_file_page(uint64_t page, const mm::Region& region, Access access);
    static bool share_leaf(uint64_t address, mm::PageTable::LeafCopy& leaf, void* context);
    static bool share_shared_leaf(uint64_t address, mm::PageTable::LeafCopy& leaf, void* context);
    void free_pages(uint64_t start, uint64_t end);
    void count_page() {
        if (++pages_ > peak_pages_) peak_pages_ = pages_;
    }

    mutable Lock lock_;
    mm::PageTable table_;
    mm::RegionList regions_;
    uint64_t pages_ = 0;
    uint64_t peak_pages_ = 0;  // (destroy() keeps it)
    uint64_t brk_start_ = 0;
    uint64_t brk_ = 0;
    uint64_t vdso_ = 0;
};

// The leaf flags of a program's page with `protection` (mm::kProt*): user-mode (PROT_WRITE with
// read, as the hardware needs), or with none, a PROT_NONE page (mm::kPteUserNone: present,
// readable by the kernel, no user access at all).
uint64_t user_leaf_flags(uint32_t protection);

}  // namespace keel::process
