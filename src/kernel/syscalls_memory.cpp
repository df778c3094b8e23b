// SPDX-License-Identifier: MIT
// brk, mmap (anonymous, private), munmap, mprotect: a process's memory, page by page from the
// page allocator. The heap grows up from the image's end; mappings grow down from under the
// stack; neither may reach the other.
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/syscall_calls.h>
#include <keel/kernel/vm.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using process::kPage;
using process::Process;

constexpr uint64_t kProtRead = 1;  // PROT_* and MAP_* (Linux include/uapi/asm-generic/mman*.h)
constexpr uint64_t kProtWrite = 2;
constexpr uint64_t kProtExec = 4;
constexpr uint64_t kMapPrivate = 0x02;
constexpr uint64_t kMapFixed = 0x10;
constexpr uint64_t kMapAnonymous = 0x20;
constexpr uint64_t kGap = 16 * kPage;  // kept free between the heap and the mappings

uint64_t page_up(uint64_t a) {
    return (a + kPage - 1) & ~(kPage - 1);
}

// Unmaps the user page at `address` and frees it; false when there is none.
bool drop_page(Process& p, uint64_t address) {
    const mm::Walk w = p.space.walk(address);
    if (!w.mapped || !mm::is_user_leaf(w.flags)) return false;
    (void)p.space.unmap(address, kPage);
    asm volatile("sfence.vma %0, zero" ::"r"(address) : "memory");
    pages::free(w.physical, 0);
    --p.pages;
    return true;
}

bool map_pages(Process& p, uint64_t from, uint64_t to, uint64_t flags) {
    for (uint64_t page = from; page < to; page += kPage) {
        if (process::map_new_page(p, page, flags) == 0) {
            for (uint64_t undo = from; undo < page; undo += kPage) drop_page(p, undo);
            return false;
        }
    }
    return true;
}

uint64_t pte_flags(uint64_t protection) {
    uint64_t flags = 0;
    if ((protection & (kProtRead | kProtWrite)) != 0) flags |= mm::kPteRead;
    if ((protection & kProtWrite) != 0) flags |= mm::kPteWrite;
    if ((protection & kProtExec) != 0) flags |= mm::kPteExecute;
    return flags;
}

}  // namespace

int64_t brk(Process& p, uint64_t address) {
    if (address < p.brk_start || address > p.mmap_next - kGap) return static_cast<int64_t>(p.brk);
    const uint64_t old_end = page_up(p.brk);
    const uint64_t new_end = page_up(address);
    if (new_end > old_end && !map_pages(p, old_end, new_end, mm::kPteRead | mm::kPteWrite))
        return static_cast<int64_t>(p.brk);
    for (uint64_t page = new_end; page < old_end; page += kPage) drop_page(p, page);
    p.brk = address;
    return static_cast<int64_t>(p.brk);
}

int64_t mmap(Process& p, uint64_t address, uint64_t length, uint64_t protection, uint64_t flags,
             int64_t fd) {
    if (length == 0 || length > (uint64_t{1} << 32)) return -kEinval;
    if ((protection & ~(kProtRead | kProtWrite | kProtExec)) != 0) return -kEinval;
    if ((flags & kMapAnonymous) == 0 || fd != -1) return -kEnodev;  // no file mappings yet
    if ((flags & kMapPrivate) == 0 || (flags & kMapFixed) != 0) return -kEinval;
    if ((protection & kProtWrite) != 0 && (protection & kProtExec) != 0) return -kEacces;
    (void)address;  // a hint only
    const uint64_t size = page_up(length);
    if (size > p.mmap_next || p.mmap_next - size < page_up(p.brk) + kGap) return -kEnomem;
    const uint64_t base = p.mmap_next - size;
    // PROT_NONE (a guard, or room reserved to open later with mprotect) gets pages the program
    // cannot touch: every access faults.
    if (!map_pages(p, base, base + size, pte_flags(protection))) return -kEnomem;
    p.mmap_next = base;
    return static_cast<int64_t>(base);
}

int64_t munmap(Process& p, uint64_t address, uint64_t length) {
    if (address % kPage != 0 || length == 0 || address + length < address ||
        address + length > memlayout::kUserTop)
        return -kEinval;
    for (uint64_t page = address; page < address + length; page += kPage) drop_page(p, page);
    return 0;
}

int64_t mprotect(Process& p, uint64_t address, uint64_t length, uint64_t protection) {
    if (address % kPage != 0) return -kEinval;
    // As Linux: a range that wraps or leaves user memory holds unmapped pages.
    if (address + length < address || address + length > memlayout::kUserTop) return -kEnomem;
    if ((protection & kProtWrite) != 0 && (protection & kProtExec) != 0) return -kEacces;
    if ((protection & ~(kProtRead | kProtWrite | kProtExec)) != 0) return -kEinval;
    for (uint64_t page = address; page < address + length; page += kPage) {
        const mm::Walk w = p.space.walk(page);
        if (!w.mapped || !mm::is_user_leaf(w.flags)) return -kEnomem;
    }
    for (uint64_t page = address; page < address + length; page += kPage) {
        const mm::Walk w = p.space.walk(page);
        (void)p.space.unmap(page, kPage);
        (void)p.space.map(page, w.physical, kPage, process::user_leaf_flags(pte_flags(protection)));
        asm volatile("sfence.vma %0, zero" ::"r"(page) : "memory");
    }
    return 0;
}

}  // namespace keel::syscalls
