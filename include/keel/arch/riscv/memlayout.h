// SPDX-License-Identifier: MIT
// keel's memory map, physical and virtual, written once here. C++, boot.S and linker.ld (run
// through the preprocessor) read these numbers; so do the QEMU tests, through the keel_layout.py
// the build writes beside keel.elf (cmake/layout.py.in).
//
// Virtual (Sv39: 39-bit addresses, bits 63..39 copy bit 38; the hole between the halves faults):
//
//   0x0000_0000_0000_0000  user space, 256 GiB (Linux's TASK_SIZE for Sv39): each process's own.
//     0x0001_0000            a static program's link address (its ELF), then its brk heap
//     ... mmap areas, top down from under the stack gap ...
//   0x0000_003f_ffff_ffff  the top of the stack (KEEL_USER_TOP): it grows down, 8 MiB at most
//   ---------------------  the non-canonical hole: nothing can be mapped here
//   0xffff_ffc0_0000_0000  KEEL_DIRECT_MAP: all of physical memory at + this (RAM read+write,
//                          devices read+write; the firmware's memory and keel's image left out),
//                          128 GiB of it. memlayout::to_virtual and to_physical convert.
//   0xffff_ffe0_0000_0000  KEEL_TASK_STACKS: the scheduler's task stacks, one 64 KiB slot each,
//                          the stack at its top and unmapped pages below (kernel/task.h)
//   0xffff_ffff_8000_0000  KEEL_KERNEL_WINDOW: the kernel image's 2 GiB (as Linux's is), keel
//   0xffff_ffff_8020_0000    linked at KEEL_LINK_BASE wherever it is loaded:
//                  .text  .rodata  .data                 page aligned, in that order
//                  .keel_symtab (rodata)                 function names for backtraces
//                  .bss   (zeroed by the boot hart)       holds, in this order (linker.ld):
//                     .sbss                               the small zeroed variables
//                     __stacks_start..__stacks_end        KEEL_MAX_HARTS slots of
//                                                         KEEL_STACK_STRIDE, one per hart slot
//                                                         (not hart id): a guard page (unmapped),
//                                                         then the 16 KiB stack; slot N's top =
//                                                         start + (N+1) * stride; the boot hart
//                                                         is slot 0 whatever its id
//                     __trap_stacks_start..              a 4 KiB emergency stack per slot, for the
//                                                         report of a stack overflow
//                     __heap_arena_start..__heap_arena_end  the 128 KiB LinearAllocator arena
//                     the rest of .bss                    boot.S's early page tables (used until
//                                                         the kernel map) and every other global
//   __kernel_end                                          first byte after keel
//
// Physical (the device tree is the source of truth; QEMU virt's are drawn for orientation):
//   0x0010_0000  sifive,test1 test finisher        0x0c00_0000  PLIC
//   0x0010_1000  goldfish RTC                      0x1000_0000  NS16550A UART0 (IRQ 10)
//   0x8000_0000  RAM; OpenSBI's own memory first (/reserved-memory: left out of every map)
//   0x8020_0000  keel's image where OpenSBI and U-Boot put it (RAM base + the Image header's
//                text_offset); any 2 MiB-aligned address works: boot.S maps wherever it runs
//   after it     free pages (mm/pages.h), the page allocator's state first
//   top of RAM   the flattened device tree and the initramfs (QEMU puts them there)
#pragma once
#include <keel/arch/riscv/image_header.h>

/* QEMU virt's RAM starts here, with OpenSBI's own memory (PMP-protected from S-mode) at its start;
 * keel is loaded 2 MiB on, the Image header's text_offset (image_header.h). */
#define KEEL_FIRMWARE_BASE 0x80000000
#define KEEL_LOAD_BASE (KEEL_FIRMWARE_BASE + KEEL_IMAGE_TEXT_OFFSET)
#define KEEL_USER_TOP 0x4000000000         /* 256 GiB: Sv39's lower half */
#define KEEL_DIRECT_MAP 0xffffffc000000000 /* Sv39's upper half starts here */
#define KEEL_DIRECT_MAP_SIZE 0x2000000000  /* 128 GiB of physical addresses */
#define KEEL_TASK_STACKS 0xffffffe000000000
#define KEEL_KERNEL_WINDOW 0xffffffff80000000 /* the top 2 GiB */
#define KEEL_LINK_BASE (KEEL_KERNEL_WINDOW + KEEL_IMAGE_TEXT_OFFSET)
/* The image and its .bss fit in this; QEMU and U-Boot put the device tree and initrd above. */
#define KEEL_IMAGE_BUDGET (4 * 1024 * 1024)
#define KEEL_MAX_HARTS 64 /* hart slots: harts keel runs at once, whatever their ids */
#define KEEL_STACK_SIZE 16384
#define KEEL_STACK_GUARD 4096 /* an unmapped page under every stack: an overflow faults */
#define KEEL_STACK_STRIDE (KEEL_STACK_SIZE + KEEL_STACK_GUARD)
#define KEEL_TRAP_STACK_SIZE 4096 /* the trap entry's own stack when the hart's is used up */
#define KEEL_HEAP_SIZE (128 * 1024)
/* Room for the run-time symbol table (gen-symbols). */
#define KEEL_SYMTAB_SIZE (128 * 1024)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

namespace keel::memlayout {

inline constexpr uintptr_t kFirmwareBase = KEEL_FIRMWARE_BASE;
inline constexpr uint64_t kUserTop = KEEL_USER_TOP;
inline constexpr uintptr_t kDirectMap = KEEL_DIRECT_MAP;
inline constexpr uint64_t kDirectMapSize = KEEL_DIRECT_MAP_SIZE;
inline constexpr uintptr_t kTaskStacks = KEEL_TASK_STACKS;
inline constexpr uintptr_t kKernelWindow = KEEL_KERNEL_WINDOW;
inline constexpr uintptr_t kLinkBase = KEEL_LINK_BASE;
inline constexpr unsigned kMaxHarts = KEEL_MAX_HARTS;
inline constexpr size_t kStackSize = KEEL_STACK_SIZE;
inline constexpr size_t kStackGuard = KEEL_STACK_GUARD;
inline constexpr size_t kStackStride = KEEL_STACK_STRIDE;
inline constexpr size_t kTrapStackSize = KEEL_TRAP_STACK_SIZE;
inline constexpr size_t kHeapSize = KEEL_HEAP_SIZE;

}  // namespace keel::memlayout

// Section bounds defined by linker.ld. Declared as arrays so that nobody reads them as values.
// NOLINTBEGIN(readability-identifier-naming): the names linker.ld and boot.S give them.
extern "C" {
extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];
extern char __stacks_start[], __stacks_end[];
extern char __trap_stacks_start[], __trap_stacks_end[];
extern char __heap_arena_start[], __heap_arena_end[];
extern const unsigned char __symtab_start[], __symtab_end[];
// The physical address of the image's first byte, where the loader put it (boot.S).
extern uint64_t keel_image_physical;
// satp for the kernel's map: boot.S's early map first, then vm.cpp's; a starting hart loads it.
extern uint64_t keel_kernel_satp;
}
// NOLINTEND(readability-identifier-naming)

namespace keel::memlayout {

// The one pair of conversions between physical and kernel virtual addresses. The kernel's
// address of physical `physical` is its place in the direct map.
inline uintptr_t to_virtual(uint64_t physical) {
    return static_cast<uintptr_t>(physical + kDirectMap);
}
template <typename T>
inline T* to_pointer(uint64_t physical) {
    return reinterpret_cast<T*>(to_virtual(physical));
}
// The physical address behind a kernel address in the image or the direct map (others, the
// task stacks, have no fixed one: the kernel map's walk says).
inline uint64_t to_physical(uintptr_t address) {
    if (address >= kKernelWindow) return address - kLinkBase + keel_image_physical;
    return address - kDirectMap;
}
inline uint64_t to_physical(const void* pointer) {
    return to_physical(reinterpret_cast<uintptr_t>(pointer));
}

// The top of hart slot `slot`'s stack (boot.S gives the boot hart slot 0's).
inline uintptr_t stack_top(unsigned slot) {
    return reinterpret_cast<uintptr_t>(__stacks_start) + (slot + 1) * kStackStride;
}

// The lowest byte of slot `slot`'s stack; its guard page is the page below.
inline uintptr_t stack_low(unsigned slot) {
    return stack_top(slot) - kStackSize;
}

// The top of slot `slot`'s emergency trap stack.
inline uintptr_t trap_stack_top(unsigned slot) {
    return reinterpret_cast<uintptr_t>(__trap_stacks_start) + (slot + 1) * kTrapStackSize;
}

}  // namespace keel::memlayout
#endif
