// SPDX-License-Identifier: MIT
// sysfuzz [N] [SEED]: N syscalls (default 20000) with random numbers and random arguments:
// small and huge values, null, user and kernel addresses, addresses in and around its own
// memory. Calls that would end or replace it (exit, exit_group, execve, the signal senders, an
// alarm, rt_sigreturn's registers, a handler at a random address) or take away its own code and
// data (munmap, mprotect: usertests checks those) are skipped, and clone only ever
// forks a child that exits at once. So are the calls that could wait for ever, as they would on
// Linux (reading the console or a pipe it holds both ends of, a poll without end), and the ones
// that make or remove names (what they made would outlive the program; openat loses O_CREAT).
// Whatever the arguments, keel must answer each call with a value or -errno and go on: the
// program prints how many calls it made. (It may hurt itself: a call told to write into its own
// stack does so. Only the kernel must not care.)
#include "keel.h"

static unsigned long state = 0x9e3779b97f4a7c15ul;

static unsigned long next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static char scratch[8192];

static long argument(void) {
    switch (next() % 10) {
    case 0: return 0;
    case 1: return (long)(next() % 64);
    case 2: return -(long)(next() % 64);
    case 3: return (long)next();
    case 4: return (long)(0xffffffff80200000ul + next() % 0x200000);  // the kernel's image
    case 5: return (long)(scratch + next() % sizeof scratch);
    case 6: return (long)(scratch + sizeof scratch - 8 + next() % 16);  // across its end
    case 7: return 0x4000000000 - (long)(next() % 0x20000);             // the stack, up to the top
    case 8:  // kernel task stacks, or RAM in the kernel's direct map
        return (long)((next() % 2 ? 0xffffffe000000000ul : 0xffffffc080000000ul) +
                      next() % 0x100000);
    default: return (long)(next() % 0x100000000ul);
    }
}

static int skipped(long number) {
    static const long skip[] = {
        SYS_exit,
        SYS_exit_group,
        SYS_execve,
        SYS_kill,
        SYS_munmap,
        SYS_mprotect,  // its end
        SYS_nanosleep,
        SYS_clock_nanosleep,
        SYS_pselect6,
        SYS_ppoll,  // time
        SYS_dup,
        SYS_dup3,
        SYS_fcntl,
        SYS_pipe2,
        SYS_readv,
        SYS_preadv,  // waits
        SYS_sendfile,
        SYS_splice,
        SYS_tee,
        SYS_mknodat,
        SYS_mkdirat,
        SYS_unlinkat,  // names
        SYS_symlinkat,
        SYS_linkat,
        SYS_renameat2,
        SYS_truncate,
        SYS_ftruncate,
        SYS_tkill,
        SYS_tgkill,
        SYS_rt_sigqueueinfo,
        SYS_setitimer,
        SYS_rt_sigreturn,  // signals
        SYS_rt_sigaction,
        SYS_rt_sigsuspend,
        SYS_rt_sigtimedwait,
    };
    for (unsigned i = 0; i < sizeof skip / sizeof skip[0]; ++i) {
        if (skip[i] == number) return 1;
    }
    return 0;
}

int main(int argc, char** argv) {
    const long calls = argc > 1 ? parse_number(argv[1]) : 20000;
    if (argc > 2) state ^= (unsigned long)parse_number(argv[2]) * 0x2545f4914f6cdd1dul;
    long errors = 0;
    for (long i = 0; i < calls; ++i) {
        long number = (long)(next() % 300);  // 0-299: every call up to kexec_file_load (294)
        if (skipped(number)) continue;
        if (number == SYS_brk && next() % 2 == 0) continue;  // not too often, memory stays
        if (number == SYS_read && next() % 4 != 0) number = SYS_getpid;  // read may wait for a key
        if (number == SYS_clone) {  // only a fork whose child exits at once
            const pid_t child = fork();
            if (child == 0) exit(0);
            int status;
            waitpid(child, &status, 0);
            continue;
        }
        long a[6];
        for (int k = 0; k < 6; ++k) a[k] = argument();
        if (number == SYS_read && a[0] >= 0 && a[0] <= 2) a[0] = 99;         // never wait for a key
        if (number == SYS_close && a[0] >= 0 && a[0] <= 2) continue;         // the console stays
        if (number == SYS_openat) a[2] &= ~(O_CREAT | O_TRUNC | 020000000);  // nor O_TMPFILE
        if (number == SYS_mmap) a[1] &= 0xffffff;  // mappings of sane lengths
        const long result = syscall6(number, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (result < 0 && result > -4096) ++errors;  // -errno, not an address
    }
    printf("sysfuzz: %ld calls made, %ld refused with -errno; the kernel is still here\n", calls,
           errors);
    exit(0);  // not through main's return: a call may have written over its own stack
}
