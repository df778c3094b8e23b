/* SPDX-License-Identifier: MIT */
/* keel's entry. Firmware (OpenSBI, or U-Boot's booti) jumps to the image's first byte in S-mode
 * with a0 = hart id, a1 = physical address of the flattened device tree, satp = 0 (no paging)
 * and interrupts off. The image starts with the Linux RISC-V Image header (image_header.h) so
 * that booti accepts it; its first instruction jumps over the rest of the header.
 *
 * keel runs wherever it was loaded: its code reaches everything pc-relative (-mcmodel=medany), and
 * before anything reads a stored address the boot hart adds the load offset to every word the
 * build listed in .keel_relocs. Until then this file uses only pc-relative addressing (lla). */
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

    /* The boot lottery: only the first hart here boots keel (relocates, zeroes .bss). Another one
     * can come: OpenSBI 1.1 lets a hart started with HSM hart_start run on before it has stored
     * the start address, so the hart jumps to the previous one, this image's first byte (seen
     * with -smp 8: a second "boot hart" wiped .bss under the first). */
    lla     t0, boot_lottery
    li      t1, 1
    amoswap.w.aq t1, t1, (t0)
    bnez    t1, late_hart
    rdtime  s2                              /* boot stage stamps (kernel/boot_stages.h) */

    /* Relocate: .keel_relocs = count, then the link addresses of words that hold a link-time
     * address. Each such word, found at its link address + offset, gets + offset, where
     * offset = where we run - where we were linked. */
    lla     t0, _start
    lla     t1, link_base
    ld      t1, 0(t1)
    sub     s1, t0, t1                      /* s1 = load offset, kept for keel_load_offset */
    lla     t2, __relocs_start
    ld      t3, 0(t2)                       /* count */
    addi    t2, t2, 8
1:  beqz    t3, 3f
    ld      t4, 0(t2)
    add     t4, t4, s1                      /* where that word is now */
    ld      t5, 0(t4)
    add     t5, t5, s1
    sd      t5, 0(t4)
    addi    t2, t2, 8
    addi    t3, t3, -1
    j       1b
3:
    load_gp

    /* Zero .bss but the stacks: nothing reads a stack before writing it, and the 64 stacks and
     * their emergency trap stacks are 1.5 MiB of .bss's 1.7 (linker.ld puts them together). The lottery lets only
     * the boot hart through here, so this happens exactly once; the bounds are page aligned, so
     * 8-byte stores cover them. */
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
5:
    lla     t0, keel_load_offset
    sd      s1, 0(t0)
    rdtime  t1
    lla     t0, keel_boot_stamps
    sd      s2, 0(t0)                       /* entry */
    sd      t1, 8(t0)                       /* .bss zeroed */

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
 * touches nothing but the start records (no stack yet). */
late_hart:
    lla     t0, keel_hart_starts
    li      t1, KEEL_MAX_HARTS
7:  ld      t2, KEEL_HART_START_ID(t0)
    lw      t3, KEEL_HART_START_PENDING(t0)
    bne     t2, a0, 8f
    beqz    t3, 8f
    mv      a1, t0                          /* its record, as hart_start would have passed it */
    li      a2, 1                           /* secondary_main says how it came */
    j       .Lsecondary
8:  addi    t0, t0, KEEL_HART_START_SIZE
    addi    t1, t1, -1
    bnez    t1, 7b
    j       park
    .cfi_endproc
    .size   boot_hart_entry, . - boot_hart_entry

/* Where the other harts start (SBI HSM hart_start, hart_start.cpp): S-mode, a0 = hart id,
 * a1 = opaque = its start record (hart_start.h), satp = 0. The boot hart has relocated the image
 * and zeroed .bss already; this hart needs its stack, gp, and tp = the record's context. */
    .globl  keel_secondary_entry
    .type   keel_secondary_entry, @function
    .balign 4
keel_secondary_entry:
    .cfi_startproc
    .cfi_undefined ra
    li      a2, 0                           /* came the way it was asked to */
.Lsecondary:
    hart_prologue
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
    .dword  __link_base                     /* an absolute symbol: not relocated */

    /* How far from its link address keel runs (0 when loaded where it was linked). */
    .section .bss.keel_load_offset, "aw", @nobits
    .balign 8
    .globl keel_load_offset
keel_load_offset:
    .space  8

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
