// SPDX-License-Identifier: MIT
// mem: the RAM the device tree gave, every reservation with what it is, the kernel's sections,
// the page allocator's counters, and the pages tasks, the kernel's object caches and the files of
// the root file system hold.
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/sched.h>
#include <keel/mm/object_cache.h>
#include <keel/mm/pages.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

void print_range(const char* indent, uint64_t base, uint64_t size) {
    console::print("{}{:#012x}..{:#012x} {:>9} KiB", indent, base, base + size, size >> 10);
}

void print_section(const char* name, const char* start, const char* end) {
    const auto base = reinterpret_cast<uintptr_t>(start);
    print_range("  ", base, reinterpret_cast<uintptr_t>(end) - base);
    console::print("  {}\n", name);
}

// "caches: 5 pages: open file 3 in 1, ..." (objects in pages, each cache that has had any).
void print_caches() {
    size_t total = 0;
    for (mm::KernelSlab* cache = mm::first_cache(); cache != nullptr; cache = cache->next())
        total += cache->counters().pages;
    console::print("caches: {} page{}", total, plural(total));
    const char* separator = ": ";
    for (mm::KernelSlab* cache = mm::first_cache(); cache != nullptr; cache = cache->next()) {
        const auto c = cache->counters();
        console::print("{}{} {} in {}", separator, cache->name(), c.objects, c.pages);
        separator = ", ";
    }
    console::print("\n");
}

Status mem_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    const mm::PhysMap& map = pages::map();
    console::print("RAM ({} page{}):\n", map.ram_page_count(), plural(map.ram_page_count()));
    for (size_t i = 0; i < map.ram_count(); ++i) {
        print_range("  ", map.ram(i).base, map.ram(i).size);
        console::print("\n");
    }
    const uint64_t reserved =
        pages::ready() ? pages::counters().reserved : map.reserved_page_count();
    console::print("reserved ({} page{} of RAM):\n", reserved, plural(reserved));
    for (size_t i = 0; i < map.reservation_count(); ++i) {
        const mm::Reservation& r = map.reservation(i);
        print_range("  ", r.range.base, r.range.size);
        console::print("  {}{}\n", mm::reservation_kind_name(r.kind), r.no_map ? ", no-map" : "");
    }
    if (pages::ready()) {
        print_range("  ", pages::state().base, pages::state().size);
        console::print("  page allocator state (3 bytes per page: state, owner count)\n");
    }
    console::print("kernel sections:\n");
    print_section(".text", __text_start, __text_end);
    print_section(".rodata", __rodata_start, __rodata_end);
    print_section(".data", __data_start, __data_end);
    print_section(".bss", __bss_start, __bss_end);
    print_section("  hart stacks", __stacks_start, __stacks_end);
    print_section("  heap arena", __heap_arena_start, __heap_arena_end);
    const mm::PageAllocator::Counters c = pages::counters();
    console::print("pages: total {}, reserved {}, free {}, in use {}, peak {} (4 KiB each)\n",
                   c.total, c.reserved, c.free, c.in_use, c.peak);
    const sched::Usage tasks = sched::usage();
    console::print("tasks: {} task{} in {} page{} (task blocks and stacks)\n", tasks.tasks,
                   plural(tasks.tasks), tasks.pages, plural(tasks.pages));
    print_caches();
    if (fs::root() != nullptr) {
        fs::FsLock guard;
        const fs::FileSystem& root = fs::root()->fs();
        const uint64_t data = root.total_blocks() - root.free_blocks();
        console::print("files: {} at / holds {} page{} of data\n", root.name(), data, plural(data));
    }
    return Status::kOk;
}

}  // namespace

extern const Command kMemCommand{
    "mem", "RAM, reservations, kernel sections, page counters, task, cache and file pages", "mem",
    mem_command};

}  // namespace keel::shell
