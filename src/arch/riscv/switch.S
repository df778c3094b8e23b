/* SPDX-License-Identifier: MIT */
/* keel_context_switch(save = a0, load = a1): the kernel's context switch (arch/riscv/context.h).
 * Stores the callee-saved registers into *save, loads them from *load, and returns into *load's
 * ra on *load's stack. keel runs with sstatus.FS off, so no floating-point register is ever live
 * in the kernel: fs0-fs11 need no keeping. Nothing else needs keeping: the C++ caller treats the rest as clobbered,
 * as it does across any call. */

    .section .text
    .globl keel_context_switch
    .type keel_context_switch, @function
    .balign 4
keel_context_switch:
    sd      ra, 0(a0)
    sd      sp, 8(a0)
    sd      s0, 16(a0)
    sd      s1, 24(a0)
    sd      s2, 32(a0)
    sd      s3, 40(a0)
    sd      s4, 48(a0)
    sd      s5, 56(a0)
    sd      s6, 64(a0)
    sd      s7, 72(a0)
    sd      s8, 80(a0)
    sd      s9, 88(a0)
    sd      s10, 96(a0)
    sd      s11, 104(a0)

    ld      ra, 0(a1)
    ld      sp, 8(a1)
    ld      s0, 16(a1)
    ld      s1, 24(a1)
    ld      s2, 32(a1)
    ld      s3, 40(a1)
    ld      s4, 48(a1)
    ld      s5, 56(a1)
    ld      s6, 64(a1)
    ld      s7, 72(a1)
    ld      s8, 80(a1)
    ld      s9, 88(a1)
    ld      s10, 96(a1)
    ld      s11, 104(a1)
    ret
    .size keel_context_switch, . - keel_context_switch

/* A started context's first instruction (context_start): s1(s2), then s3(), which never returns. */
    .globl keel_context_entry
    .type keel_context_entry, @function
keel_context_entry:
    .cfi_startproc
    .cfi_undefined ra                   /* the outermost frame of a context */
    mv      a0, s2
    jalr    s1
    jalr    s3
1:  j       1b                          /* s3 returned: it must not; stay here rather than run on */
    .cfi_endproc
    .size keel_context_entry, . - keel_context_entry
