/* SPDX-License-Identifier: MIT */
/* keel's trap vector (stvec, direct mode: every trap lands here; privileged spec §4.1.2).
 * A trap from S-mode arrives on the current kernel stack: push a TrapFrame
 * (include/keel/arch/riscv/trap.h), call keel_trap(frame), restore, sret. When that stack has no
 * room left for the frame (a stack overflow: sp ran into the guard page under it), the frame goes
 * on the hart's emergency trap stack instead, so that the overflow can still be reported.
 * A trap from U-mode (sstatus.SPP = 0) takes the running task's kernel stack, empty while it runs
 * in user mode, and the kernel's gp and tp (this hart's block). An exception from U-mode (a
 * syscall, a page fault) goes the lean way: only what a C call may clobber is saved (with the
 * program's sp, gp, tp and s0), and the kernel's keel_user_syscall() or keel_user_fault() handles
 * it; when nothing more is asked, only those registers come back. When more is asked (a signal, a
 * kill, the end of a slice, a call that needs every register), s1-s11 join the frame (the C ABI
 * kept them in the registers) and the full path goes on. An interrupt from U-mode takes the full
 * path at once. Every trap is counted in the hart's trap depth here, in and out, and every
 * exception in its exception count. */
#include <keel/arch/riscv/csr.h>

#define FRAME_SIZE (38 * 8)
#define SEPC       (32 * 8)
#define SSTATUS    (33 * 8)
#define SCAUSE     (34 * 8)
#define STVAL      (35 * 8)
#define LINK_FP    (36 * 8)
#define LINK_RA    (37 * 8)

/* The first words of the hart's TrapState (trap.cpp, which static_asserts them), via sscratch. */
#define TS_STACK_LOW     0   /* the lowest address the hart's stack may use */
#define TS_EMERGENCY_TOP 8   /* the top of its emergency trap stack */
#define TS_SAVED_SP      16  /* the interrupted sp (from S-mode) */
#define TS_SAVED_T1      24
#define TS_STACK_HIGH    32  /* the top of the current task's stack (empty in user mode) */
#define TS_HART          40  /* this hart's block: the kernel's tp */
#define TS_DEPTH         48  /* traps being handled (32 bits) */
#define TS_OWNER         56  /* the current task, for the lean path */
#define TS_EXCEPTIONS    64  /* exceptions taken on this hart */
#define TS_LAST_CAUSE    72  /* the last one's scause */
#define SSTATUS_SPP      0x100

/* What the lean path answers (enum class UserTrap, trap.h). */
#define USER_TRAP_FINISH    1
#define USER_TRAP_UNHANDLED 2
#define CAUSE_ECALL_FROM_U  8    /* scause: environment call from U-mode (§4.1.9) */

/* Below this much stack, the trap (its frame, the handler, a report) goes on the emergency stack:
 * a report needs about 1.5 KiB, and the guard page below would turn it into a nested fault. */
#define TRAP_HEADROOM    2000  /* addi takes 12 bits */

/* The registers saved and restored by name: the ones a C call may clobber, with the program's
 * gp, tp and s0 (trap.S repoints them) and what is left: s1-s11. (t0, t1 and sp go their own way:
 * the entry needs them first.) */
#define CALL_CLOBBERED 1,7,10,11,12,13,14,15,16,17,28,29,30,31
#define CALL_KEPT      9,18,19,20,21,22,23,24,25,26,27

    .section .text.trap, "ax", @progbits
    .globl keel_trap_entry
    .type keel_trap_entry, @function
    .balign 4                           /* stvec's low two bits are the mode */
keel_trap_entry:
    csrrw   t0, sscratch, t0            /* t0 = this hart's TrapState; sscratch keeps t0 */
    sd      t1, TS_SAVED_T1(t0)
    csrr    t1, sstatus
    andi    t1, t1, SSTATUS_SPP
    bnez    t1, .Lfrom_kernel

    /* From U-mode: the frame at the top of the task's own kernel stack; the lean save. */
    ld      t1, TS_STACK_HIGH(t0)
    sd      sp, (2*8 - FRAME_SIZE)(t1)
    addi    sp, t1, -FRAME_SIZE
    .irp    n, CALL_CLOBBERED,3,4,8
    sd      x\n, \n*8(sp)
    .endr
    ld      t1, TS_SAVED_T1(t0)
    sd      t1, 6*8(sp)
    csrrw   t1, sscratch, t0            /* the program's t0; sscratch = the TrapState again */
    sd      t1, 5*8(sp)
    csrr    t1, sepc
    csrr    t2, sstatus
    csrr    t3, scause
    csrr    t4, stval
    sd      t1, SEPC(sp)
    sd      t2, SSTATUS(sp)
    sd      t3, SCAUSE(sp)
    sd      t4, STVAL(sp)
    /* Frame record for backtraces: "called" from sepc; the program's s0 is no frame of ours (the
     * backtrace ends here). */
    sd      t1, LINK_RA(sp)
    sd      zero, LINK_FP(sp)
    addi    s0, sp, FRAME_SIZE
    /* The kernel's tp and gp replace the program's (saved above). */
    ld      tp, TS_HART(t0)
    .option push
    .option norelax
    lla     gp, __global_pointer$
    .option pop
    lw      t1, TS_DEPTH(t0)            /* one trap more on this hart */
    addi    t1, t1, 1
    sw      t1, TS_DEPTH(t0)
    bltz    t3, .Luser_interrupt        /* scause's top bit */
    ld      t1, TS_EXCEPTIONS(t0)       /* an exception: counted for the harts command */
    addi    t1, t1, 1
    sd      t1, TS_EXCEPTIONS(t0)
    sd      t3, TS_LAST_CAUSE(t0)
    mv      a0, sp
    ld      a1, TS_OWNER(t0)
    li      t5, CAUSE_ECALL_FROM_U
    bne     t3, t5, .Luser_fault
    call    keel_user_syscall           /* a return address in here marks a trap (backtrace.cpp) */
.Luser_lean_done:
    bnez    a0, .Luser_whole

    /* Straight back to U-mode: the C ABI kept s1-s11, and only what a call clobbers returns. */
    csrr    t0, sscratch                /* (the task may be on another hart by now) */
    lw      t1, TS_DEPTH(t0)
    addi    t1, t1, -1
    sw      t1, TS_DEPTH(t0)
    ld      t0, SEPC(sp)
    ld      t1, SSTATUS(sp)
    csrw    sepc, t0
    csrw    sstatus, t1
    .irp    n, CALL_CLOBBERED,3,4,5,6,8
    ld      x\n, \n*8(sp)
    .endr
    ld      sp, 2*8(sp)
    sret

.Luser_fault:
    call    keel_user_fault
    j       .Luser_lean_done

.Luser_interrupt:
    li      a0, USER_TRAP_UNHANDLED
.Luser_whole:                           /* a0 = what the lean path said: kFinish or kUnhandled */
    .irp    n, CALL_KEPT
    sd      x\n, \n*8(sp)               /* the frame is whole now */
    .endr
    li      t0, USER_TRAP_FINISH
    mv      t1, a0
    mv      a0, sp
    bne     t1, t0, 3f
    call    keel_trap_finish            /* handled: the way back is what is left */
    j       keel_trap_exit

.Lfrom_kernel:
    sd      sp, TS_SAVED_SP(t0)
    ld      t1, TS_STACK_LOW(t0)
    addi    t1, t1, TRAP_HEADROOM
    bgeu    sp, t1, 1f                  /* room for the frame and the handler: stay on this stack */
    ld      sp, TS_EMERGENCY_TOP(t0)    /* the stack is used up: the emergency one */
1:  lw      t1, TS_DEPTH(t0)            /* one trap more on this hart */
    addi    t1, t1, 1
    sw      t1, TS_DEPTH(t0)
    ld      t1, TS_SAVED_T1(t0)
    csrrw   t0, sscratch, t0            /* t0 back; sscratch = the TrapState again */
    addi    sp, sp, -FRAME_SIZE
    .irp    n, CALL_CLOBBERED,3,4,5,6,8,CALL_KEPT
    sd      x\n, \n*8(sp)
    .endr
    csrr    t0, sscratch                /* the sp the interrupted code had */
    ld      t0, TS_SAVED_SP(t0)
    sd      t0, 2*8(sp)

    csrr    t0, sepc
    csrr    t1, sstatus
    csrr    t2, scause
    csrr    t3, stval
    sd      t0, SEPC(sp)
    sd      t1, SSTATUS(sp)
    sd      t2, SCAUSE(sp)
    sd      t3, STVAL(sp)

    /* Frame record for backtraces: "called" from sepc, with the interrupted s0 as caller fp. */
    sd      t0, LINK_RA(sp)
    sd      s0, LINK_FP(sp)
    addi    s0, sp, FRAME_SIZE
    bltz    t2, 2f                      /* an exception: counted for the harts command */
    csrr    t0, sscratch
    ld      t1, TS_EXCEPTIONS(t0)
    addi    t1, t1, 1
    sd      t1, TS_EXCEPTIONS(t0)
    sd      t2, TS_LAST_CAUSE(t0)
2:  mv      a0, sp
3:  call    keel_trap                   /* a return address in here marks a trap (backtrace.cpp) */

    .globl keel_trap_exit
keel_trap_exit:                         /* sp = a TrapFrame: restore it and sret */
    csrr    t0, sscratch                /* one trap less on the hart it ends on */
    lw      t1, TS_DEPTH(t0)
    addi    t1, t1, -1
    sw      t1, TS_DEPTH(t0)
.Lframe_exit:                           /* (also the way into user mode: keel_enter_user) */
    /* The handler may change sepc (skip an instruction) or sstatus. */
    ld      t0, SEPC(sp)
    ld      t1, SSTATUS(sp)
    csrw    sepc, t0
    csrw    sstatus, t1
    andi    t1, t1, SSTATUS_SPP
    bnez    t1, 4f
    ld      x4, 4*8(sp)                 /* back to U-mode: the program's tp */
4:
    /* Not x4 (tp) for S-mode: it says which hart this is, and a task preempted on one hart may be
     * resumed on another by this very return. */
    .irp    n, CALL_CLOBBERED,3,5,6,8,CALL_KEPT
    ld      x\n, \n*8(sp)
    .endr
    ld      sp, 2*8(sp)                 /* the interrupted sp: the frame may be on another stack */
    sret
    .size keel_trap_entry, . - keel_trap_entry

/* keel_enter_user(TrapFrame* a0): into user mode as if returning from a trap there: the frame
 * (at the top of the task's kernel stack) holds the program's registers, sepc its entry, and
 * sstatus SPP = 0 (U-mode) with SPIE set (interrupts on once there). Never returns. */
    .globl keel_enter_user
keel_enter_user:
    mv      sp, a0
    j       .Lframe_exit                /* not a trap: none to count out */

/* int keel_context_save(SavedContext* a0): records ra, sp, s0-s11; returns 0. */
    .globl keel_context_save
keel_context_save:
    sd      ra, 0*8(a0)
    sd      sp, 1*8(a0)
    sd      s0, 2*8(a0)
    sd      s1, 3*8(a0)
    sd      s2, 4*8(a0)
    sd      s3, 5*8(a0)
    sd      s4, 6*8(a0)
    sd      s5, 7*8(a0)
    sd      s6, 8*8(a0)
    sd      s7, 9*8(a0)
    sd      s8, 10*8(a0)
    sd      s9, 11*8(a0)
    sd      s10, 12*8(a0)
    sd      s11, 13*8(a0)
    li      a0, 0
    ret

/* keel_context_resume(const SavedContext* a0, bool a1): returns 1 from the matching
 * keel_context_save, with sstatus.SIE set if a1 (only once sp is back on the saved stack). */
    .globl keel_context_resume
keel_context_resume:
    ld      ra, 0*8(a0)
    ld      sp, 1*8(a0)
    ld      s0, 2*8(a0)
    ld      s1, 3*8(a0)
    ld      s2, 4*8(a0)
    ld      s3, 5*8(a0)
    ld      s4, 6*8(a0)
    ld      s5, 7*8(a0)
    ld      s6, 8*8(a0)
    ld      s7, 9*8(a0)
    ld      s8, 10*8(a0)
    ld      s9, 11*8(a0)
    ld      s10, 12*8(a0)
    ld      s11, 13*8(a0)
    beqz    a1, 1f
    csrsi   sstatus, KEEL_SSTATUS_SIE
1:  li      a0, 1
    ret
