// SPDX-License-Identifier: MIT
// sysbench: instructions (instret: exact under QEMU -icount) for a syscall round trip (getpid,
// from ecall to back in the program), for fork + exit + wait4 of a child that exits at once, for
// the first touch of a page of anonymous memory (the page fault, a zeroed page, back), and for
// 1 MiB of anonymous memory mapped, each page written, unmapped. The fewest over several rounds is
// kept. Run it on one hart: instret counts that hart only.
#include "keel.h"

#define PAGE 4096ul

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
        const long pid = fork();
        if (pid == 0) exit(0);
        int status;
        waitpid(pid, &status, 0);
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    print("sysbench: fork+exit+wait ");
    print_number((long)best);
    print(" instructions\n");

    const unsigned long pages = 64;
    char* area = mmap(0, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    best = ~0ul;
    for (unsigned long page = 0; page < pages; ++page) {
        const unsigned long before = instret();
        area[page * PAGE] = 1;
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    munmap(area, pages * PAGE);
    print("sysbench: first-touch fault ");
    print_number((long)best);
    print(" instructions\n");

    best = ~0ul;
    for (int round = 0; round < 4; ++round) {
        const unsigned long before = instret();
        char* mib = mmap(0, 1ul << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (unsigned long at = 0; at < (1ul << 20); at += PAGE) mib[at] = 1;
        munmap(mib, 1ul << 20);
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    print("sysbench: 1 MiB map+touch+unmap ");
    print_number((long)best);
    print(" instructions\n");
    return 0;
}
