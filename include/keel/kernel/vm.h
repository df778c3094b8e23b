// SPDX-License-Identifier: MIT
// The kernel's address space: one Sv39 page table that every hart turns on, all of it in the upper
// half (memlayout.h draws it); the lower half is left to programs.
//
// The image at its link address, each part with only what it needs: .text read+execute, .rodata
// and the symbol table read-only, .data and .bss read+write, each hart stack above an unmapped
// guard page; never writable and executable at once. RAM in the direct map, read+write, but for
// the firmware's reserved memory and the image (reached only at its link address), and the
// initramfs read-only. Devices from the device tree only (the console UART, the PLIC, the test
// finisher, HTIF, the restart GPIO, the RTC), in the direct map, read+write, never executable.
// Large pages (1 GiB, 2 MiB) wherever alignment allows.
#pragma once
#include <keel/arch/riscv/trap_cause.h>
#include <keel/kernel/boot_info.h>
#include <keel/lib/result.h>
#include <keel/mm/page_table.h>
#include <keel/mm/phys_map.h>

namespace keel::vm {

// Builds the table, its pages from the page allocator. On an error keel stays on boot.S's early
// map (the image read+write+execute, all of physical memory in the direct map).
Result<void, mm::MapError> build(const BootInfo& info, const mm::PhysMap& map);
// Turns the table on for the calling hart (satp, then sfence.vma); nothing when there is none.
void enable_on_this_hart();
bool built();
// Whether the calling hart runs with it; whether hart slot `slot` turned it on.
bool enabled_here();
bool enabled_on(unsigned slot);

// Kernel pages outside the image and the direct map (task stacks): reserve() makes the tables of a
// region once, map_pages() maps RAM there read+write (no memory needed), unmap_pages() removes it.
// Both flush only the calling hart's TLB: the caller sees to the others (the scheduler flushes a
// hart before it runs a task whenever stacks were mapped or unmapped since its last flush).
Result<void, mm::MapError> reserve(uint64_t virtual_address, uint64_t size);
Result<void, mm::MapError> map_pages(uint64_t virtual_address, uint64_t physical, uint64_t size);
void unmap_pages(uint64_t virtual_address, uint64_t size);

// A user address space: everything below memlayout::kUserTop is the program's, nothing of the
// kernel's there; above it, the kernel's own tables (mm::PageTable::create_user). Its tables come
// from the page allocator (process::AddressSpace gives them back).
Result<mm::PageTable, mm::MapError> new_user_space();

mm::Walk walk(uint64_t virtual_address);
uint64_t satp();
size_t table_pages();
// For a memory fault's report: what the address is, in words a beginner understands ("null pointer
// dereference (address 0x8)", "write to read-only kernel text at kmain+0x12", "execute from
// non-executable memory (.data)", "access to unmapped address 0x..."), for page and access
// faults; nothing for other causes.
void explain_fault(TrapCause cause, uint64_t stval);

// What the map gives each kind of memory, in bytes (for the banner).
struct Summary {
    uint64_t device_bytes;  // device registers mapped
    unsigned giga_pages;
    unsigned mega_pages;
    unsigned small_pages;
};
Summary summary();

}  // namespace keel::vm
