/* keel's entry. OpenSBI jumps here in S-mode on one hart with a0 = hart id, a1 = physical address of
 * the flattened device tree, satp = 0 (no paging) and interrupts off (OpenSBI docs, fw_dynamic).
 * This file gives the hart its stack, zeroes .bss once and calls kmain(hartid, dtb). */
#include <keel/arch/riscv/memlayout.h>

    .section .text.entry, "ax", @progbits
    .globl _start
_start:
    csrw    sie, zero                   /* no S-mode interrupt source until keel asks for it */
    /* sstatus.FS = Off (privileged spec §4.1.1): keel keeps no floating-point state, so an FP
     * instruction traps as illegal instead of silently clobbering another context's registers. */
    li      t0, 0x6000
    csrc    sstatus, t0

    /* A hart keel has no stack for must not touch memory: park it before anything else. */
    li      t0, KEEL_MAX_HARTS
    bgeu    a0, t0, park

    /* gp: GNU ld relaxes accesses near __global_pointer$ into gp-relative ones. It must not relax
     * the instruction that sets gp itself. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop

    /* Zero .bss (it holds the stacks and the heap arena). Only the boot hart comes through _start,
     * so this happens exactly once; the bounds are page aligned, so 8-byte stores cover it. */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:

    /* sp = __stacks_start + (hartid + 1) * KEEL_STACK_SIZE: stacks grow down from their top. */
    la      sp, __stacks_start
    addi    t0, a0, 1
    li      t1, KEEL_STACK_SIZE
    mul     t0, t0, t1
    add     sp, sp, t0
    mv      fp, zero                    /* a zero frame pointer ends every backtrace */
    mv      ra, zero
    mv      tp, zero                    /* no per-hart block until hart_online() sets it */

    call    kmain                       /* kmain(a0 = hartid, a1 = dtb) */

    /* kmain never returns; if it ever did, the hart stops here. */
park:
    csrw    sie, zero
3:  wfi
    j       3b

    /* One stack per hart id, in .bss (zeroed above), placed by linker.ld. */
    .section .bss.keel_stacks, "aw", @nobits
    .balign 4096
    .globl keel_stacks
keel_stacks:
    .space  KEEL_MAX_HARTS * KEEL_STACK_SIZE
