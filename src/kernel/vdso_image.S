/* SPDX-License-Identifier: MIT */
/* The vDSO (src/kernel/vdso, linked by cmake/vdso.cmake) inside the kernel image: the file as it
 * is, page aligned and zero-padded to whole pages, so that its pages can be mapped into processes
 * as they are without showing them any other kernel data (Linux: arch/riscv/kernel/vdso.S).
 * "R" (SHF_GNU_RETAIN) keeps it through --gc-sections before any code refers to it. */
    .section .rodata.keel_vdso, "aR", @progbits
    .balign 4096
    .globl  keel_vdso_start
keel_vdso_start:
    .incbin KEEL_VDSO_IMAGE     /* the path, a string: cmake/vdso.cmake defines it */
    .balign 4096
    .globl  keel_vdso_end
keel_vdso_end:
