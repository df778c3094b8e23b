// SPDX-License-Identifier: MIT
// Linux's signal semantics as a program sees them: siginfo, masks and pending sets, nesting, the
// sigaction flags, the registers a handler must not disturb, faults and handlers that move the pc,
// default actions (terminate, core, ignore, stop, continue), timers, sigsuspend, sigtimedwait,
// nanosleep, sigaltstack, process groups and sessions, errors, and what exec keeps. Each section
// runs in a child in a process group of its own, killed by a watchdog after 10 s, so that one that
// dies or hangs hides nothing else; what may kill a process is done in a grandchild (with alarm(10)
// against hanging), whose wait status is printed.
//   signals              the run
//   signals exec-check   what the exec section runs: prints the dispositions, mask and pending
//                        set it inherited
#define _GNU_SOURCE
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "report.h"

#define YN(b) ((b) ? "yes" : "no")

static const char* self;

// "SIGTERM", or "signal 34" for a real-time one; four buffers, for a line that names several.
static const char* signame(int sig) {
    static char names[4][16];
    static int next;
    char* name = names[next++ % 4];
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(name, 16, "SIG%s", abbrev);
    else
        snprintf(name, 16, "signal %d", sig);
    return name;
}

static const char* code_name(int sig, int code) {
    static const char* chld[] = {"CLD_EXITED",  "CLD_KILLED",  "CLD_DUMPED",
                                 "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
    static char number[16];
    if (code == SI_USER) return "SI_USER";
    if (code == SI_KERNEL) return "SI_KERNEL";
    if (code == SI_QUEUE) return "SI_QUEUE";
    if (code == SI_TKILL) return "SI_TKILL";
    if (sig == SIGCHLD && code >= 1 && code <= 6) return chld[code - 1];
    if (sig == SIGILL && code == ILL_ILLOPC) return "ILL_ILLOPC";
    if (sig == SIGSEGV && code == SEGV_MAPERR) return "SEGV_MAPERR";
    if (sig == SIGSEGV && code == SEGV_ACCERR) return "SEGV_ACCERR";
    if (sig == SIGTRAP && code == TRAP_BRKPT) return "TRAP_BRKPT";
    snprintf(number, sizeof number, "%d", code);
    return number;
}

static void status(const char* what, int st) {
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by %s, core bit %d\n", what, signame(WTERMSIG(st)), !!WCOREDUMP(st));
    else if (WIFSTOPPED(st))
        printf("%s: stopped by %s\n", what, signame(WSTOPSIG(st)));
    else if (WIFCONTINUED(st))
        printf("%s: continued\n", what);
}

static void waited(const char* what, pid_t pid, int flags) {
    int st = 0;
    if (waitpid(pid, &st, flags) != pid)
        printf("%s: waitpid -1 %s\n", what, en());
    else
        status(what, st);
}

// A grandchild, with its own safety timeout (alarms are not inherited).
static pid_t child(void) {
    fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) alarm(10);
    return pid;
}

// A pid that no longer names anything: a child's, reaped.
static pid_t reaped(void) {
    const pid_t pid = child();
    if (pid == 0) _exit(0);
    waitpid(pid, NULL, 0);
    return pid;
}

// What handlers saw, and a log of events, for orders ("+USR1 -USR1").
static volatile int runs, got_signo, got_code, got_pid, got_uid, got_status, got_value;
static void* volatile got_addr;
static char events[256];
static volatile int nevents;

static void note(const char* s) {
    while (*s && nevents < (int)sizeof events - 2) events[nevents++] = *s++;
    events[nevents++] = ' ';
}

static void print_events(const char* what) {
    events[nevents > 0 ? nevents - 1 : 0] = 0;
    printf("%s: %s\n", what, events);
    nevents = 0;
}

static void record(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    got_signo = si->si_signo, got_code = si->si_code, got_pid = si->si_pid, got_uid = si->si_uid;
    got_status = si->si_status, got_value = si->si_value.sival_int, got_addr = si->si_addr;
    runs++;
}

static void print_info(const char* how) {
    printf("%s: handler ran %d, %s, %s\n", how, runs, signame(got_signo),
           code_name(got_signo, got_code));
    runs = 0;
}

// A handler for sig (an SA_SIGINFO one, unless plain is given), with masked in its sa_mask.
static void on(int sig, void (*handler)(int, siginfo_t*, void*), void (*plain)(int), int flags,
               int masked) {
    struct sigaction sa = {0};
    if (plain)
        sa.sa_handler = plain;
    else
        sa.sa_sigaction = handler, flags |= SA_SIGINFO;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (masked) sigaddset(&sa.sa_mask, masked);
    sigaction(sig, &sa, NULL);
}

// The set of just sig (none for 0).
static sigset_t only(int sig) {
    sigset_t set;
    sigemptyset(&set);
    if (sig) sigaddset(&set, sig);
    return set;
}

static void mask(int how, int sig) {
    const sigset_t set = only(sig);
    sigprocmask(how, &set, NULL);
}

static int blocked(int sig) {
    sigset_t set;
    sigprocmask(SIG_BLOCK, NULL, &set);
    return sigismember(&set, sig);
}

static int pending(int sig) {
    sigset_t set;
    sigpending(&set);
    return sigismember(&set, sig);
}

// The system call itself: glibc's sigtimedwait turns SI_TKILL into SI_USER.
static long sigtimedwait_raw(const sigset_t* set, siginfo_t* si, const struct timespec* timeout) {
    return syscall(SYS_rt_sigtimedwait, set, si, timeout, 8);
}

// SA_SIGINFO: si_code says who sent it (kill: SI_USER; tgkill, and raise by it: SI_TKILL;
// sigqueue: SI_QUEUE, with its value); si_pid and si_uid are the sender's. sa_flags read back
// without the bits Linux does not know.
static void siginfo_fields(void) {
    on(SIGUSR1, record, NULL, 0, 0);
    kill(getpid(), SIGUSR1);
    print_info("kill");
    printf("  si_pid is getpid(): %s, si_uid is getuid(): %s\n", YN(got_pid == getpid()),
           YN(got_uid == (int)getuid()));
    raise(SIGUSR1);
    print_info("raise");
    yes("  si_pid is getpid()", got_pid == getpid());
    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
    print_info("tgkill");
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42});
    print_info("sigqueue");
    val("  si_value", got_value);
    on(SIGUSR1, record, NULL, 0x400, 0);  // SA_UNSUPPORTED, a bit Linux does not know
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    printf("sa_flags SA_SIGINFO|0x400 reads back: SA_SIGINFO %s, 0x400 %s\n",
           YN(old.sa_flags & SA_SIGINFO), YN(old.sa_flags & 0x400));
}

static void log_signal(int sig) {
    char digits[3] = {(char)('0' + sig / 10), (char)('0' + sig % 10), 0};
    note(sig < 10 ? digits + 1 : digits);
}

static void log_value(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    log_signal(si->si_value.sival_int);
}

// A blocked signal stays pending; standard signals do not queue (two raises, one delivery),
// real-time ones do, in order, with their values. Unblocking several at once: Linux sets up a
// frame for each (lowest number first) before returning to user mode, so the last runs first.
static void blocking(void) {
    on(SIGUSR1, record, NULL, 0, 0);
    mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    yes("SIGUSR1 pending after two raises while blocked", pending(SIGUSR1));
    val("  handler runs while blocked", runs);
    mask(SIG_UNBLOCK, SIGUSR1);
    val("  handler runs after unblocking", runs);
    yes("  still pending", pending(SIGUSR1));
    on(SIGRTMIN, log_value, NULL, 0, 0);
    mask(SIG_BLOCK, SIGRTMIN);
    for (int i = 1; i <= 3; i++) sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i});
    mask(SIG_UNBLOCK, SIGRTMIN);
    print_events("signal 34 queued with values 1, 2, 3 while blocked: values delivered");
    const int order[] = {SIGRTMIN + 1, SIGUSR2, SIGRTMIN, SIGUSR1};
    sigset_t all;
    sigemptyset(&all);
    for (int i = 0; i < 4; i++) on(order[i], NULL, log_signal, 0, 0), sigaddset(&all, order[i]);
    sigprocmask(SIG_BLOCK, &all, NULL);
    for (int i = 0; i < 4; i++) raise(order[i]);
    sigprocmask(SIG_UNBLOCK, &all, NULL);
    print_events("35 12 34 10 raised while blocked: handlers entered on unblocking");
}

static volatile int nest_mode;  // 1: SIGUSR1's handler raises SIGUSR2; 2: raises SIGUSR1 once

static void nest_handler(int sig) {
    note(sig == SIGUSR1 ? "+USR1" : "+USR2");
    if (sig == SIGUSR1 && nest_mode == 1) raise(SIGUSR2);
    if (sig == SIGUSR1 && nest_mode == 2) nest_mode = 0, raise(SIGUSR1);
    note(sig == SIGUSR1 ? "-USR1" : "-USR2");
}

static void nest(int mode, int flags, int masked, const char* what) {
    on(SIGUSR1, NULL, nest_handler, flags, masked);
    on(SIGUSR2, NULL, nest_handler, 0, 0);
    nest_mode = mode;
    raise(SIGUSR1);
    print_events(what);
}

// A handler's signal and its sa_mask are blocked while it runs: raised there, they wait for its
// return; anything else (and itself with SA_NODEFER) nests.
static void nesting(void) {
    nest(1, 0, SIGUSR2, "SIGUSR2 in sa_mask, raised in SIGUSR1's handler");
    nest(1, 0, 0, "SIGUSR2 not in sa_mask");
    nest(2, 0, 0, "SIGUSR1 raised in its own handler");
    nest(2, SA_NODEFER, 0, "the same with SA_NODEFER");
}

static volatile int in_usr1, in_usr2, in_term, add_term;

static void mask_probe(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)si;
    in_usr1 = blocked(SIGUSR1), in_usr2 = blocked(SIGUSR2), in_term = blocked(SIGTERM);
    if (add_term) sigaddset(&((ucontext_t*)uc)->uc_sigmask, SIGTERM);
}

// The mask in a handler is the old one, sa_mask and the signal (not with SA_NODEFER); on return
// it is uc_sigmask, which the handler may change.
static void handler_mask(void) {
    on(SIGUSR1, mask_probe, NULL, 0, SIGUSR2);
    raise(SIGUSR1);
    printf("in a handler, blocked: SIGUSR1 %s, SIGUSR2 (sa_mask) %s, SIGTERM %s\n", YN(in_usr1),
           YN(in_usr2), YN(in_term));
    printf("  after it: SIGUSR1 %s, SIGUSR2 %s\n", YN(blocked(SIGUSR1)), YN(blocked(SIGUSR2)));
    on(SIGUSR1, mask_probe, NULL, SA_NODEFER, 0);
    raise(SIGUSR1);
    yes("with SA_NODEFER, SIGUSR1 blocked in its handler", in_usr1);
    add_term = 1;
    raise(SIGUSR1);
    yes("the handler adds SIGTERM to uc_sigmask: blocked after it", blocked(SIGTERM));
}

// SA_RESETHAND: the disposition is SIG_DFL once the handler is entered (the signal is still
// blocked in it: no SA_NODEFER implied); the next one kills.
static void resethand(void) {
    const pid_t pid = child();
    if (pid == 0) {
        on(SIGUSR1, mask_probe, NULL, SA_RESETHAND, 0);
        raise(SIGUSR1);
        struct sigaction old;
        sigaction(SIGUSR1, NULL, &old);
        printf("SA_RESETHAND: SIGUSR1 blocked in the handler %s, SIG_DFL after %s\n", YN(in_usr1),
               YN(old.sa_handler == SIG_DFL));
        fflush(stdout);
        raise(SIGUSR1);
        _exit(0);
    }
    waited("  the second SIGUSR1", pid, 0);
}

// The floating-point registers and fcsr across a handler that sets all of f0-f31, the rounding
// mode and the flags: Linux saves and restores them, at a system call and at an interrupt.
volatile int fp_flag;
void fp_clobber(int);
__asm__(
    ".text\n.globl fp_clobber\n.type fp_clobber, @function\nfp_clobber:\n"
    "li t0, 0x7ff8dead\nslli t0, t0, 32\n"
    ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "fmv.d.x f\\n, t0\naddi t0, t0, 1\n.endr\n"
    "fsrmi 1\ncsrsi fflags, 0x1f\nlla t1, fp_flag\nli t2, 1\nsw t2, 0(t1)\nret\n"
    ".size fp_clobber, .-fp_clobber\n");
#define ALL(op, base)                                                                              \
    ".irp "                                                                                        \
    "n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n" op \
    " f\\n, \\n*8(%[" #base "])\n.endr\n"
#define FREGS                                                                                      \
    "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", \
        "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26", "f27", \
        "f28", "f29", "f30", "f31"

static void fp_check(const char* what, int async) {
    uint64_t in[32], out[32];
    for (int i = 0; i < 32; i++) in[i] = 0x3ff0000000000000ull + (uint64_t)i * 0x1111, out[i] = 0;
    fp_flag = 0;
    on(SIGUSR1, NULL, fp_clobber, 0, 0);
    on(SIGALRM, NULL, fp_clobber, 0, 0);
    __asm__ volatile("fsrmi 3\nfsflagsi 0");  // round up, no flags
    if (async) {
        const struct itimerval once = {{0, 0}, {0, 20000}};
        setitimer(ITIMER_REAL, &once, NULL);
        __asm__ volatile(ALL("fld", in) "1: lw t0, 0(%[flag])\nbeqz t0, 1b\n" ALL("fsd", out)
                         :
                         : [in] "r"(in), [out] "r"(out), [flag] "r"(&fp_flag)
                         : "t0", "memory", FREGS);
    } else {
        __asm__ volatile(
            ALL("fld", in) "mv a0, %[pid]\nli a1, %[sig]\nli a7, %[nr]\necall\n" ALL("fsd", out)
            :
            : [in] "r"(in), [out] "r"(out), [pid] "r"((long)getpid()), [sig] "i"(SIGUSR1),
              [nr] "i"(SYS_kill)
            : "a0", "a1", "a7", "memory", FREGS);
    }
    unsigned long fcsr;
    __asm__ volatile("frcsr %0\nfsrmi 0" : "=r"(fcsr));
    int same = 0;
    for (int i = 0; i < 32; i++) same += in[i] == out[i];
    printf("%s: handler ran %s, f0-f31 kept %d of 32, fcsr kept %s\n", what, YN(fp_flag), same,
           YN(fcsr == 3 << 5));
}

static void fp_registers(void) {
    fp_check("kill(getpid(), SIGUSR1) by ecall", 0);
    fp_check("SIGALRM in a loop", 1);
}

// SIGCHLD's si_code says what happened to the child, si_status its exit status or signal.
static void sigchld(void) {
    on(SIGCHLD, record, NULL, 0, 0);
    mask(SIG_BLOCK, SIGCHLD);
    const sigset_t none = only(0);
    pid_t pid = child();
    if (pid == 0) _exit(3);
    sigsuspend(&none);
    printf("a child exits 3: %s, si_status %d, si_pid is the child %s\n",
           code_name(SIGCHLD, got_code), got_status, YN(got_pid == pid));
    waitpid(pid, NULL, 0);
    pid = child();
    if (pid == 0)
        for (;;) pause();
    const int signals[] = {SIGSTOP, SIGCONT, SIGKILL};
    for (int i = 0; i < 3; i++) {
        kill(pid, signals[i]);
        sigsuspend(&none);
        printf("%s to a child: %s, si_status %d\n", signame(signals[i]),
               code_name(SIGCHLD, got_code), got_status);
    }
    waitpid(pid, NULL, 0);
    pid = child();
    if (pid == 0) abort();
    sigsuspend(&none);
    printf("a child aborts: %s, si_status %d\n", code_name(SIGCHLD, got_code), got_status);
    waitpid(pid, NULL, 0);
}

// In a child: raises a stopping signal; continued, waits (3 s at most) to be told to go on by a
// SIGUSR1, so as not to exit before its parent has seen it continued.
static int stop_until_told(int sig) {
    const sigset_t usr1 = only(SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(sig);
    const struct timespec timeout = {3, 0};
    return sigtimedwait(&usr1, NULL, &timeout) == SIGUSR1;
}

// A child raises sig (after blocking everything, or after setsid): its status; if it stopped,
// SIGCONT's, then its exit 7 once told.
static void raises(int sig, int all_blocked, int orphaned) {
    const int stops = (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN) && !orphaned;
    const pid_t pid = child();
    if (pid == 0) {
        sigset_t all;
        sigfillset(&all);
        if (all_blocked) sigprocmask(SIG_SETMASK, &all, NULL);
        if (orphaned) setsid();
        if (stops)
            stop_until_told(sig);
        else
            raise(sig);
        _exit(7);
    }
    char what[64];
    snprintf(what, sizeof what, "raise(%s)%s%s", signame(sig),
             all_blocked ? " with all blocked" : "", orphaned ? " after setsid (orphaned)" : "");
    int st = 0;
    waitpid(pid, &st, WUNTRACED);
    status(what, st);
    if (!WIFSTOPPED(st)) return;
    kill(pid, SIGCONT);
    waited("  then SIGCONT", pid, WCONTINUED);
    kill(pid, SIGUSR1);
    waited("  then", pid, 0);
}

// Default actions: terminate, terminate with a core (no core bit: RLIMIT_CORE is 0), ignore,
// stop (SIGTSTP and SIGTTIN only where the process group is not orphaned) and continue. A
// stopped process holds even a fatal signal (all but SIGKILL) until it is continued.
static void default_actions(void) {
    const int sigs[] = {SIGTERM, SIGUSR1, SIGHUP,   SIGALRM, SIGQUIT, SIGABRT, SIGSEGV, SIGSYS,
                        SIGCHLD, SIGURG,  SIGWINCH, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN};
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) raises(sigs[i], 0, 0);
    raises(SIGTSTP, 0, 1);
    const pid_t pid = child();
    if (pid == 0) raise(SIGSTOP), _exit(0);
    waited("a child stops", pid, WUNTRACED);
    kill(pid, SIGTERM);  // held while it is stopped, like any signal but SIGKILL
    const struct timespec tenth = {0, 100000000};
    nanosleep(&tenth, NULL);
    yes("  SIGTERM leaves it stopped", waitpid(pid, NULL, WNOHANG) == 0);
    kill(pid, SIGCONT);
    waited("  then SIGCONT", pid, 0);
}

// SIGKILL and SIGSTOP: any new action is EINVAL (even SIG_DFL), and blocking them does nothing.
static void unstoppable(void) {
    struct sigaction sa = {0}, old;
    sa.sa_handler = SIG_IGN;
    fails("sigaction(SIGKILL, SIG_IGN)", sigaction(SIGKILL, &sa, NULL));
    sa.sa_handler = log_signal;
    fails("sigaction(SIGSTOP, a handler)", sigaction(SIGSTOP, &sa, NULL));
    sa.sa_handler = SIG_DFL;
    fails("sigaction(SIGKILL, SIG_DFL)", sigaction(SIGKILL, &sa, NULL));
    ok("sigaction(SIGKILL) query", sigaction(SIGKILL, NULL, &old));
    yes("  SIG_DFL", old.sa_handler == SIG_DFL);
    sigset_t all;
    sigfillset(&all);
    ok("sigprocmask of everything", sigprocmask(SIG_SETMASK, &all, NULL));
    printf("  blocked: SIGKILL %s, SIGSTOP %s, SIGUSR1 %s, signal 64 %s\n", YN(blocked(SIGKILL)),
           YN(blocked(SIGSTOP)), YN(blocked(SIGUSR1)), YN(blocked(64)));
    raises(SIGKILL, 1, 0);
    raises(SIGSTOP, 1, 0);
}

static void write_after_reader(const char* what) {
    int p[2];
    pipe(p);
    close(p[0]);
    fails(what, write(p[1], "x", 1));
    close(p[1]);
}

// A write to a pipe without a reader raises SIGPIPE (fatal by default, SI_USER from the writer
// itself) and fails EPIPE.
static void sigpipe(void) {
    const pid_t pid = child();
    if (pid == 0) write_after_reader("not seen"), _exit(0);
    waited("a write to a pipe without a reader", pid, 0);
    on(SIGPIPE, NULL, SIG_IGN, 0, 0);
    write_after_reader("the same with SIGPIPE ignored");
    on(SIGPIPE, NULL, SIG_DFL, 0, 0);
    mask(SIG_BLOCK, SIGPIPE);
    write_after_reader("the same with SIGPIPE blocked");
    yes("  SIGPIPE pending", pending(SIGPIPE));
    const sigset_t pipe_set = only(SIGPIPE);
    sigwaitinfo(&pipe_set, NULL);
    mask(SIG_UNBLOCK, SIGPIPE);
    on(SIGPIPE, record, NULL, 0, 0);
    write_after_reader("the same with a handler");
    print_info("  SIGPIPE");
    yes("  si_pid is getpid()", got_pid == getpid());
}

static sigjmp_buf jump;
static volatile uintptr_t null_address;  // 0, where the compiler cannot see it

static void segv_jump(int sig, siginfo_t* si, void* uc) {
    record(sig, si, uc);
    siglongjmp(jump, 1);
}

static __attribute__((noinline)) void fault(const char* what, volatile char* at, int write) {
    if (sigsetjmp(jump, 1) == 0) {
        if (write)
            *at = 1;
        else
            (void)*at;
        printf("%s: no fault\n", what);
        return;
    }
    printf("%s: %s %s, si_addr is the address %s\n", what, signame(got_signo),
           code_name(got_signo, got_code), YN(got_addr == (void*)at));
}

// A SIGSEGV handler may siglongjmp out; with the mask saved (sigsetjmp(env, 1)), the next fault
// is delivered too. A fault while SIGSEGV is blocked kills.
static void segv(void) {
    on(SIGSEGV, segv_jump, NULL, 0, 0);
    char* gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);
    fault("a read of an unmapped page", gone + 16, 0);
    char* readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fault("a write to a PROT_READ page", readonly + 8, 1);
    char* none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fault("a read of a PROT_NONE page", none, 0);
    fault("a read of address 0", (volatile char*)null_address, 0);
    yes("SIGSEGV blocked after the siglongjmps", blocked(SIGSEGV));
    const pid_t pid = child();
    if (pid == 0) {
        if (sigsetjmp(jump, 0) == 0) *(volatile char*)readonly = 1;
        yes("after a siglongjmp keeping the handler's mask, SIGSEGV blocked", blocked(SIGSEGV));
        fflush(stdout);
        *(volatile char*)readonly = 1;
        _exit(0);
    }
    waited("  a second fault then", pid, 0);
}

static void skip(int sig, siginfo_t* si, void* uc) {
    record(sig, si, uc);
    ((ucontext_t*)uc)->uc_mcontext.__gregs[REG_PC] += 4;
}

// A 4-byte instruction at a label, whose address goes to at.
#define TRAP_AT(insn, at)                                                                \
    __asm__ volatile(".option push\n.option norvc\nlla %0, 1f\n1: " insn "\n.option pop" \
                     : "=&r"(at)                                                         \
                     :                                                                   \
                     : "memory")

// A handler that moves the saved pc past a 4-byte faulting instruction: execution goes on
// there. An illegal instruction is SIGILL ILL_ILLOPC, ebreak SIGTRAP TRAP_BRKPT; si_addr is
// the instruction's address.
static void moving_pc(void) {
    on(SIGSEGV, skip, NULL, 0, 0);
    on(SIGILL, skip, NULL, 0, 0);
    on(SIGTRAP, skip, NULL, 0, 0);
    long value = 42;
    volatile long zero = 0;
    __asm__ volatile(".option push\n.option norvc\nld %0, 0(%1)\n.option pop"
                     : "+r"(value)
                     : "r"(zero)
                     : "memory");
    print_info("a load from address 0, skipped");
    printf("  went on with the register unchanged %s, si_addr is 0 %s\n", YN(value == 42),
           YN(got_addr == NULL));
    unsigned long at;
    TRAP_AT(".4byte 0xc0001073", at);
    print_info("unimp (csrrw x0, cycle, x0), skipped");
    yes("  si_addr is the instruction", got_addr == (void*)at);
    TRAP_AT("ebreak", at);
    print_info("ebreak, skipped");
    yes("  si_addr is the instruction", got_addr == (void*)at);
}

static int pipe_in;

static void alarm_writes(int sig) {
    (void)sig;
    write(pipe_in, "x", 1);
}

// A blocking read interrupted by a handler (which writes a byte into the pipe) fails EINTR, or
// with SA_RESTART starts again and gets that byte. alarm returns the seconds left, rounded.
static void restart(void) {
    int p[2];
    pipe(p);
    pipe_in = p[1];
    char c = 0;
    on(SIGALRM, NULL, alarm_writes, 0, 0);
    alarm(1);
    fails("read interrupted by alarm(1), no SA_RESTART", read(p[0], &c, 1));
    val("  then read of the handler's byte", read(p[0], &c, 1));
    on(SIGALRM, NULL, alarm_writes, SA_RESTART, 0);
    c = 0;
    alarm(1);
    val("read interrupted by alarm(1), SA_RESTART", read(p[0], &c, 1));
    yes("  it is the handler's byte", c == 'x');
    alarm(5);
    val("alarm(0) after alarm(5)", alarm(0));
}

// ITIMER_REAL sends SIGALRM (SI_KERNEL) every interval until set to zero.
static void itimer(void) {
    on(SIGALRM, record, NULL, 0, 0);
    mask(SIG_BLOCK, SIGALRM);
    const sigset_t none = only(0);
    const struct itimerval every = {{0, 50000}, {0, 50000}}, zero = {{0, 0}, {0, 0}};
    struct itimerval old, now;
    ok("setitimer of 50 ms every 50 ms", setitimer(ITIMER_REAL, &every, NULL));
    int returns = 0;
    while (runs < 5 && returns < 50) returns += sigsuspend(&none) < 0 && errno == EINTR;
    printf("SIGALRMs counted %d, sigsuspend returned EINTR %d times, si_code %s\n", runs, returns,
           code_name(SIGALRM, got_code));
    // Linux rearms a periodic ITIMER_REAL only as its SIGALRM is taken: with one pending (and
    // blocked), its value is 0. Armed afresh 1 s ahead, it reads back non-zero.
    const struct itimerval later = {{0, 50000}, {1, 0}};
    setitimer(ITIMER_REAL, &later, NULL);
    ok("setitimer of zero", setitimer(ITIMER_REAL, &zero, &old));
    printf("  the old value non-zero %s, the old interval 50 ms %s\n",
           YN(old.it_value.tv_sec || old.it_value.tv_usec),
           YN(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 50000));
    getitimer(ITIMER_REAL, &now);
    yes("getitimer shows zero", !now.it_value.tv_sec && !now.it_value.tv_usec &&
                                    !now.it_interval.tv_sec && !now.it_interval.tv_usec);
}

// sigsuspend waits with a temporary mask, returns EINTR after the handler, restores the mask.
static void suspend(void) {
    on(SIGUSR1, record, NULL, 0, 0);
    mask(SIG_BLOCK, SIGUSR1);
    const pid_t pid = child();
    if (pid == 0) kill(getppid(), SIGUSR1), _exit(0);
    const sigset_t none = only(0);
    fails("sigsuspend until a child's SIGUSR1", sigsuspend(&none));
    print_info("  SIGUSR1");
    printf("  si_pid is the child %s, SIGUSR1 blocked again %s\n", YN(got_pid == pid),
           YN(blocked(SIGUSR1)));
    waitpid(pid, NULL, 0);
}

// rt_sigtimedwait takes a pending blocked signal (its handler does not run), waits for one, or
// fails EAGAIN at the timeout.
static void timedwait(void) {
    on(SIGUSR2, record, NULL, 0, 0);
    mask(SIG_BLOCK, SIGUSR2);
    const sigset_t set = only(SIGUSR2);
    siginfo_t si;
    const struct timespec second = {1, 0}, tenth = {0, 100000000}, zero = {0, 0};
    raise(SIGUSR2);
    val("rt_sigtimedwait with SIGUSR2 raised", sigtimedwait_raw(&set, &si, &second));
    printf("  %s, handler ran %d, still pending %s\n", code_name(si.si_signo, si.si_code), runs,
           YN(pending(SIGUSR2)));
    sigqueue(getpid(), SIGUSR2, (union sigval){.sival_int = 7});
    val("rt_sigtimedwait with SIGUSR2 queued", sigtimedwait_raw(&set, &si, &second));
    printf("  %s, si_value %d\n", code_name(si.si_signo, si.si_code), si.si_value.sival_int);
    fails("rt_sigtimedwait of 100 ms, nothing pending", sigtimedwait_raw(&set, &si, &tenth));
    fails("rt_sigtimedwait of 0, nothing pending", sigtimedwait_raw(&set, &si, &zero));
    const pid_t pid = child();
    if (pid == 0) nanosleep(&tenth, NULL), kill(getppid(), SIGUSR2), _exit(0);
    const struct timespec five = {5, 0};
    val("rt_sigtimedwait for a child's SIGUSR2 sent later", sigtimedwait_raw(&set, &si, &five));
    printf("  %s, si_pid is the child %s\n", code_name(si.si_signo, si.si_code),
           YN(si.si_pid == pid));
    waitpid(pid, NULL, 0);
    // SIGCHLD is ignored by default, yet one waited for is not dropped while the wait has it
    // unblocked (Linux's real_blocked).
    mask(SIG_BLOCK, SIGCHLD);
    const sigset_t chld = only(SIGCHLD);
    const pid_t late = child();
    if (late == 0) nanosleep(&tenth, NULL), _exit(4);
    val("rt_sigtimedwait for a child's end (SIGCHLD, ignored by default)",
        sigtimedwait_raw(&chld, &si, &five));
    printf("  si_code CLD_EXITED %s, status %d, si_pid is the child %s\n",
           YN(si.si_code == CLD_EXITED), si.si_status, YN(si.si_pid == late));
    waitpid(late, NULL, 0);
    mask(SIG_UNBLOCK, SIGCHLD);
}

static void count(int sig) {
    (void)sig;
    runs++;
}

// nanosleep interrupted by a handler fails EINTR with the time left, even with SA_RESTART; a
// stop and continue without a handler does not interrupt it.
static void sleeping(void) {
    for (int restart = 0; restart < 2; restart++) {
        on(SIGALRM, NULL, count, restart ? SA_RESTART : 0, 0);
        const struct itimerval once = {{0, 0}, {0, 100000}};
        setitimer(ITIMER_REAL, &once, NULL);
        struct timespec two = {2, 0}, left = {0, 0};
        fails(restart ? "nanosleep(2 s), SIGALRM after 100 ms, SA_RESTART"
                      : "nanosleep(2 s), SIGALRM after 100 ms",
              nanosleep(&two, &left));
        printf("  time left > 0 %s, < 2 s %s\n", YN(left.tv_sec > 0 || left.tv_nsec > 0),
               YN(left.tv_sec < 2));
    }
    const pid_t pid = child();
    const struct timespec second = {1, 0};
    if (pid == 0) _exit(nanosleep(&second, NULL) == 0 ? 0 : errno);
    const struct timespec tenth = {0, 100000000};
    nanosleep(&tenth, NULL);
    kill(pid, SIGSTOP);
    waited("a child in nanosleep(1 s) after 100 ms", pid, WUNTRACED);
    kill(pid, SIGCONT);
    waited("  continued, it exits with nanosleep's errno", pid, 0);
}

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, alt_flags, alt_change;

static int within_alt(volatile char* p) {
    return (uintptr_t)p >= (uintptr_t)altstack &&
           (uintptr_t)p < (uintptr_t)altstack + sizeof altstack;
}

static void alt_probe(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)si, (void)uc;
    volatile char local = 0;
    on_alt = within_alt(&local);
    stack_t now, other = {.ss_sp = altstack, .ss_size = 8192, .ss_flags = 0};
    sigaltstack(NULL, &now);
    alt_flags = now.ss_flags;
    alt_change = sigaltstack(&other, NULL) < 0 ? errno : 0;
}

static void overflow_caught(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    volatile char local = 0;
    _exit(within_alt(&local) ? si->si_code : 10 + si->si_code);
}

static volatile long depth = LONG_MAX;

static long recurse(long n) {
    volatile char pad[1024];
    pad[0] = (char)n;
    if (--depth == 0) return 0;
    return recurse(n + 1) + pad[0];
}

// SA_ONSTACK handlers run on the alternate stack (SS_ONSTACK while there, which cannot then be
// changed: EPERM); a stack overflow can be handled only there.
static void altstacks(void) {
    stack_t now, ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(NULL, &now);
    yes("before: SS_DISABLE", now.ss_flags == SS_DISABLE);
    ok("sigaltstack of 64 KiB", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &now);
    printf("  ss_flags %d, ss_size read back %s\n", now.ss_flags,
           YN(now.ss_size == sizeof altstack));
    on(SIGUSR1, alt_probe, NULL, SA_ONSTACK, 0);
    on(SIGUSR2, alt_probe, NULL, 0, 0);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler: on the alternate stack %s, SS_ONSTACK %s, changing it %s\n",
           YN(on_alt), YN(alt_flags & SS_ONSTACK), alt_change ? strerrorname_np(alt_change) : "ok");
    raise(SIGUSR2);
    printf("handler without SA_ONSTACK: on the alternate stack %s, ss_flags %d\n", YN(on_alt),
           alt_flags);
    sigaltstack(NULL, &now);
    val("after: ss_flags", now.ss_flags);
    for (int alternate = 1; alternate >= 0; alternate--) {
        const pid_t pid = child();
        if (pid == 0) {
            on(SIGSEGV, overflow_caught, NULL, alternate ? SA_ONSTACK : 0, 0);
            _exit(99 + (int)recurse(0));
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) < 10)
            printf("a stack overflow, the handler on the alternate stack gets %s\n",
                   code_name(SIGSEGV, WEXITSTATUS(st)));
        else
            status(alternate ? "a stack overflow, SA_ONSTACK" : "a stack overflow, no SA_ONSTACK",
                   st);
    }
}

static void pause_forever(void) {
    for (;;) pause();
}

// kill(-pgid) reaches every process of the group; kill(0) the caller's own group (each section
// runs in a group of its own).
static void groups(void) {
    pid_t kids[3], pgid = 0;
    for (int i = 0; i < 3; i++) {
        kids[i] = child();
        if (kids[i] == 0) setpgid(0, pgid), pause_forever();
        if (i == 0) pgid = kids[0];
        setpgid(kids[i], pgid);
    }
    yes("3 children in a new group: getpgid of the third is the first", getpgid(kids[2]) == pgid);
    ok("kill(-pgid, SIGTERM)", kill(-pgid, SIGTERM));
    for (int i = 0; i < 3; i++) waited("  a child", kids[i], 0);
    fails("kill(-pgid, 0) after", kill(-pgid, 0));
    on(SIGUSR1, record, NULL, 0, 0);
    mask(SIG_BLOCK, SIGUSR1);
    const pid_t pid = child();
    if (pid == 0) {
        const sigset_t none = only(0);
        if (!runs) sigsuspend(&none);
        _exit(runs);
    }
    ok("kill(0, SIGUSR1)", kill(0, SIGUSR1));
    mask(SIG_UNBLOCK, SIGUSR1);
    print_info("  here");
    waited("  the child, exiting with its handler's runs", pid, 0);
}

// setsid makes a new session and group led by the caller (not a group leader already);
// setpgid cannot move a session leader, nor into another session or a group that does not exist.
static void sessions(void) {
    pid_t pid = child();
    if (pid == 0) {
        const pid_t parent_group = getpgid(getppid());
        printf("setsid in a child returns its pid %s, then getsid(0) %s, getpgrp() %s\n",
               YN(setsid() == getpid()), YN(getsid(0) == getpid()), YN(getpgrp() == getpid()));
        fails("  setsid again", setsid() < 0 ? -1 : 0);
        fails("  setpgid(0, 0)", setpgid(0, 0));
        fails("  setpgid into its parent's group", setpgid(0, parent_group));
        fflush(stdout);
        _exit(0);
    }
    waited("  the child", pid, 0);
    fails("setsid of a group leader", setsid() < 0 ? -1 : 0);
    int p[2];
    pipe(p);
    pid = child();
    if (pid == 0) setsid(), write(p[1], "s", 1), pause_forever();
    char c;
    read(p[0], &c, 1);
    fails("setpgid of a child that is a session leader", setpgid(pid, pid));
    fails("setpgid of it into this group", setpgid(pid, getpgrp()));
    yes("getsid of it is its pid", getsid(pid) == pid);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    const pid_t gone = reaped();
    fails("setpgid of a reaped child", setpgid(gone, 0));
    fails("setpgid into a group that does not exist", setpgid(0, gone));
    fails("setpgid(-1, 0)", setpgid(-1, 0));
    fails("getpgid of a reaped child", getpgid(gone) < 0 ? -1 : 0);
    fails("getsid of a reaped child", getsid(gone) < 0 ? -1 : 0);
}

// The SIGCHLD (blocked) that comes within ms, by its si_code: the time only bounds the wait
// where one is due, or shows that none came.
static const char* sigchld_taken(long ms) {
    const sigset_t set = only(SIGCHLD);
    const struct timespec timeout = {ms / 1000, ms % 1000 * 1000000};
    siginfo_t si;
    if (sigtimedwait_raw(&set, &si, &timeout) != SIGCHLD) return "none";
    return code_name(SIGCHLD, si.si_code);
}

// SIGCHLD ignored, or SA_NOCLDWAIT: children are reaped as they exit, wait fails ECHILD (a
// handler with SA_NOCLDWAIT still runs). SA_NOCLDSTOP: no SIGCHLD for a stop or a continue.
static void child_dispositions(void) {
    on(SIGCHLD, NULL, SIG_IGN, 0, 0);
    pid_t pid = child();
    if (pid == 0) _exit(0);
    fails("wait with SIGCHLD ignored", wait(NULL) < 0 ? -1 : 0);
    on(SIGCHLD, record, NULL, SA_NOCLDWAIT | SA_RESTART, 0);
    pid = child();
    if (pid == 0) _exit(0);
    fails("wait with SA_NOCLDWAIT", wait(NULL) < 0 ? -1 : 0);
    val("  the handler ran", runs);
    mask(SIG_BLOCK, SIGCHLD);  // from here on taken by sigchld_taken
    for (int nocldstop = 1; nocldstop >= 0; nocldstop--) {
        on(SIGCHLD, record, NULL, nocldstop ? SA_NOCLDSTOP : 0, 0);
        pid = child();
        if (pid == 0) _exit(stop_until_told(SIGSTOP) ? 0 : 1);  // the continue comes alone
        waited(nocldstop ? "SA_NOCLDSTOP, a child" : "without SA_NOCLDSTOP, a child", pid,
               WUNTRACED);
        printf("  SIGCHLD for the stop: %s\n", sigchld_taken(nocldstop ? 200 : 2000));
        kill(pid, SIGCONT);
        printf("  SIGCHLD for the continue: %s\n", sigchld_taken(nocldstop ? 200 : 2000));
        kill(pid, SIGUSR1);
        waited("  then it exits", pid, 0);
        printf("  SIGCHLD for the exit: %s\n", sigchld_taken(2000));
    }
}

// The kernel's own checks, with glibc out of the way where it checks first.
static void errors(void) {
    char old[64];
    sigset_t set;
    sigemptyset(&set);
    fails("rt_sigaction of signal 0", syscall(SYS_rt_sigaction, 0, NULL, old, 8));
    fails("rt_sigaction of signal 65", syscall(SYS_rt_sigaction, 65, NULL, old, 8));
    ok("rt_sigaction of signal 64", syscall(SYS_rt_sigaction, 64, NULL, old, 8));
    fails("rt_sigaction with sigsetsize 4", syscall(SYS_rt_sigaction, SIGUSR1, NULL, old, 4));
    fails("kill with signal 65", kill(getpid(), 65));
    fails("kill with signal -1", kill(getpid(), -1));
    ok("kill with signal 0", kill(getpid(), 0));
    const pid_t gone = reaped();
    fails("kill of a reaped child", kill(gone, 0));
    fails("kill of its group", kill(-gone, SIGTERM));
    fails("kill of pid INT_MIN", kill(INT_MIN, 0));
    fails("tgkill with tgid 0", syscall(SYS_tgkill, 0, gettid(), 0));
    fails("tgkill of a reaped child", syscall(SYS_tgkill, gone, gone, 0));
    fails("rt_sigprocmask with sigsetsize 4",
          syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
    fails("rt_sigprocmask with how 99", syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8));
    ok("rt_sigprocmask with how 99 and no set", syscall(SYS_rt_sigprocmask, 99, NULL, old, 8));
    fails("rt_sigpending with sigsetsize 16", syscall(SYS_rt_sigpending, old, 16));
    const struct timespec bad = {0, 2000000000};
    sigaddset(&set, SIGUSR1);
    fails("rt_sigtimedwait with tv_nsec 2e9", syscall(SYS_rt_sigtimedwait, &set, NULL, &bad, 8));
    stack_t small = {.ss_sp = altstack, .ss_size = 1024, .ss_flags = 0};
    fails("sigaltstack of 1024 bytes", sigaltstack(&small, NULL));
    small.ss_size = sizeof altstack, small.ss_flags = 12345;
    fails("sigaltstack with ss_flags 12345", sigaltstack(&small, NULL));
}

static const char* disposition(int sig) {
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return sa.sa_handler == SIG_DFL   ? "SIG_DFL"
           : sa.sa_handler == SIG_IGN ? "SIG_IGN"
                                      : "a handler";
}

static int exec_check(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("  after exec: SIGUSR1 %s, SIGUSR2 %s, SIGCHLD %s\n", disposition(SIGUSR1),
           disposition(SIGUSR2), disposition(SIGCHLD));
    sigset_t sets[2];
    sigprocmask(SIG_BLOCK, NULL, &sets[0]);
    sigpending(&sets[1]);
    for (int i = 0; i < 2; i++) {
        printf(i ? "  pending:" : "  blocked:");
        for (int sig = 1; sig <= 64; sig++)
            if (sigismember(&sets[i], sig)) printf(" %s", signame(sig));
        printf("\n");
    }
    stack_t now;
    sigaltstack(NULL, &now);
    yes("  alternate stack SS_DISABLE", now.ss_flags == SS_DISABLE);
    return 0;
}

// exec resets handled signals to SIG_DFL, keeps ignored ones, the mask and pending signals, and
// forgets the alternate stack.
static void exec_keeps(void) {
    const pid_t pid = child();
    if (pid == 0) {
        on(SIGUSR1, NULL, SIG_IGN, 0, 0);
        on(SIGUSR2, record, NULL, 0, 0);
        on(SIGCHLD, NULL, SIG_IGN, 0, 0);
        mask(SIG_BLOCK, SIGHUP);
        mask(SIG_BLOCK, SIGINT);
        raise(SIGHUP);
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
        sigaltstack(&ss, NULL);
        printf(
            "before exec: SIGUSR1 SIG_IGN, SIGUSR2 a handler, SIGCHLD SIG_IGN, SIGHUP and "
            "SIGINT blocked, SIGHUP pending, an alternate stack\n");
        fflush(stdout);
        char* argv[] = {(char*)self, "exec-check", NULL};
        if (strchr(self, '/')) execv(self, argv);
        argv[0] = "/bin/signals";  // where both initramfs put it
        execv(argv[0], argv);
        printf("exec: %s\n", en());
        fflush(stdout);
        _exit(1);
    }
    waited("  the child", pid, 0);
}

static void run(const char* name, void (*section)(void)) {
    header(name);
    fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) setpgid(0, 0), section(), fflush(stdout), _exit(0);
    setpgid(pid, pid);
    const pid_t dog = fork();
    if (dog == 0) sleep(10), printf("(timed out after 10 s)\n"), kill(-pid, SIGKILL), _exit(0);
    int st = 0;
    waitpid(pid, &st, 0);
    kill(dog, SIGKILL);
    waitpid(dog, NULL, 0);
    kill(-pid, SIGKILL);  // what it left behind
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) status("(the section)", st);
}

int main(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "exec-check") == 0) return exec_check();
    setvbuf(stdout, NULL, _IOLBF, 0);
    self = argc > 0 ? argv[0] : "/bin/signals";
    struct rlimit core;
    getrlimit(RLIMIT_CORE, &core);
    core.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &core);
    run("siginfo", siginfo_fields);
    run("blocking and pending", blocking);
    run("nesting and sa_mask", nesting);
    run("the mask in a handler", handler_mask);
    run("SA_RESETHAND", resethand);
    run("floating-point registers across a handler", fp_registers);
    run("SIGCHLD", sigchld);
    run("default actions", default_actions);
    run("SIGKILL and SIGSTOP", unstoppable);
    run("SIGPIPE", sigpipe);
    run("SIGSEGV and siglongjmp", segv);
    run("a handler moves the pc", moving_pc);
    run("alarm and SA_RESTART", restart);
    run("ITIMER_REAL", itimer);
    run("sigsuspend", suspend);
    run("sigtimedwait", timedwait);
    run("nanosleep", sleeping);
    run("sigaltstack", altstacks);
    run("process groups", groups);
    run("setsid and setpgid", sessions);
    run("SIGCHLD ignored, SA_NOCLDWAIT, SA_NOCLDSTOP", child_dispositions);
    run("errors", errors);
    run("exec", exec_keeps);
    return 0;
}
