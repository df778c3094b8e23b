/* SPDX-License-Identifier: MIT */
/* keel's trap vector (stvec, direct mode: every trap lands here; privileged spec §4.1.2).
 * A trap from S-mode arrives on the current kernel stack: push a TrapFrame
 * (include/keel/arch/riscv/trap.h), call keel_trap(frame), restore, sret. When that stack has no
 * room left for the frame (a stack overflow: sp ran into the guard page under it), the frame goes
 * on the hart's emergency trap stack instead, so that the overflow can still be reported.
 * A trap from U-mode (sstatus.SPP = 0) takes the running task's kernel stack, empty while it runs
 * in user mode, and the kernel's gp and tp (this hart's block); the return to U-mode puts the
 * program's tp back (gp and the rest come back from the frame as always). Every trap is counted in
 * the hart's trap depth here, in and out, and every exception in its exception count. */
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
#define TS_SAVED_SP      16  /* the interrupted sp */
#define TS_SAVED_T1      24
#define TS_STACK_HIGH    32  /* the top of the current task's stack (empty in user mode) */
#define TS_HART          40  /* this hart's block: the kernel's tp */
#define TS_DEPTH         48  /* traps being handled (32 bits) */
#define TS_EXCEPTIONS    56  /* exceptions taken on this hart */
#define TS_LAST_CAUSE    64  /* the last one's scause */
#define SSTATUS_SPP      0x100

/* Below this much stack, the trap (its frame, the handler, a report) goes on the emergency stack:
 * a report needs about 1.5 KiB, and the guard page below would turn it into a nested fault. */
#define TRAP_HEADROOM    2000  /* addi takes 12 bits */

    .section .text.trap, "ax", @progbits
    .globl keel_trap_entry
    .type keel_trap_entry, @function
    .balign 4                           /* stvec's low two bits are the mode */
keel_trap_entry:
    csrrw   t0, sscratch, t0            /* t0 = this hart's TrapState; sscratch keeps t0 */
    sd      sp, TS_SAVED_SP(t0)
    sd      t1, TS_SAVED_T1(t0)
    csrr    t1, sstatus
    andi    t1, t1, SSTATUS_SPP
    bnez    t1, 2f                      /* from S-mode */
    ld      sp, TS_STACK_HIGH(t0)       /* from U-mode: the task's own kernel stack */
    j       1f
2:  ld      t1, TS_STACK_LOW(t0)
    addi    t1, t1, TRAP_HEADROOM
    bgeu    sp, t1, 1f                  /* room for the frame and the handler: stay on this stack */
    ld      sp, TS_EMERGENCY_TOP(t0)    /* the stack is used up: the emergency one */
1:  lw      t1, TS_DEPTH(t0)            /* one trap more on this hart */
    addi    t1, t1, 1
    sw      t1, TS_DEPTH(t0)
    ld      t1, TS_SAVED_T1(t0)
    csrrw   t0, sscratch, t0            /* t0 back; sscratch = the TrapState again */
    addi    sp, sp, -FRAME_SIZE
    sd      x1, 1*8(sp)
    sd      x3, 3*8(sp)
    sd      x4, 4*8(sp)
    sd      x5, 5*8(sp)
    sd      x6, 6*8(sp)
    sd      x7, 7*8(sp)
    sd      x8, 8*8(sp)
    sd      x9, 9*8(sp)
    sd      x10, 10*8(sp)
    sd      x11, 11*8(sp)
    sd      x12, 12*8(sp)
    sd      x13, 13*8(sp)
    sd      x14, 14*8(sp)
    sd      x15, 15*8(sp)
    sd      x16, 16*8(sp)
    sd      x17, 17*8(sp)
    sd      x18, 18*8(sp)
    sd      x19, 19*8(sp)
    sd      x20, 20*8(sp)
    sd      x21, 21*8(sp)
    sd      x22, 22*8(sp)
    sd      x23, 23*8(sp)
    sd      x24, 24*8(sp)
    sd      x25, 25*8(sp)
    sd      x26, 26*8(sp)
    sd      x27, 27*8(sp)
    sd      x28, 28*8(sp)
    sd      x29, 29*8(sp)
    sd      x30, 30*8(sp)
    sd      x31, 31*8(sp)
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
    bltz    t2, 5f                      /* an exception: counted for the harts command */
    csrr    t4, sscratch
    ld      t5, TS_EXCEPTIONS(t4)
    addi    t5, t5, 1
    sd      t5, TS_EXCEPTIONS(t4)
    sd      t2, TS_LAST_CAUSE(t4)

5:  andi    t1, t1, SSTATUS_SPP
    bnez    t1, 3f
    /* From U-mode: the program's s0 is no frame of ours (the backtrace ends here), and the
     * kernel's tp and gp replace the program's (saved in the frame above). */
    sd      zero, LINK_FP(sp)
    csrr    t0, sscratch
    ld      tp, TS_HART(t0)
    .option push
    .option norelax
    lla     gp, __global_pointer$
    .option pop
3:  mv      a0, sp
    call    keel_trap                   /* a return address in here marks a trap (backtrace.cpp) */

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
    ld      x1, 1*8(sp)
    ld      x3, 3*8(sp)
    /* Not x4 (tp) for S-mode: it says which hart this is, and a task preempted on one hart may be
     * resumed on another by this very return. */
    ld      x5, 5*8(sp)
    ld      x6, 6*8(sp)
    ld      x7, 7*8(sp)
    ld      x8, 8*8(sp)
    ld      x9, 9*8(sp)
    ld      x10, 10*8(sp)
    ld      x11, 11*8(sp)
    ld      x12, 12*8(sp)
    ld      x13, 13*8(sp)
    ld      x14, 14*8(sp)
    ld      x15, 15*8(sp)
    ld      x16, 16*8(sp)
    ld      x17, 17*8(sp)
    ld      x18, 18*8(sp)
    ld      x19, 19*8(sp)
    ld      x20, 20*8(sp)
    ld      x21, 21*8(sp)
    ld      x22, 22*8(sp)
    ld      x23, 23*8(sp)
    ld      x24, 24*8(sp)
    ld      x25, 25*8(sp)
    ld      x26, 26*8(sp)
    ld      x27, 27*8(sp)
    ld      x28, 28*8(sp)
    ld      x29, 29*8(sp)
    ld      x30, 30*8(sp)
    ld      x31, 31*8(sp)
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
