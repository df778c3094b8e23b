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
