/* SPDX-License-Identifier: MIT */
/* A user program's floating-point state (F and D: f0-f31, fcsr), kept across task switches. The
 * kernel itself never uses a floating-point register; these turn sstatus.FS on for the moment
 * they need it (privileged spec §4.1.1: with FS off, any F/D instruction is illegal). */
#include <keel/arch/riscv/csr.h>

#define FP_REGISTERS 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31

    .section .text
/* keel_fp_save(uint64_t area[33] = a0): f0-f31, then fcsr. */
    .globl keel_fp_save
keel_fp_save:
    li      t0, KEEL_SSTATUS_FS
    csrrs   t1, sstatus, t0
    .irp    n, FP_REGISTERS
    fsd     f\n, \n*8(a0)
    .endr
    frcsr   t2
    sd      t2, 32*8(a0)
    csrw    sstatus, t1             /* FS as it was */
    ret

/* keel_fp_restore(const uint64_t area[33] = a0) */
    .globl keel_fp_restore
keel_fp_restore:
    li      t0, KEEL_SSTATUS_FS
    csrrs   t1, sstatus, t0
    .irp    n, FP_REGISTERS
    fld     f\n, \n*8(a0)
    .endr
    ld      t2, 32*8(a0)
    fscsr   t2
    csrw    sstatus, t1
    ret
