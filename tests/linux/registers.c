// SPDX-License-Identifier: MIT
// Every register a program has comes back from a trap as it was, but a0 from a system call (its
// result): x1 and x5-x31 (gp, tp and sp aside: glibc lives on them) and f0-f31, each set to a
// value of its own just before the trap and compared just after. The traps: calls that keel's lean
// path serves (getpid, sched_yield), one it hands to the full path at once (an unknown number),
// the first touch of a fresh page, a call whose way back delivers a signal (kill of itself), a
// blocking read a signal cuts short (restarted with SA_RESTART, -EINTR without), and a fork,
// whose child must start with its parent's registers.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

// One trap: the call (number < 0: a store to the address in args[0] instead), then what came back.
struct Probe {
    long number;
    long args[6];
    long result;       // a0 after it
    uint64_t changed;  // bit n: xn came back changed; bit 32 + n: fn
} probe_block;

#define X_SET "1,5,6,7,8,9,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31"  // a6 (x16): no argument
#define F_ALL \
    "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"
#define X_VALUE "0x5a5a000000000000 + \\n * 0x10101"
#define F_VALUE "0x4000000000000000 + \\n * 0x10001"

static void trap(void) {
    __asm__ volatile(
        // f0-f31, then every integer register the trap does not take, to values of their own.
        "li t0, 0x4000000000000000\n"
        ".irp n," F_ALL
        "\nfmv.d.x f\\n, t0\nli t1, 0x10001\nadd t0, t0, t1\n.endr\n"
        ".irp n," X_SET "\nli x\\n, " X_VALUE
        "\n.endr\n"
        "lla a0, probe_block\n"
        "ld a7, 0(a0)\nld a1, 16(a0)\nld a2, 24(a0)\nld a3, 32(a0)\nld a4, 40(a0)\nld a5, 48(a0)\n"
        "ld a0, 8(a0)\n"
        "bltz a7, 1f\n"
        "ecall\n"
        "j 2f\n"
        "1: sd a7, 0(a0)\n"  // the first touch of the page at a0
        // The result on the stack (sp moved past it: a signal's frame goes below), then a7
        // against the number it went in with, with a0 as the scratch register.
        "2: addi sp, sp, -16\n"
        "sd a0, 0(sp)\n"
        "lla a0, probe_block\n"
        "ld a0, 0(a0)\n"
        "xor a0, a0, a7\n"
        "snez a0, a0\n"
        "slli a0, a0, 17\n"  // a0 is the mask from here on, a7 the scratch register
        ".irp n," X_SET "\nli a7, " X_VALUE
        "\nxor a7, a7, x\\n\nsnez a7, a7\nslli a7, a7, \\n\n"
        "or a0, a0, a7\n.endr\n"
        // a1-a5 against the arguments, with t0 and t1 free again.
        "lla t0, probe_block\n"
        ".irp n,11,12,13,14,15\nld t1, (\\n - 9) * 8(t0)\nxor t1, t1, x\\n\nsnez t1, t1\n"
        "slli t1, t1, \\n\nor a0, a0, t1\n.endr\n"
        ".irp n," F_ALL "\nfmv.x.d t1, f\\n\nli t2, " F_VALUE
        "\nxor t1, t1, t2\nsnez t1, t1\n"
        "slli t1, t1, 32 + \\n\nor a0, a0, t1\n.endr\n"
        "ld t1, 0(sp)\n"
        "sd t1, 56(t0)\n"
        "sd a0, 64(t0)\n"
        "addi sp, sp, 16\n" ::
            : "ra", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
              "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
              "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
              "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24",
              "f25", "f26", "f27", "f28", "f29", "f30", "f31", "memory");
}

static void report(const char* what) {
    if (probe_block.changed == 0)
        printf("%s: every register kept\n", what);
    else
        printf("%s: changed %#lx (bit n: xn, bit 32 + n: fn)\n", what,
               (unsigned long)probe_block.changed);
}

// Makes the call (or the touch) and says what came back.
static long run(const char* what, long number, long a0, long a1, long a2) {
    probe_block = (struct Probe){number, {a0, a1, a2, 0x1111, 0x2222, 0x3333}, 0, 0};
    trap();
    report(what);
    return probe_block.result;
}

static int pipe_ends[2];
static volatile int handled;
static void wake_reader(int signal) {
    (void)signal;
    handled = 1;
    if (write(pipe_ends[1], "x", 1) != 1) _exit(2);
}
static void note(int signal) {
    (void)signal;
    handled = 1;
}

// A read of an empty pipe that SIGALRM cuts short 20 ms in; `flags` for the handler's sigaction.
static void interrupted_read(const char* what, void (*handler)(int), int flags) {
    struct sigaction action = {0};
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigaction(SIGALRM, &action, NULL);
    handled = 0;
    const struct itimerval once = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &once, NULL);
    char byte;
    const long result = run(what, SYS_read, pipe_ends[0], (long)&byte, 1);
    printf("  the handler ran: %s, result: %s\n", handled ? "yes" : "no",
           result == 1        ? "1 byte"
           : result == -EINTR ? "EINTR"
                              : "something else");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);  // (a fork below: nothing buffered twice)
    header("registers across traps");
    const long pid = run("getpid", SYS_getpid, 0, 0, 0);
    printf("  it is the pid: %s\n", pid == getpid() ? "yes" : "no");
    run("sched_yield", SYS_sched_yield, 0, 0, 0);
    printf("  an unknown call is ENOSYS: %s\n",
           run("an unknown call", 999, 0, 0, 0) == -ENOSYS ? "yes" : "no");
    char* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    run("the first touch of a fresh page", -1, (long)page, 0, 0);
    printf("  the store is there: %s\n", *(long*)page == -1 ? "yes" : "no");
    munmap(page, 4096);

    signal(SIGUSR1, note);
    handled = 0;
    run("kill of itself, a handler on the way back", SYS_kill, getpid(), SIGUSR1, 0);
    printf("  the handler ran: %s\n", handled ? "yes" : "no");
    if (pipe(pipe_ends) != 0) return 1;
    interrupted_read("a read cut short, SA_RESTART", wake_reader, SA_RESTART);
    interrupted_read("a read cut short, no SA_RESTART", note, 0);

    probe_block = (struct Probe){SYS_clone, {SIGCHLD, 0, 0, 0x1111, 0x2222, 0x3333}, 0, 0};
    trap();
    const long child = probe_block.result;
    if (child == 0) _exit(probe_block.changed == 0 ? 0 : 1);
    report("fork (the parent)");
    int status = 0;
    waitpid((pid_t)child, &status, 0);
    printf("fork (the child): %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "every register kept" : "changed");
    return 0;
}
