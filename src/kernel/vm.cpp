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

// A piece of RAM mapped other than plain read+write (or not at all: flags 0).
struct Special {
    uint64_t base;
    uint64_t end;
    uint64_t flags;
};

Result<void, mm::MapError> map_ram(mm::Range ram, const Special* specials, size_t special_count) {
    uint64_t cursor = ram.base;
    const uint64_t end = ram.end();
    for (size_t i = 0; i < special_count && cursor < end; ++i) {
        const Special& s = specials[i];
        if (s.end <= cursor || s.base >= end) continue;
        if (s.base > cursor) {
            const auto plain = g_table.map(cursor, cursor, s.base - cursor, kRam);
            if (!plain.ok()) return plain;
        }
        const uint64_t from = s.base > cursor ? s.base : cursor;
        const uint64_t to = s.end < end ? s.end : end;
        if (s.flags != 0) {
            const auto mapped = g_table.map(from, from, to - from, s.flags);
            if (!mapped.ok()) return mapped;
        }
        cursor = to;
    }
    if (cursor < end) return g_table.map(cursor, cursor, end - cursor, kRam);
    return {};
}

// Where each device (or device tree) mapping ends: those under user_top() lie in every user
// space too, so a program's heap starts above them (user_heap_floor).
uint64_t g_device_ends[8];
size_t g_device_count = 0;

void note_device_end(uint64_t end) {
    if (g_device_count < sizeof g_device_ends / sizeof g_device_ends[0])
        g_device_ends[g_device_count++] = end;
}

// One device's registers, page-rounded, in as few pages as alignment allows. Where another
// device already has a page, page by page, leaving the shared ones as they are.
void map_device(uint64_t base, uint64_t size) {
    if (base == 0) return;
    const uint64_t first = mm::page_down(base);
    const uint64_t last = mm::page_up(base + (size == 0 ? 1 : size));
    note_device_end(last);
    if (g_table.map(first, first, last - first, kDevice).ok()) {
        g_summary.device_bytes += last - first;
        return;
    }
    for (uint64_t page = first; page < last; page += kPage) {
        if (g_table.map(page, page, kPage, kDevice).ok()) g_summary.device_bytes += kPage;
    }
}

// Pages of [base, base + size) that nothing maps yet, read-only.
void map_read_only(uint64_t base, uint64_t size) {
    const uint64_t first = mm::page_down(base);
    const uint64_t last = mm::page_up(base + size);
    note_device_end(last);
    for (uint64_t page = first; page < last; page += kPage) {
        if (!g_table.walk(page).mapped) (void)g_table.map(page, page, kPage, kReadOnly);
    }
}

}  // namespace

Result<void, mm::MapError> build(const BootInfo& info, const mm::PhysMap& map) {
    auto created = mm::PageTable::create(mm::PageSource{&table_page, nullptr}, 0);
    if (!created.ok()) return created.error();
    g_table = created.value();

    // The image's parts (linker.ld page-aligns each), then the firmware's memory, left out.
    // Every hart slot's stack has an unmapped guard page under it (memlayout.h).
    Special specials[4 + 2 * memlayout::kMaxHarts + mm::PhysMap::kMaxReservations];
    size_t count_specials = 0;
    specials[count_specials++] = {address(__text_start), address(__text_end), kCode};
    specials[count_specials++] = {address(__rodata_start), address(__data_start), kReadOnly};
    specials[count_specials++] = {address(__data_start), address(__stacks_start), kRam};
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        const uint64_t low = memlayout::stack_low(slot);
        specials[count_specials++] = {low - memlayout::kStackGuard, low, 0};
        specials[count_specials++] = {low, memlayout::stack_top(slot), kRam};
    }
    specials[count_specials++] = {address(__stacks_end), address(__kernel_end), kRam};
    for (size_t i = 0; i < map.reservation_count(); ++i) {
        // The firmware's own memory (/reserved-memory, no-map or not: keel never touches it, and a
        // stray access becomes a page fault that names it) is left out. The blob's /memreserve/
        // entries are only not allocated: the device tree itself may lie under one (U-Boot puts
        // it so at times), and keel reads it for as long as it runs.
        const mm::Reservation& r = map.reservation(i);
        if (r.kind == mm::ReservationKind::kInitrd) {  // read in place, never written
            specials[count_specials++] = {mm::page_down(r.range.base), mm::page_up(r.range.end()),
                                          kReadOnly};
        }
        if (r.kind != mm::ReservationKind::kFirmware) continue;
        specials[count_specials++] = {mm::page_down(r.range.base), mm::page_up(r.range.end()), 0};
    }
    insertion_sort(specials, count_specials,
                   [](const Special& a, const Special& b) { return a.base < b.base; });

    g_summary = Summary{};
    g_device_count = 0;
    mm::Range ram[mm::PhysMap::kMaxRam];
    const size_t ram_count = map.ram_pages(ram, mm::PhysMap::kMaxRam);
    for (size_t i = 0; i < ram_count; ++i) {
        const auto mapped = map_ram(ram[i], specials, count_specials);
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
    // Device pages count too; the summary is about the whole map.
    g_summary.giga_pages = static_cast<unsigned>(g_table.leaves(2));
    g_summary.mega_pages = static_cast<unsigned>(g_table.leaves(1));
    g_summary.small_pages = static_cast<unsigned>(g_table.leaves(0));
    g_built = true;
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

uint64_t user_top() {
    constexpr uint64_t kGiB = uint64_t{1} << 30;
    const mm::PhysMap& map = pages::map();
    uint64_t lowest = 256 * kGiB;  // Sv39's lower half
    for (size_t i = 0; i < map.ram_count(); ++i) {
        if (map.ram(i).base < lowest) lowest = map.ram(i).base;
    }
    return lowest / kGiB * kGiB;
}

uint64_t user_heap_floor() {
    const uint64_t top = user_top();
    uint64_t floor = 0;
    for (size_t i = 0; i < g_device_count; ++i) {
        if (g_device_ends[i] <= top && g_device_ends[i] > floor) floor = g_device_ends[i];
    }
    return floor;
}

Result<mm::PageTable, mm::MapError> new_user_space() {
    if (!g_built || user_top() == 0) return mm::MapError::kNoMemory;
    LockGuard guard(g_map_lock, KEEL_HERE);
    const mm::PageSource source{&table_page, nullptr,
                                [](uint64_t physical, void*) { pages::free(physical, 0); }};
    return mm::PageTable::create_user(source, g_table, user_top());
}

void free_user_space(mm::PageTable& space) {
    space.destroy_user(
        user_top(), [](uint64_t physical, void*) { pages::free(physical, 0); }, nullptr);
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
    const mm::PhysMap& map = pages::map();
    for (size_t i = 0; i < map.ram_count(); ++i) {
        if (at >= map.ram(i).base && at < map.ram(i).end()) return "RAM";
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
