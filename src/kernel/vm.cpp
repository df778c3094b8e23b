// SPDX-License-Identifier: MIT
// The kernel's Sv39 address space (include/keel/kernel/vm.h).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/backtrace.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/lock.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/vm.h>
#include <keel/lib/sort.h>
#include <keel/mm/pages.h>

namespace keel::vm {
namespace {

constexpr uint64_t kPage = mm::kPageSize;
constexpr uint64_t kRam = mm::kPteRead | mm::kPteWrite | mm::kPteGlobal;
constexpr uint64_t kCode = mm::kPteRead | mm::kPteExecute | mm::kPteGlobal;
constexpr uint64_t kReadOnly = mm::kPteRead | mm::kPteGlobal;
constexpr uint64_t kDevice = mm::kPteRead | mm::kPteWrite | mm::kPteGlobal;

constinit mm::PageTable g_table;
bool g_built = false;
// Which hart slots turned the map on (each writes its own, having read satp back).
constinit Atomic<uint32_t> g_on[memlayout::kMaxHarts];
Summary g_summary{};

uint64_t table_page(void*) {
    const auto page = pages::allocate(0);
    return page.ok() ? page.value() : 0;
}

uint64_t address(const char* symbol) {
    return reinterpret_cast<uintptr_t>(symbol);
}

// A piece of memory mapped other than plain read+write (or not at all: flags 0).
struct Special {
    uint64_t base;
    uint64_t end;
    uint64_t flags;
};

// The image at its link address, part by part (linker.ld page-aligns each): every hart slot's
// stack has an unmapped guard page under it (memlayout.h).
Result<void, mm::MapError> map_image() {
    Special parts[4 + 2 * memlayout::kMaxHarts];
    size_t count = 0;
    parts[count++] = {address(__text_start), address(__text_end), kCode};
    parts[count++] = {address(__rodata_start), address(__data_start), kReadOnly};
    parts[count++] = {address(__data_start), address(__stacks_start), kRam};
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        const uint64_t low = memlayout::stack_low(slot);
        parts[count++] = {low - memlayout::kStackGuard, low, 0};
        parts[count++] = {low, memlayout::stack_top(slot), kRam};
    }
    parts[count++] = {address(__stacks_end), mm::page_up(address(__kernel_end)), kRam};
    for (size_t i = 0; i < count; ++i) {
        if (parts[i].flags == 0 || parts[i].end <= parts[i].base) continue;
        const auto mapped = g_table.map(parts[i].base, memlayout::to_physical(parts[i].base),
                                        parts[i].end - parts[i].base, parts[i].flags);
        if (!mapped.ok()) return mapped;
    }
    return {};
}

// Physical [base, end) in the direct map with `flags`.
Result<void, mm::MapError> map_direct(uint64_t base, uint64_t end, uint64_t flags) {
    if (end <= base) return {};
    if (end > memlayout::kDirectMapSize) return mm::MapError::kNotCanonical;
    return g_table.map(memlayout::to_virtual(base), base, end - base, flags);
}

// One RAM range in the direct map, but for the specials (sorted by base) it overlaps.
Result<void, mm::MapError> map_ram(mm::Range ram, const Special* specials, size_t special_count) {
    uint64_t cursor = ram.base;
    const uint64_t end = ram.end();
    for (size_t i = 0; i < special_count && cursor < end; ++i) {
        const Special& s = specials[i];
        if (s.end <= cursor || s.base >= end) continue;
        if (s.base > cursor) {
            if (const auto plain = map_direct(cursor, s.base, kRam); !plain.ok()) return plain;
        }
        const uint64_t from = s.base > cursor ? s.base : cursor;
        const uint64_t to = s.end < end ? s.end : end;
        if (s.flags != 0) {
            if (const auto mapped = map_direct(from, to, s.flags); !mapped.ok()) return mapped;
        }
        cursor = to;
    }
    return map_direct(cursor, end, kRam);
}

// What of RAM the direct map leaves out or maps read-only, sorted: the image (reached at its link
// address only), the firmware's own memory (/reserved-memory, no-map or not: keel never touches
// it, and a stray access becomes a page fault that names it), and the initramfs (read in place,
// never written). The blob's /memreserve/ entries are only not allocated: the device tree itself
// may lie under one (U-Boot puts it so at times), and keel reads it for as long as it runs.
size_t ram_specials(const mm::PhysMap& map, Special* out) {
    size_t count = 0;
    const uint64_t image = memlayout::to_physical(address(__kernel_start));
    out[count++] = {image, mm::page_up(image + (address(__kernel_end) - address(__kernel_start))),
                    0};
    for (size_t i = 0; i < map.reservation_count(); ++i) {
        const mm::Reservation& r = map.reservation(i);
        const uint64_t base = mm::page_down(r.range.base);
        const uint64_t end = mm::page_up(r.range.end());
        if (r.kind == mm::ReservationKind::kInitrd) out[count++] = {base, end, kReadOnly};
        if (r.kind == mm::ReservationKind::kFirmware) out[count++] = {base, end, 0};
    }
    insertion_sort(out, count, [](const Special& a, const Special& b) { return a.base < b.base; });
    return count;
}

// One device's registers, page-rounded, in the direct map. Where another device already has a
// page, page by page, leaving the shared ones as they are.
void map_device(uint64_t base, uint64_t size) {
    if (base == 0) return;
    const uint64_t first = mm::page_down(base);
    const uint64_t last = mm::page_up(base + (size == 0 ? 1 : size));
    if (map_direct(first, last, kDevice).ok()) {
        g_summary.device_bytes += last - first;
        return;
    }
    for (uint64_t page = first; page < last; page += kPage) {
        if (map_direct(page, page + kPage, kDevice).ok()) g_summary.device_bytes += kPage;
    }
}

// Pages of physical [base, base + size) that nothing maps yet, read-only, in the direct map.
void map_read_only(uint64_t base, uint64_t size) {
    for (uint64_t page = mm::page_down(base); page < mm::page_up(base + size); page += kPage) {
        if (!g_table.walk(memlayout::to_virtual(page)).mapped)
            (void)map_direct(page, page + kPage, kReadOnly);
    }
}

}  // namespace

Result<void, mm::MapError> build(const BootInfo& info, const mm::PhysMap& map) {
    auto created =
        mm::PageTable::create(mm::PageSource{&table_page, nullptr}, memlayout::kDirectMap);
    if (!created.ok()) return created.error();
    g_table = created.value();
    g_summary = Summary{};
    if (const auto image = map_image(); !image.ok()) return image;
    Special specials[1 + mm::PhysMap::kMaxReservations];
    const size_t special_count = ram_specials(map, specials);
    mm::Range ram[mm::PhysMap::kMaxRam];
    const size_t ram_count = map.ram_pages(ram, mm::PhysMap::kMaxRam);
    for (size_t i = 0; i < ram_count; ++i) {
        const auto mapped = map_ram(ram[i], specials, special_count);
        if (!mapped.ok()) return mapped;
    }
    // The device tree blob is read for as long as keel runs (BootInfo's strings point into it):
    // where it lies outside RAM, its pages read-only.
    if (info.tree_ok) map_read_only(info.tree_address, info.tree_size);
    if (info.console.driver != UartDriver::kSbi) map_device(info.console.base, kPage);
    map_device(info.plic_base, info.plic_size);
    map_device(info.power.test_finisher, kPage);
    map_device(info.power.htif, 16);
    map_device(info.power.restart.controller, kPage);
    map_device(info.rtc_base, kPage);
    // Device pages count too; the summary is about the whole map.
    g_summary.giga_pages = static_cast<unsigned>(g_table.leaves(2));
    g_summary.mega_pages = static_cast<unsigned>(g_table.leaves(1));
    g_summary.small_pages = static_cast<unsigned>(g_table.leaves(0));
    g_built = true;
    keel_kernel_satp = g_table.satp();  // what harts started from now on turn on
    return {};
}

namespace {

constinit Lock g_map_lock;  // map_pages and unmap_pages may run on several harts at once

}  // namespace

Result<void, mm::MapError> reserve(uint64_t virtual_address, uint64_t size) {
    if (!g_built) return mm::MapError::kNoMemory;
    LockGuard guard(g_map_lock, KEEL_HERE);
    return g_table.reserve(virtual_address, size);
}

Result<void, mm::MapError> map_pages(uint64_t virtual_address, uint64_t physical, uint64_t size) {
    if (!g_built) return mm::MapError::kNoMemory;
    LockGuard guard(g_map_lock, KEEL_HERE);
    const auto mapped = g_table.map(virtual_address, physical, size, kRam);
    // A hart may hold an invalid entry for these pages in its TLB; this one will use them next.
    asm volatile("sfence.vma zero, zero" ::: "memory");
    return mapped;
}

void unmap_pages(uint64_t virtual_address, uint64_t size) {
    LockGuard guard(g_map_lock, KEEL_HERE);
    (void)g_table.unmap(virtual_address, size);
    for (uint64_t page = virtual_address; page < virtual_address + size; page += kPage) {
        asm volatile("sfence.vma %0, zero" ::"r"(page) : "memory");
    }
}

Result<mm::PageTable, mm::MapError> new_user_space() {
    if (!g_built) return mm::MapError::kNoMemory;
    LockGuard guard(g_map_lock, KEEL_HERE);
    const mm::PageSource source{&table_page, nullptr,
                                [](uint64_t physical, void*) { pages::free(physical, 0); }};
    return mm::PageTable::create_user(source, g_table, memlayout::kUserTop);
}

void enable_on_this_hart() {
    if (!g_built) return;
    asm volatile("sfence.vma zero, zero" ::: "memory");
    KEEL_CSR_WRITE(satp, g_table.satp());
    asm volatile("sfence.vma zero, zero" ::: "memory");
    if (const Hart* hart = this_hart_or_null()) g_on[hart->slot].store(enabled_here() ? 1 : 0);
}

bool enabled_on(unsigned slot) {
    return slot < memlayout::kMaxHarts && g_on[slot].load() != 0;
}

namespace {

// The part of the kernel image (or of memory) an address lies in.
const char* region_name(uint64_t at) {
    if (at >= address(__text_start) && at < address(__text_end)) return "kernel text";
    if (at >= address(__rodata_start) && at < address(__data_start)) return ".rodata";
    if (at >= address(__data_start) && at < address(__data_end)) return ".data";
    if (at >= address(__stacks_start) && at < address(__stacks_end)) return "a hart stack";
    if (at >= address(__heap_arena_start) && at < address(__heap_arena_end)) return "the heap";
    if (at >= address(__bss_start) && at < address(__bss_end)) return ".bss";
    if (at < memlayout::kDirectMap || at - memlayout::kDirectMap >= memlayout::kDirectMapSize)
        return "kernel memory";
    const uint64_t physical = at - memlayout::kDirectMap;
    const mm::PhysMap& map = pages::map();
    for (size_t i = 0; i < map.ram_count(); ++i) {
        if (physical >= map.ram(i).base && physical < map.ram(i).end()) return "RAM";
    }
    return "device memory";
}

}  // namespace

void explain_fault(TrapCause cause, uint64_t stval) {
    const bool fetch = cause.is(Exception::kInstructionPageFault);
    const bool store = cause.is(Exception::kStorePageFault);
    const bool page_fault = fetch || store || cause.is(Exception::kLoadPageFault);
    if (!page_fault && !cause.is(Exception::kInstructionAccessFault) &&
        !cause.is(Exception::kLoadAccessFault) && !cause.is(Exception::kStoreAccessFault))
        return;
    if (stval < kPage) {
        console::print("  null pointer dereference (address {:#x})\n", stval);
        return;
    }
    const uint64_t stacks = address(__stacks_start);
    if (stval >= stacks && stval < address(__stacks_end) &&
        (stval - stacks) % memlayout::kStackStride < memlayout::kStackGuard) {
        const auto slot = static_cast<unsigned>((stval - stacks) / memlayout::kStackStride);
        console::print("  kernel stack overflow on hart {} (guard page {:#x})\n", g_harts[slot].id,
                       memlayout::stack_low(slot) - memlayout::kStackGuard);
        return;
    }
    if (page_fault && sched::describe_stack_fault(stval)) return;
    if (stval < memlayout::kUserTop) {
        console::print("  the kernel touched user address {:#x}\n", stval);
        return;
    }
    const mm::Walk w = g_built ? g_table.walk(stval) : mm::Walk{};
    if (!page_fault || !w.mapped) {
        console::print("  access to {} address {:#x}\n", page_fault ? "unmapped" : "forbidden",
                       stval);
        return;
    }
    const char* where = region_name(stval);
    if (store && (w.flags & mm::kPteWrite) == 0) {
        console::print("  write to read-only {} at ", where);
        if (stval >= address(__text_start) && stval < address(__text_end)) {
            print_code_address(stval);
        } else {
            console::print("{:#x}", stval);
        }
        console::print("\n");
    } else if (fetch && (w.flags & mm::kPteExecute) == 0) {
        console::print("  execute from non-executable memory ({})\n", where);
    } else {
        console::print("  {} page fault at {:#x} in {} (mapped {:#x})\n",
                       store   ? "store"
                       : fetch ? "fetch"
                               : "load",
                       stval, where, w.flags);
    }
}

bool built() {
    return g_built;
}

bool enabled_here() {
    return g_built && KEEL_CSR_READ(satp) == g_table.satp();
}

mm::Walk walk(uint64_t virtual_address) {
    return g_table.walk(virtual_address);
}

uint64_t satp() {
    return g_table.satp();
}

size_t table_pages() {
    return g_table.table_pages();
}

Summary summary() {
    return g_summary;
}

}  // namespace keel::vm
