// SPDX-License-Identifier: MIT
// keel's user runtime: Linux RISC-V syscalls (number in a7, arguments in a0-a5, result or -errno
// in a0) and a few helpers. No libc: programs include this and link crt0.S and lib.c.
#pragma once
#include <keel/abi/dirent.h>
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/mman.h>
#include <keel/abi/poll.h>
#include <keel/abi/random.h>
#include <keel/abi/resource.h>
#include <keel/abi/sched.h>
#include <keel/abi/signal.h>
#include <keel/abi/stat.h>
#include <keel/abi/syscalls.h>
#include <keel/abi/time.h>
#include <keel/abi/uio.h>
#include <keel/abi/utsname.h>
#include <keel/abi/wait.h>
#include <stddef.h>
#include <stdint.h>
// The rest of include/keel/abi (termios.h, ioctl.h, auxv.h, prctl.h, ...) a program includes
// itself.

typedef long ssize_t;
typedef int32_t pid_t;
typedef uint32_t mode_t;
typedef int64_t off_t;

// The one way into the kernel: call number n with six arguments (unused ones 0).
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

// The wrappers return what the kernel returns: the result, or -errno (-ENOENT...). There is no
// errno variable: test `if (fd < 0)` and compare with -E... .

// Files. open's mode (permissions for a new file) is read only with O_CREAT or O_TMPFILE.
int open(const char* path, int flags, ...);
static inline int openat(int directory, const char* path, int flags, mode_t mode) {
    return (int)syscall6(SYS_openat, directory, (long)path, flags, mode, 0, 0);
}
static inline ssize_t read(int fd, void* buffer, size_t size) {
    return syscall6(SYS_read, fd, (long)buffer, (long)size, 0, 0, 0);
}
static inline ssize_t write(int fd, const void* buffer, size_t size) {
    return syscall6(SYS_write, fd, (long)buffer, (long)size, 0, 0, 0);
}
static inline int close(int fd) {
    return (int)syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
}
// lseek(fd, offset, SEEK_SET/SEEK_CUR/SEEK_END): the new offset.
static inline off_t lseek(int fd, off_t offset, int whence) {
    return syscall6(SYS_lseek, fd, offset, whence, 0, 0, 0);
}
// pipe: fds[0] reads what fds[1] writes. pipe2 takes O_CLOEXEC and O_NONBLOCK.
static inline int pipe2(int fds[2], int flags) {
    return (int)syscall6(SYS_pipe2, (long)fds, flags, 0, 0, 0, 0);
}
static inline int pipe(int fds[2]) {
    return pipe2(fds, 0);
}
// dup: the lowest free descriptor, for the same open file. dup2: that file at `to` too, closing
// what `to` was (riscv64 has only dup3, which refuses from == to; dup2 then just checks `from`).
static inline int dup(int fd) {
    return (int)syscall6(SYS_dup, fd, 0, 0, 0, 0, 0);
}
static inline int dup2(int from, int to) {
    if (from == to) {
        const long flags = syscall6(SYS_fcntl, from, F_GETFD, 0, 0, 0, 0);
        return flags < 0 ? (int)flags : to;
    }
    return (int)syscall6(SYS_dup3, from, to, 0, 0, 0, 0);
}
static inline int mkdir(const char* path, mode_t mode) {
    return (int)syscall6(SYS_mkdirat, AT_FDCWD, (long)path, mode, 0, 0, 0);
}
static inline int unlink(const char* path) {
    return (int)syscall6(SYS_unlinkat, AT_FDCWD, (long)path, 0, 0, 0, 0);
}
static inline int chdir(const char* path) {
    return (int)syscall6(SYS_chdir, (long)path, 0, 0, 0, 0, 0);
}
// getcwd: the length of the path written, its NUL included.
static inline long getcwd(char* buffer, size_t size) {
    return syscall6(SYS_getcwd, (long)buffer, (long)size, 0, 0, 0, 0);
}

// Processes.
__attribute__((noreturn)) static inline void exit(int status) {
    syscall6(SYS_exit_group, status, 0, 0, 0, 0, 0);
    for (;;) {
    }
}
static inline pid_t getpid(void) {
    return (pid_t)syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
}
// The decimal number at the start of `text` (0 without one): the programs' arguments.
static inline long parse_number(const char* text) {
    long value = 0;
    while (*text >= '0' && *text <= '9') value = value * 10 + (*text++ - '0');
    return value;
}
static inline pid_t setsid(void) {
    return (pid_t)syscall6(SYS_setsid, 0, 0, 0, 0, 0, 0);
}
static inline pid_t getppid(void) {
    return (pid_t)syscall6(SYS_getppid, 0, 0, 0, 0, 0, 0);
}
// fork: clone with fork's flags. 0 in the child, the child's pid in the parent.
static inline pid_t fork(void) {
    return (pid_t)syscall6(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
}
// execve only returns when it fails.
static inline int execve(const char* path, char* const argv[], char* const envp[]) {
    return (int)syscall6(SYS_execve, (long)path, (long)argv, (long)envp, 0, 0, 0);
}
// waitpid(pid, or -1 for any child; &status, decoded by WIFEXITED, WEXITSTATUS...; WNOHANG or 0):
// the pid of the child that ended.
static inline pid_t waitpid(pid_t pid, int* status, int options) {
    return (pid_t)syscall6(SYS_wait4, pid, (long)status, options, 0, 0, 0);
}
static inline pid_t wait(int* status) {
    return waitpid(-1, status, 0);
}
static inline int kill(pid_t pid, int signal) {
    return (int)syscall6(SYS_kill, pid, signal, 0, 0, 0, 0);
}

// Memory. mmap returns the address, or -errno as a pointer: test `(long)p < 0`.
static inline void* mmap(void* address, size_t length, int protection, int flags, int fd,
                         off_t offset) {
    return (void*)syscall6(SYS_mmap, (long)address, (long)length, protection, flags, fd, offset);
}
static inline int munmap(void* address, size_t length) {
    return (int)syscall6(SYS_munmap, (long)address, (long)length, 0, 0, 0, 0);
}

// Time. nanosleep sleeps *duration; sleep_ms is the same in milliseconds.
static inline int nanosleep(const struct timespec* duration, struct timespec* left) {
    return (int)syscall6(SYS_nanosleep, (long)duration, (long)left, 0, 0, 0, 0);
}
static inline int sleep_ms(long milliseconds) {
    const struct timespec duration = {milliseconds / 1000, milliseconds % 1000 * 1000000};
    return nanosleep(&duration, 0);
}

size_t strlen(const char* text);
// print: writes a string to stdout; print_number: a signed decimal.
void print(const char* text);
void print_number(long value);
// Linux's words for errno `error` (positive, or the negative a wrapper returned), as glibc's
// strerror has them: "No such file or directory". Unknown ones: "Unknown error".
const char* error_text(long error);
// "PROGRAM: WHAT: Error text" and a newline on stderr, as Linux's tools say why they failed.
void print_error(const char* program, const char* what, long error);
// A small printf to stdout: %d %i %u %x %X %o %c %s %p %%, with l, ll or z for long and size_t,
// a field width (%5d, or * from an int argument) and the flags - (left-justify) and 0 (pad with
// zeros): "%-8s", "%08lx". No precision and no floating point. Returns the bytes written. The
// compiler checks each call's arguments against its format.
__attribute__((format(printf, 1, 2))) int printf(const char* format, ...);
// For test programs: check() counts a result that is what it should be, and prints
// "PROGRAM: FAIL WHAT: got G, want W" for one that is not; checks_passed/failed say how many.
void check(const char* program, const char* what, long got, long want);
int checks_passed(void);
int checks_failed(void);
// malloc over brk: blocks from the heap's end, 16-byte aligned; free gives back only the last
// one (enough for the programs here). NULL when brk refuses.
void* malloc(size_t size);
void free(void* block);
