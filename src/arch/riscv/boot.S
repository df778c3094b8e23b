/* SPDX-License-Identifier: MIT */
/* keel's entry. Firmware (OpenSBI, or U-Boot's booti) jumps to the image's first byte in S-mode
 * with a0 = hart id, a1 = physical address of the flattened device tree, satp = 0 (no paging)
 * and interrupts off. The image starts with the Linux RISC-V Image header (image_header.h) so
 * that booti accepts it; its first instruction jumps over the rest of the header.
 *
 * keel is linked high (memlayout.h: KEEL_LINK_BASE) and loaded wherever the loader chose, on a
 * 2 MiB boundary. Until paging is on, this file reaches memory only pc-relative (lla), at the
 * physical addresses it runs at. The boot hart zeroes .bss, writes an early page table (the
 * image at its link address, in 2 MiB pages; all physical memory in the direct map, in 1 GiB
 * pages) and turns it on; every hart then runs high. No page of the lower half is mapped, not
 * even the one this code runs from: the fetch after the write to satp faults, and stvec, set to
 * where to go on in the image's upper half, is where the trap lands (the way Linux's
 * relocate_enable_mmu does it). vm.cpp replaces the early table with the kernel map. */
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/image_header.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/hart_start.h>

    /* gdb reads the CFI below from .debug_frame (linker.ld discards .eh_frame). */
    .cfi_sections .debug_frame

/* What every hart does first: no S-mode interrupt source until keel asks, and sstatus.FS = Off
 * (privileged spec §4.1.1): keel keeps no floating-point state, so an FP instruction traps as
 * illegal instead of silently clobbering another context's registers. */
.macro hart_prologue
    csrw    sie, zero
    li      t0, KEEL_SSTATUS_FS
    csrc    sstatus, t0
.endm

/* gp: GNU ld relaxes accesses near __global_pointer$ into gp-relative ones. It must not relax
 * the instruction that sets gp itself. */
.macro load_gp
    .option push
    .option norelax
    lla     gp, __global_pointer$
    .option pop
.endm

/* Sv39 entry bits (privileged spec §4.4.1): valid, read, write, execute, global, accessed, dirty. */
#define PTE_V         0x01
#define PTE_LEAF_RW   0xe7                  /* V R W G A D */
#define PTE_LEAF_RWX  0xef                  /* V R W X G A D */

/* \reg = the image's link address minus where it runs (constant for every hart). */
.macro image_offset reg
    lla     t1, link_base
    ld      t1, 0(t1)
    lla     t2, _start
    sub     \reg, t1, t2
.endm

/* Turns paging on with satp = \satp and goes on at \target's link address (its physical address
 * + s3). Nothing maps the page this runs from, so the next fetch faults, and the fault goes to
 * stvec: \target, high. Interrupts are off (hart_prologue), so nothing else can come first. */
.macro paging_on satp, target
    lla     t1, \target
    add     t1, t1, s3
    csrw    stvec, t1
    sfence.vma zero, zero                   /* the table's stores before any walk of it */
    csrw    satp, \satp
    j       park                            /* not reached: the fetch of this faults */
.endm

    /* Before paging is on, gp means nothing: no access may be relaxed into a gp-relative one. */
    .option norelax

    .section .text.entry, "ax", @progbits
    .globl _start
_start:
    /* The header, field by field. No compressed instructions and no relaxation in here: every
     * field must sit at the offset the header format gives it. */
    .option push
    .option norvc
    .option norelax
    j       boot_hart_entry                 /* code0: 4 bytes (a 2-byte c.j would shift the rest) */
    .word   0                               /* code1 */
    .dword  KEEL_IMAGE_TEXT_OFFSET          /* text_offset: load at RAM base + 2 MiB */
    .dword  __image_size                    /* image_size: __kernel_end - __kernel_start (linker.ld) */
    .dword  0                               /* flags: bit 0 = 0, little endian */
    .word   KEEL_IMAGE_VERSION              /* version 0.2 */
    .word   0                               /* reserved */
    .dword  0                               /* reserved */
    .ascii  "RISCV\0\0\0"                   /* magic (deprecated) */
    .word   KEEL_IMAGE_MAGIC2               /* magic2: "RSC\x05" */
    .word   0                               /* reserved (PE/COFF header offset: none) */
    .option pop

/* The boot hart, whatever its id: it takes hart slot 0 and its stack (hart.h). This code starts
 * right after the header: linker.ld asserts that it sits at offset 64. */
    .globl  boot_hart_entry
    .type   boot_hart_entry, @function
boot_hart_entry:
    .cfi_startproc
    .cfi_undefined ra                       /* the outermost frame: debuggers stop here */
    hart_prologue

    /* The boot lottery: only the first hart here boots keel (zeroes .bss, maps the image). Another
     * one can come: OpenSBI 1.1 lets a hart started with HSM hart_start run on before it has
     * stored the start address, so the hart jumps to the previous one, this image's first byte
     * (seen with -smp 8: a second "boot hart" wiped .bss under the first). */
    lla     t0, boot_lottery
    li      t1, 1
    amoswap.w.aq t1, t1, (t0)
    bnez    t1, late_hart
    rdtime  s2                              /* boot stage stamps (kernel/boot_stages.h) */

    /* Zero .bss but the stacks: nothing reads a stack before writing it, and the 64 stacks and
     * their emergency trap stacks are 1.5 MiB of .bss's 2 (linker.ld puts them together). The
     * lottery lets only the boot hart through here, so this happens exactly once; the bounds are
     * page aligned, so 8-byte stores cover them. */
    lla     t0, __bss_start                 /* .bss before the stacks */
    lla     t1, __stacks_start
4:  bgeu    t0, t1, 6f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       4b
6:  lla     t0, __trap_stacks_end           /* .bss after them (and the emergency stacks) */
    lla     t1, __bss_end
7:  bgeu    t0, t1, 5f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       7b
5:  rdtime  t1
    lla     t0, keel_boot_stamps
    sd      s2, 0(t0)                       /* entry */
    sd      t1, 8(t0)                       /* .bss zeroed */

    lla     s1, _start                      /* s1 = where the image is, physically */
    lla     t0, keel_image_physical
    sd      s1, 0(t0)
    li      t0, 0x1fffff
    and     t0, s1, t0
    bnez    t0, misaligned                  /* 2 MiB pages map it: the loader must align it */
    call    build_early_map                 /* t0 = satp for it */
    lla     t1, keel_kernel_satp
    sd      t0, 0(t1)
    image_offset s3                         /* s3 = virtual - physical, for the image */
    paging_on t0, .Lboot_high
    .balign 4
.Lboot_high:                                /* from here on at the link address */
    load_gp
    /* sp = the top of slot 0's stack (stacks grow down; its guard page is below it). */
    lla     sp, __stacks_start
    li      t0, KEEL_STACK_STRIDE
    add     sp, sp, t0
    mv      fp, zero                        /* a zero frame pointer ends every backtrace */
    mv      ra, zero
    mv      tp, zero                        /* no per-hart block until hart_online() sets it */

    call    kmain                           /* kmain(a0 = hartid, a1 = dtb); never returns */
    j       park

/* A hart that came to _start after the boot hart: if keel asked for it (its start record is
 * pending), it goes on as the secondary it was meant to be; otherwise it waits for good. It
 * touches nothing but the start records (no stack yet), at their physical addresses. */
late_hart:
    lla     t0, keel_hart_starts
    li      t1, KEEL_MAX_HARTS
7:  ld      t2, KEEL_HART_START_ID(t0)
    lw      t3, KEEL_HART_START_PENDING(t0)
    bne     t2, a0, 8f
    beqz    t3, 8f
    mv      a1, t0                          /* its record, as hart_start would have passed it */
    li      a2, 1                           /* secondary_main says how it came; a1 is physical */
    j       .Lsecondary
8:  addi    t0, t0, KEEL_HART_START_SIZE
    addi    t1, t1, -1
    bnez    t1, 7b
    j       park

/* Loaded off a 2 MiB boundary: say so on the firmware's console (SBI legacy putchar, §5.2) and
 * stop. U-Boot's booti and QEMU always align it; a hand-made loader might not. */
misaligned:
    lla     s1, misaligned_message
1:  lbu     a0, 0(s1)
    beqz    a0, park
    li      a7, 1                           /* SBI legacy console_putchar */
    ecall
    addi    s1, s1, 1
    j       1b
    .cfi_endproc
    .size   boot_hart_entry, . - boot_hart_entry

/* Where the other harts start (SBI HSM hart_start, hart_start.cpp): S-mode, a0 = hart id,
 * a1 = opaque = its start record (hart_start.h), satp = 0, at this code's physical address
 * (hart_start.cpp converts it). .bss is zeroed and keel_kernel_satp holds the kernel map; this hart
 * turns paging on, then takes its stack, gp, and tp = the record's context. */
    .globl  keel_secondary_entry
    .type   keel_secondary_entry, @function
    .balign 4
keel_secondary_entry:
    .cfi_startproc
    .cfi_undefined ra
    li      a2, 0                           /* came the way it was asked to */
.Lsecondary:
    hart_prologue
    image_offset s3
    beqz    a2, 1f
    add     a1, a1, s3                      /* a record found from _start: where it is mapped */
1:  lla     t0, keel_kernel_satp
    ld      t0, 0(t0)
    paging_on t0, .Lsecondary_high
    .balign 4
.Lsecondary_high:
    load_gp
    sw      zero, KEEL_HART_START_PENDING(a1) /* arrived: no late copy of it can take the record */
    ld      sp, KEEL_HART_START_STACK(a1)
    ld      a1, KEEL_HART_START_CONTEXT(a1)
    mv      tp, a1                          /* the context the kernel keeps in tp (core/hart.h) */
    mv      fp, zero
    mv      ra, zero
    call    secondary_main                  /* (a0 = hartid, a1 = context, a2 = came via _start) */
    .cfi_endproc
    .size   keel_secondary_entry, . - keel_secondary_entry

/* build_early_map: writes the early page table (Sv39, privileged spec §4.4) from scratch, at the
 * physical addresses this code runs at (s1 = the image's), and returns its satp in t0:
 *  - root entries 256..383: the direct map, physical GiB i at KEEL_DIRECT_MAP + i GiB, 1 GiB
 *    leaves, read+write (devices and RAM alike; vm.cpp's map is exact);
 *  - root entry for KEEL_KERNEL_WINDOW -> one table of 2 MiB leaves, the image at its link address,
 *    read+write+execute (only until vm.cpp's map gives each part what it needs).
 * Uses t0-t6. */
    .type   build_early_map, @function
build_early_map:
    lla     t0, early_root
    li      t1, (KEEL_DIRECT_MAP >> 30) & 511
    slli    t1, t1, 3
    add     t2, t0, t1                      /* &root[first direct map entry] */
    li      t3, KEEL_DIRECT_MAP_SIZE >> 30  /* entries */
    li      t1, 0                           /* the leaf's PPN field for physical GiB 0 */
    li      t4, 1 << 28                     /* + 1 GiB: (1 << 30) >> 12 << 10 */
1:  ori     t5, t1, PTE_LEAF_RW
    sd      t5, 0(t2)
    add     t1, t1, t4
    addi    t2, t2, 8
    addi    t3, t3, -1
    bnez    t3, 1b

    lla     t1, early_window                /* root[window] -> early_window */
    srli    t2, t1, 12
    slli    t2, t2, 10
    ori     t2, t2, PTE_V
    li      t3, (KEEL_KERNEL_WINDOW >> 30) & 511
    slli    t3, t3, 3
    add     t3, t0, t3
    sd      t2, 0(t3)

    li      t3, ((KEEL_LINK_BASE >> 21) & 511) * 8
    add     t1, t1, t3                      /* &early_window[the link base's entry] */
    lla     t3, __kernel_end
    sub     t3, t3, s1
    li      t4, 0x1fffff
    add     t3, t3, t4
    srli    t3, t3, 21                      /* 2 MiB pages the image needs */
    srli    t5, s1, 12
    slli    t5, t5, 10
    ori     t5, t5, PTE_LEAF_RWX
    li      t4, 1 << 19                     /* + 2 MiB: (1 << 21) >> 12 << 10 */
2:  sd      t5, 0(t1)
    add     t5, t5, t4
    addi    t1, t1, 8
    addi    t3, t3, -1
    bnez    t3, 2b

    srli    t0, t0, 12                      /* satp: MODE = 8 (Sv39), ASID 0, the root's PPN */
    li      t1, 8 << 60
    or      t0, t0, t1
    ret
    .size   build_early_map, . - build_early_map

    .type   park, @function
park:
    csrw    sie, zero
6:  wfi
    j       6b
    .size   park, . - park

    /* 0 until the first hart reaches boot_hart_entry. In .data: .bss is zeroed after the draw. */
    .section .data.boot_lottery, "aw", @progbits
    .balign 4
boot_lottery:
    .word   0

    .section .rodata.boot, "a", @progbits
    .balign 8
link_base:
    .dword  KEEL_LINK_BASE                  /* where _start is linked */
misaligned_message:
    .asciz  "keel: loaded off a 2 MiB boundary; it cannot map itself there. Halted.\r\n"

    .section .bss.keel_boot, "aw", @nobits
    .balign 8
    .globl keel_image_physical
keel_image_physical:                        /* where the loader put _start */
    .space  8
    .globl keel_kernel_satp
keel_kernel_satp:                           /* the kernel map's satp, for harts that start */
    .space  8

    /* The early page table: its root and the kernel window's 2 MiB table. */
    .section .bss.keel_early_map, "aw", @nobits
    .balign 4096
early_root:
    .space  4096
early_window:
    .space  4096

    /* One stack per hart slot, each above its guard page, in .bss (not zeroed: see above),
     * placed by linker.ld; then each slot's emergency trap stack (trap.S). */
    .section .bss.keel_stacks, "aw", @nobits
    .balign 4096
    .globl keel_stacks
keel_stacks:
    .space  KEEL_MAX_HARTS * KEEL_STACK_STRIDE

    .section .bss.keel_trap_stacks, "aw", @nobits
    .balign 4096
    .globl keel_trap_stacks
keel_trap_stacks:
    .space  KEEL_MAX_HARTS * KEEL_TRAP_STACK_SIZE
