// SPDX-License-Identifier: MIT
// keel's memory map: where the kernel is linked and how big each hart's stack is, written once
// here. Devices come from the device tree (QEMU virt's are drawn for orientation). C++, boot.S
// and linker.ld (run through the preprocessor) read these numbers; so do the QEMU tests, through
// the keel_layout.py the build writes beside keel.elf (cmake/layout.py.in).
//
//   0x0010_0000  sifive,test1 test finisher (QEMU virt)   power off / exit QEMU with a status
//   0x0c00_0000  PLIC (QEMU virt)
//   0x1000_0000  NS16550A UART0 (QEMU virt, IRQ 10)         the console stdout-path names
//   0x8000_0000  RAM; OpenSBI's own memory first (/reserved-memory: left out of the kernel map)
//   0x8020_0000  KEEL_LINK_BASE: keel's image, first byte = _start (linker.ld)
//                  .text  .rodata  .data                 page aligned, in that order
//                  .keel_symtab, .keel_relocs (rodata)   function names; words boot.S relocates
//                  .bss   (zeroed by the boot hart)       holds, page aligned:
//                     __stacks_start..__stacks_end        KEEL_MAX_HARTS slots of
//                     KEEL_STACK_STRIDE,
//                                                         one per hart slot (not hart id): a guard
//                                                         page (unmapped), then the 16 KiB stack;
//                                                         slot N's top = start + (N+1) * stride;
//                                                         the boot hart is slot 0 whatever its id
//                     __trap_stacks_start..              a 4 KiB emergency stack per slot, for the
//                                                         report of a stack overflow
//                     __heap_arena_start..__heap_arena_end  the 128 KiB LinearAllocator arena
//   __kernel_end                                          first free byte after keel
//   after it     free pages (mm/pages.h), the page allocator's state first; page tables and all
//                later memory come from there. keel runs on one Sv39 map (kernel/vm.h) that
//                identity-maps RAM by section and leaves each stack's guard page out.
//   top of RAM   the flattened device tree (QEMU puts it there; a1 at entry says where)
#pragma once
#include <keel/arch/riscv/image_header.h>

/* QEMU virt's RAM starts here, with OpenSBI's own memory (PMP-protected from S-mode) at its start;
 * keel is linked 2 MiB on, the Image header's text_offset (image_header.h). */
#define KEEL_FIRMWARE_BASE 0x80000000
#define KEEL_LINK_BASE (KEEL_FIRMWARE_BASE + KEEL_IMAGE_TEXT_OFFSET)
/* The image and its .bss fit in this; QEMU and U-Boot put the device tree and initrd above. */
#define KEEL_IMAGE_BUDGET (4 * 1024 * 1024)
#define KEEL_MAX_HARTS 64 /* hart slots: harts keel runs at once, whatever their ids */
#define KEEL_STACK_SIZE 16384
#define KEEL_STACK_GUARD 4096 /* an unmapped page under every stack: an overflow faults */
#define KEEL_STACK_STRIDE (KEEL_STACK_SIZE + KEEL_STACK_GUARD)
#define KEEL_TRAP_STACK_SIZE 4096 /* the trap entry's own stack when the hart's is used up */
#define KEEL_HEAP_SIZE (128 * 1024)
/* Room for the run-time symbol table (gen-symbols) and 2047 relocated words (gen-relocs). */
#define KEEL_SYMTAB_SIZE (64 * 1024)
#define KEEL_RELOCS_SIZE (16 * 1024)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

namespace keel::memlayout {

inline constexpr uintptr_t kFirmwareBase = KEEL_FIRMWARE_BASE;
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
// Load address minus link address, set by boot.S (0 when keel runs where it was linked).
extern int64_t keel_load_offset;
}
// NOLINTEND(readability-identifier-naming)

namespace keel::memlayout {

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
