// SPDX-License-Identifier: MIT
// keel's user runtime: Linux RISC-V syscalls (number in a7, arguments in a0-a5, result or -errno
// in a0) and a few helpers. No libc: programs include this and link crt0.S and lib.c.
#pragma once

typedef unsigned long size_t;
typedef long ssize_t;

static inline long syscall6(long n, long a, long b, long c, long d, long e, long f) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(a0)
                     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                     : "memory");
    return a0;
}

#define SYS_openat 56
#define SYS_close 57
#define SYS_lseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94
#define SYS_getpid 172
#define SYS_getppid 173
#define SYS_brk 214
#define SYS_munmap 215
#define SYS_clone 220
#define SYS_execve 221
#define SYS_wait4 260
#define SIGCHLD 17

static inline ssize_t write(int fd, const void* buffer, size_t size) {
    return syscall6(SYS_write, fd, (long)buffer, (long)size, 0, 0, 0);
}
__attribute__((noreturn)) static inline void exit(int status) {
    syscall6(SYS_exit_group, status, 0, 0, 0, 0, 0);
    for (;;) {
    }
}
static inline long getpid(void) {
    return syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
}
// fork(): clone with fork's flags. 0 in the child, the child's pid (or -errno) in the parent.
static inline long fork(void) {
    return syscall6(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
}
// Only returns on failure, with -errno.
static inline long execve(const char* path, char* const argv[], char* const envp[]) {
    return syscall6(SYS_execve, (long)path, (long)argv, (long)envp, 0, 0, 0);
}
// waitpid(pid or -1, &status, options): the child's pid, or -errno.
static inline long waitpid(long pid, int* status, int options) {
    return syscall6(SYS_wait4, pid, (long)status, options, 0, 0, 0);
}

size_t strlen(const char* text);
// print: writes a string to stdout; print_number: a signed decimal.
void print(const char* text);
void print_number(long value);
// A tiny printf to stdout: %s %c %d %ld %u %lu %x %lx %p %%, nothing else (no widths).
int printf(const char* format, ...);
// For test programs: check() counts a result that is what it should be, and prints
// "PROGRAM: FAIL WHAT: got G, want W" for one that is not; checks_passed/failed say how many.
void check(const char* program, const char* what, long got, long want);
int checks_passed(void);
int checks_failed(void);
// malloc over brk: blocks from the heap's end, 16-byte aligned; free gives back only the last
// one (enough for the programs here). NULL when brk refuses.
void* malloc(size_t size);
void free(void* block);
