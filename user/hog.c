// SPDX-License-Identifier: MIT
// hog [syscall|hold]: takes memory until there is none. It forks a child that sleeps 2 s (in a
// session of its own: hog's end hangs up hog's) and then says it is still there; the parent maps
// 64 GiB (MAP_NORESERVE: a promise of nothing) and writes to every page of it (or, with "syscall",
// has getrandom write into all of it in one call), so that the kernel runs out of pages and must
// kill it, and only it. The parent waits until the child has written its stack (a fork shares
// memory copy-on-write: the child's first writes take pages, which must not come after the parent
// has taken them all).
// hog hold: takes every free page with MAP_POPULATE (which stops short, without a kill, when the
// pages run out) and keeps them until it is killed: the kernel's own work must then cope with an
// allocator that has nothing to give.
#include <keel/abi/sysinfo.h>

#include "keel.h"

__attribute__((noreturn)) static void hold(void) {
    const unsigned long chunk = 1ul << 20;
    unsigned long chunks = 0;
    struct sysinfo info;
    for (;;) {
        void* memory = mmap(0, chunk, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if ((long)memory < 0) break;
        ++chunks;
        if (syscall6(SYS_sysinfo, (long)&info, 0, 0, 0, 0, 0) != 0 || info.freeram == 0) break;
    }
    printf("hog: holding every page (%lu MiB mapped); kill it to give them back\n", chunks);
    for (;;) sleep_ms(1000000);
}

int main(int argc, char** argv) {
    if (argc > 1 && argv[1][0] == 'h') hold();
    int ready[2];
    const int piped = pipe(ready);
    if (piped != 0) {
        print_error("hog", "pipe", piped);
        return 1;
    }
    const pid_t child = fork();
    if (child == 0) {
        setsid();
        if (write(ready[1], "r", 1) != 1) return 1;
        sleep_ms(2000);
        print("hog's child: still here\n");
        exit(0);
    }
    char byte;
    if (read(ready[0], &byte, 1) != 1) {
        print("hog: the child never said it was ready\n");
        return 1;
    }
    const unsigned long size = 64ul << 30;
    char* memory =
        mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if ((long)memory < 0) {
        printf("hog: mmap refused: %ld\n", (long)memory);
        return 1;
    }
    print("hog: taking every page\n");
    if (argc > 1 && argv[1][0] == 's') {
        const long got = syscall6(SYS_getrandom, (long)memory, (long)size, 0, 0, 0, 0);
        printf("hog: getrandom returned %ld\n", got);
    }
    for (unsigned long at = 0; at < size; at += 4096) memory[at] = 1;
    print("hog: the memory never ran out\n");
    return 1;
}
