/* SPDX-License-Identifier: MIT */
/* _start: what the kernel jumps to, sp at the Linux initial stack (argc, then argv[]):
 * main(argc, argv), then exit_group with what it returned. */
#include <keel/abi/syscalls.h>

    .section .text._start, "ax", @progbits
    .globl _start
_start:
    ld      a0, 0(sp)               /* argc */
    addi    a1, sp, 8               /* argv */
    call    main
    li      a7, SYS_exit_group      /* exit_group(main's value) */
    ecall
1:  j       1b
