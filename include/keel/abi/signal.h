// SPDX-License-Identifier: MIT
// Signals as riscv64 Linux numbers them and takes their handlers: include/uapi/asm-generic/
// signal.h, signal-defs.h (riscv64 adds nothing, not even SA_RESTORER), linux/signal.h, siginfo.h.
#pragma once
#include <stdint.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
// The real-time signals, as the kernel numbers them (a libc keeps the first few for itself).
#define SIGRTMIN 32
#define SIGRTMAX 64
#define _NSIG 64

// rt_sigaction's flags.
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004  // the handler takes (sig, siginfo, ucontext)
#define SA_UNSUPPORTED 0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

// rt_sigprocmask's how.
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

// sigaltstack.
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define SS_FLAG_BITS SS_AUTODISARM  // the flags beside the mode
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// The kernel's signal set: bit (n - 1) for signal n; rt_sigprocmask's sigsetsize is its 8 bytes.
typedef struct {
    uint64_t sig[1];
} sigset_t;
#define sigmask(sig) (1ULL << ((sig)-1))

typedef void (*__sighandler_t)(int);
#define SIG_DFL ((__sighandler_t)0)
#define SIG_IGN ((__sighandler_t)1)
#define SIG_ERR ((__sighandler_t)-1)

// rt_sigaction's struct on riscv64: 24 bytes, no sa_restorer (the return path is the vDSO's).
struct sigaction {
    __sighandler_t sa_handler;  // or, with SA_SIGINFO, a three-argument handler
    uint64_t sa_flags;
    sigset_t sa_mask;  // blocked while the handler runs
};

// sigaltstack: 24 bytes.
typedef struct {
    void* ss_sp;
    int32_t ss_flags;  // SS_*
    uint64_t ss_size;
} stack_t;

// What a handler is given: siginfo_t (its first argument with SA_SIGINFO's second) and struct
// ucontext (the third), which the kernel puts on the user stack together as struct rt_sigframe.
// asm-generic/siginfo.h as on a 64-bit machine; arch/riscv/include/uapi/asm/ptrace.h,
// sigcontext.h and ucontext.h; rt_sigframe is arch/riscv/kernel/signal.c's (Linux 6.12). Sizes:
// siginfo_t 128, struct sigcontext 784, struct ucontext 960 (uc_mcontext at 176: it is 16-aligned),
// struct rt_sigframe 1088 (uc at 128); glibc's ucontext_t agrees (960, uc_mcontext at 176).

union sigval {
    int32_t sival_int;
    void* sival_ptr;
};
typedef union sigval sigval_t;

#define SI_MAX_SIZE 128

// The header, then at offset 16 the fields si_code says are there. Linux reaches them through a
// union of structs and macros (si_pid is _sifields._kill._pid); here they are anonymous members
// at the same offsets, so that info->si_pid reads the same.
typedef struct siginfo {
    int32_t si_signo;
    int32_t si_errno;
    int32_t si_code;
    union {
        struct {  // kill, tkill, sigqueue (rt) and SIGCHLD: who sent it
            int32_t si_pid;
            uint32_t si_uid;
            union {
                sigval_t si_value;  // sigqueue, POSIX timers
                int32_t si_status;  // SIGCHLD: the exit code, or the signal
            };
            int64_t si_utime;  // SIGCHLD: user and system time, in clock ticks
            int64_t si_stime;
        };
        struct {  // POSIX timers (their value is si_value)
            int32_t si_tid;
            int32_t si_overrun;
        };
        struct {  // SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: the faulting address
            void* si_addr;
            union {
                int16_t si_addr_lsb;  // BUS_MCEERR_*: the address's least significant bit
                struct {              // TRAP_PERF
                    uint64_t si_perf_data;
                    uint32_t si_perf_type;
                    uint32_t si_perf_flags;
                };
            };
        };
        struct {  // SIGPOLL
            int64_t si_band;
            int32_t si_fd;
        };
        struct {  // SIGSYS from seccomp
            void* si_call_addr;
            int32_t si_syscall;
            uint32_t si_arch;
        };
        int32_t _si_pad[SI_MAX_SIZE / sizeof(int32_t) - 4];
    };
} siginfo_t;

// The integer registers as ptrace and the signal frame give them: x1-x31 by ABI name, with the pc
// in x0's place.
struct user_regs_struct {
    uint64_t pc;
    uint64_t ra;
    uint64_t sp;
    uint64_t gp;
    uint64_t tp;
    uint64_t t0;
    uint64_t t1;
    uint64_t t2;
    uint64_t s0;
    uint64_t s1;
    uint64_t a0;
    uint64_t a1;
    uint64_t a2;
    uint64_t a3;
    uint64_t a4;
    uint64_t a5;
    uint64_t a6;
    uint64_t a7;
    uint64_t s2;
    uint64_t s3;
    uint64_t s4;
    uint64_t s5;
    uint64_t s6;
    uint64_t s7;
    uint64_t s8;
    uint64_t s9;
    uint64_t s10;
    uint64_t s11;
    uint64_t t3;
    uint64_t t4;
    uint64_t t5;
    uint64_t t6;
};

// The floating-point registers, as F, D or Q. Linux saves the D state on any FPU; the Q state's
// reserved words overlay sc_extdesc's reserved word and first header (below).
struct __riscv_f_ext_state {
    uint32_t f[32];
    uint32_t fcsr;
};
struct __riscv_d_ext_state {
    uint64_t f[32];
    uint32_t fcsr;
};
struct __riscv_q_ext_state {
    uint64_t f[64] __attribute__((aligned(16)));
    uint32_t fcsr;
    uint32_t reserved[3];  // zero on delivery; rt_sigreturn refuses anything else
};
union __riscv_fp_state {
    struct __riscv_f_ext_state f;
    struct __riscv_d_ext_state d;
    struct __riscv_q_ext_state q;
};

// Extension state (V) follows the frame as a chain of headers, the first at sc_extdesc.hdr and
// the last an END header (magic 0, size 0); without V, that END header is the whole chain.
struct __riscv_ctx_hdr {
    uint32_t magic;
    uint32_t size;  // of this header and the state after it
};
struct __riscv_extra_ext_header {
    uint32_t __padding[129] __attribute__((aligned(16)));
    uint32_t reserved;  // zero on delivery; rt_sigreturn refuses anything else
    struct __riscv_ctx_hdr hdr;
};
#define RISCV_V_MAGIC 0x53465457
#define END_MAGIC 0x0
#define END_HDR_SIZE 0x0

struct sigcontext {
    struct user_regs_struct sc_regs;
    union {
        union __riscv_fp_state sc_fpregs;
        struct __riscv_extra_ext_header sc_extdesc;
    };
};

struct ucontext {
    uint64_t uc_flags;  // 0
    struct ucontext* uc_link;
    stack_t uc_stack;                               // the sigaltstack settings when the signal came
    sigset_t uc_sigmask;                            // the mask rt_sigreturn restores
    uint8_t __unused[1024 / 8 - sizeof(sigset_t)];  // room for a larger sigset_t
    struct sigcontext uc_mcontext;
};

// What sp points at when a handler starts: a1 = &info, a2 = &uc (riscv64 passes both whatever
// SA_SIGINFO says), ra = the vDSO's __vdso_rt_sigreturn.
struct rt_sigframe {
    siginfo_t info;
    struct ucontext uc;
};

// NOLINTEND(readability-identifier-naming)

// si_code: where a signal came from. Any signal:
#define SI_USER 0  // kill
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)
// SIGILL:
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define ILL_ILLADR 3
#define ILL_ILLTRP 4
#define ILL_PRVOPC 5
#define ILL_PRVREG 6
#define ILL_COPROC 7
#define ILL_BADSTK 8
// SIGFPE:
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define FPE_FLTSUB 8
// SIGSEGV:
#define SEGV_MAPERR 1  // no mapping at the address
#define SEGV_ACCERR 2  // a mapping that does not allow the access
// SIGBUS:
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_OBJERR 3
// SIGTRAP:
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
// SIGCHLD:
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
