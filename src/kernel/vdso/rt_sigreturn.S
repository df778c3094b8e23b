/* SPDX-License-Identifier: MIT */
/* The vDSO's one function: where a signal handler returns. The kernel sets the handler's ra here
 * (as Linux's arch/riscv/kernel/signal.c does; riscv64 has no SA_RESTORER), with sp back at the
 * rt_sigframe it wrote, and rt_sigreturn restores the interrupted context from that frame.
 * Linux's own is arch/riscv/kernel/vdso/rt_sigreturn.S.
 *
 * Its CFI says where that frame keeps the interrupted registers, so that a DWARF unwinder
 * (libgcc's _Unwind_Backtrace, C++ exceptions, gdb) steps from a handler into the code the
 * signal cut short. The rules are the ones libgcc applies when it recognises these two
 * instructions (libgcc/config/riscv/linux-unwind.h):
 *   CFA          = sp + offsetof(rt_sigframe, uc.uc_mcontext), the frame's saved registers
 *   x1..x31      saved at CFA + 8*n (struct user_regs_struct: pc, then x1..x31)
 *   return       column 64, the psABI's "alternate frame return column", saved at CFA + 0 (pc)
 * The frame, Linux's arch/riscv/kernel/signal.c and uapi asm/ucontext.h:
 *   struct rt_sigframe { siginfo_t info (128 bytes); struct ucontext uc; }
 *   struct ucontext { uc_flags 8, uc_link 8, uc_stack 24, uc_sigmask 8, pad to 1024 bits
 *                     (so +120), uc_mcontext (16-aligned) } -> uc_mcontext at 176.
 * keel writes that frame with include/keel/lib/signal_frame.h (uc_mcontext at 304). */

#define SIGINFO_SIZE        128
#define UCONTEXT_MCONTEXT   176
#define SIGFRAME_MCONTEXT   (SIGINFO_SIZE + UCONTEXT_MCONTEXT)
#define ALT_RETURN_COLUMN   64          /* RISC-V ELF psABI, DWARF register numbers */
#define NR_RT_SIGRETURN     139         /* include/uapi/asm-generic/unistd.h */
#define SAVED_REGISTERS 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\
                        29,30,31

    .text
    .option push
    .option norvc                       /* the 4-byte encodings gdb and libgcc look for */
    .cfi_startproc
    .cfi_signal_frame                   /* 'S': the pc is not a return address, do not step back */
    .cfi_return_column ALT_RETURN_COLUMN
    .cfi_def_cfa sp, SIGFRAME_MCONTEXT
    .cfi_offset ALT_RETURN_COLUMN, 0
    .irp    n, SAVED_REGISTERS
    .cfi_offset \n, \n*8
    .endr
    /* Unwinders look a return address up less one byte, to land in the call; this nop puts that
     * byte inside this FDE (Linux's arm64 sigreturn.S has the same "mysterious NOP"). */
    nop

    .globl  __vdso_rt_sigreturn
    .type   __vdso_rt_sigreturn, @function
__vdso_rt_sigreturn:
    li      a7, NR_RT_SIGRETURN
    ecall                               /* does not return: the kernel resumes the frame's pc */
    .size   __vdso_rt_sigreturn, . - __vdso_rt_sigreturn
    .cfi_endproc
    .option pop

    .section .note.GNU-stack, "", @progbits     /* no executable stack wanted */
