// SPDX-License-Identifier: MIT
// sysbench: instructions (instret: exact under QEMU -icount) for a syscall round trip (getpid,
// from ecall to back in the program) and for fork + exit + wait4 of a child that exits at once.
// The fewest over several rounds is kept. Run it on one hart: instret counts that hart only.
#include "keel.h"

#define SYS_clone 220
#define SYS_wait4 260

static inline unsigned long instret(void) {
    unsigned long value;
    __asm__ volatile("rdinstret %0" : "=r"(value)::"memory");
    return value;
}

int main(void) {
    unsigned long best = ~0ul;
    for (int round = 0; round < 64; ++round) {
        const unsigned long before = instret();
        getpid();
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    print("sysbench: getpid round trip ");
    print_number((long)best);
    print(" instructions\n");
    best = ~0ul;
    for (int round = 0; round < 8; ++round) {
        const unsigned long before = instret();
        const long pid = syscall6(SYS_clone, 17 /* SIGCHLD */, 0, 0, 0, 0, 0);
        if (pid == 0) exit(0);
        int status;
        syscall6(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    print("sysbench: fork+exit+wait ");
    print_number((long)best);
    print(" instructions\n");
    return 0;
}
