// SPDX-License-Identifier: MIT
// exec-true: instructions (instret: exact under QEMU -icount, one hart) for a fork, an execve of a
// static glibc program that does nothing (glibc-true) in the child, and the parent's wait for it:
// what a shell pays to run a command. The fewest over several rounds is kept. Linux 6.12 on the
// same QEMU: 483k (../shared/PLATFORM.md). Built with riscv64-linux-gnu-gcc -static, as the
// differential tests are, and put beside them (build/linux/initrd.cpio).
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static inline unsigned long instret(void) {
    unsigned long value;
    __asm__ volatile("rdinstret %0" : "=r"(value)::"memory");
    return value;
}

int main(int argc, char** argv) {
    const char* program = argc > 1 ? argv[1] : "/bin/glibc-true";
    char* const child_argv[] = {(char*)program, NULL};
    char* const child_envp[] = {NULL};
    unsigned long best = ~0ul;
    for (int round = 0; round < 8; ++round) {
        const unsigned long before = instret();
        const pid_t pid = fork();
        if (pid == 0) {
            execve(program, child_argv, child_envp);
            _exit(127);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            printf("exec-true: %s did not run\n", program);
            return 1;
        }
        const unsigned long spent = instret() - before;
        if (spent < best) best = spent;
    }
    printf("exec-true: fork+execve+wait %lu instructions\n", best);
    return 0;
}
