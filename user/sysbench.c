// SPDX-License-Identifier: MIT
// sysbench: instructions (instret: exact under QEMU -icount) for a syscall round trip (getpid,
// from ecall to back in the program), for fork + exit + wait4 of a child that exits at once, for
// the first touch of a page of anonymous memory (the page fault, a zeroed page, back), and for
// 1 MiB of anonymous memory mapped, each page written, unmapped, and for clock_gettime both as
// the system call and through the vDSO (__vdso_clock_gettime, found in its dynamic symbols as
// glibc finds it). The fewest over several rounds is kept. Run it on one hart: instret counts
// that hart only.
#include <keel/abi/auxv.h>

#include "keel.h"

#define PAGE 4096ul

static inline unsigned long instret(void) {
    unsigned long value;
    __asm__ volatile("rdinstret %0" : "=r"(value)::"memory");
    return value;
}

// The ELF64 pieces the lookup reads (System V gABI, "Dynamic Section" and "Symbol Table").
struct Elf64Dyn {
    long tag;
    unsigned long value;
};
struct Elf64Sym {
    uint32_t name;
    unsigned char info, other;
    uint16_t section;
    unsigned long value, size;
};
enum { kPtLoad = 1, kPtDynamic = 2, kDtHash = 4, kDtStrtab = 5, kDtSymtab = 6 };

static int same(const char* a, const char* b) {
    while (*a != 0 && *a == *b) ++a, ++b;
    return *a == *b;
}

// A function the vDSO (its ELF header at `base`) defines, by name through DT_HASH's count.
static void* vdso_function(unsigned long base, const char* name) {
    const unsigned long phoff = *(const unsigned long*)(base + 32);  // e_phoff
    const uint16_t phnum = *(const uint16_t*)(base + 56);            // e_phnum
    unsigned long bias = base, dynamic = 0;
    for (uint16_t i = 0; i < phnum; ++i) {
        const uint32_t* phdr = (const uint32_t*)(base + phoff + i * 56ul);
        const unsigned long vaddr = *(const unsigned long*)(phdr + 4);  // p_vaddr
        if (phdr[0] == kPtLoad && *(const unsigned long*)(phdr + 2) == 0) bias = base - vaddr;
        if (phdr[0] == kPtDynamic) dynamic = vaddr;
    }
    const struct Elf64Sym* symbols = 0;
    const char* strings = 0;
    const uint32_t* hash = 0;
    for (const struct Elf64Dyn* d = (const void*)(bias + dynamic); dynamic && d->tag; ++d) {
        if (d->tag == kDtSymtab) symbols = (const void*)(bias + d->value);
        if (d->tag == kDtStrtab) strings = (const char*)(bias + d->value);
        if (d->tag == kDtHash) hash = (const void*)(bias + d->value);
    }
    for (uint32_t i = 0; hash && symbols && strings && i < hash[1]; ++i) {
        if (symbols[i].section != 0 && same(strings + symbols[i].name, name))
            return (void*)(bias + symbols[i].value);
    }
    return 0;
}

// AT_SYSINFO_EHDR from the auxiliary vector, which follows the environment's null.
static unsigned long vdso_base(int argc, char** argv) {
    char** envp = argv + argc + 1;
    while (*envp != 0) ++envp;
    for (const unsigned long* aux = (const unsigned long*)(envp + 1); aux[0] != 0; aux += 2) {
        if (aux[0] == AT_SYSINFO_EHDR) return aux[1];
    }
    return 0;
}

// clock_gettime(CLOCK_MONOTONIC), by the system call and by the vDSO.
static void bench_clock_gettime(int argc, char** argv) {
    struct timespec now;
    unsigned long best = ~0ul;
    for (int round = 0; round < 64; ++round) {
        const unsigned long before = instret();
        syscall6(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&now, 0, 0, 0, 0);
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    printf("sysbench: clock_gettime syscall %lu instructions\n", best);
    long (*gettime)(long, struct timespec*) = 0;
    const unsigned long base = vdso_base(argc, argv);
    if (base != 0) gettime = vdso_function(base, "__vdso_clock_gettime");
    if (gettime == 0) {
        print("sysbench: no __vdso_clock_gettime\n");
        return;
    }
    best = ~0ul;
    for (int round = 0; round < 64; ++round) {
        const unsigned long before = instret();
        gettime(CLOCK_MONOTONIC, &now);
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    printf("sysbench: clock_gettime vdso %lu instructions\n", best);
}

int main(int argc, char** argv) {
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
    bench_clock_gettime(argc, argv);
    return 0;
}
