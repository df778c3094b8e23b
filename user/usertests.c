// SPDX-License-Identifier: MIT
// usertests: the syscall edge cases keel promises, checked from user mode: bad pointers get
// -EFAULT, bad fds -EBADF, unknown numbers -ENOSYS, brk moves and refuses, files of the
// initramfs open, read, seek and stat, missing ones do not. Ends "usertests: N passed, M failed".
#include "keel.h"

static void test(const char* what, long got, long want) {
    check("usertests", what, got, want);
}

#define EFAULT 14
#define EBADF 9
#define ENOENT 2
#define ENOSYS 38
#define EROFS 30
#define EINVAL 22
#define ENOEXEC 8
#define ECHILD 10
#define SYS_mmap 222
#define SYS_kill 129
#define ENOMEM 12
#define ESRCH 3
#define SYS_nanosleep 101
#define SYS_clock_gettime 113
#define SYS_clock_nanosleep 115
#define SYS_writev 66
#define SYS_mprotect 226
#define SYS_getdents64 61
#define SYS_clock_getres 114
#define ENOTDIR 20
#define EOPNOTSUPP 95
#define SIGKILL 9

int main(void) {
    char buffer[128];
    test("write from a null pointer", write(1, 0, 5), -EFAULT);
    test("write from kernel memory", write(1, (void*)0x80200000, 5), -EFAULT);
    test("write to fd 7", write(7, "x", 1), -EBADF);
    test("write of a length past user memory", write(1, "x", 0x7fffffffffffffffL), -EFAULT);
    test("getdents64 on the console", syscall6(SYS_getdents64, 1, (long)buffer, sizeof buffer, 0, 0, 0), -ENOTDIR);
    test("read into kernel memory", syscall6(SYS_read, 0, 0x80200000, 16, 0, 0, 0), -EFAULT);
    test("an unknown syscall", syscall6(999, 0, 0, 0, 0, 0, 0), -ENOSYS);
    test("another, logged with it", syscall6(5000, 0, 0, 0, 0, 0, 0), -ENOSYS);
    test("and another", syscall6(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
    test("close of a bad fd", syscall6(SYS_close, 99, 0, 0, 0, 0, 0), -EBADF);
    test("getpid", getpid() > 0, 1);

    const long start = syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
    test("brk grows by 64 KiB", syscall6(SYS_brk, start + 65536, 0, 0, 0, 0, 0), start + 65536);
    char* heap = (char*)start;
    heap[0] = 1;
    heap[65535] = 2;  // both ends are usable
    test("brk refuses to go below its start", syscall6(SYS_brk, 4096, 0, 0, 0, 0, 0), start + 65536);
    test("brk shrinks back", syscall6(SYS_brk, start, 0, 0, 0, 0, 0), start);
    // The heap starts above the kernel's device pages, so it can grow far (not just to 1 MiB).
    test("brk grows by 8 MiB", syscall6(SYS_brk, start + (8 << 20), 0, 0, 0, 0, 0), start + (8 << 20));
    heap[(8 << 20) - 1] = 3;
    test("and shrinks back", syscall6(SYS_brk, start, 0, 0, 0, 0, 0), start);

    const long fd = syscall6(SYS_openat, -100, (long)"/etc/motd", 0, 0, 0, 0);
    test("open /etc/motd", fd >= 3, 1);
    const long n = syscall6(SYS_read, fd, (long)buffer, 7, 0, 0, 0);
    test("read 7 bytes of it", n, 7);
    test("which begin 'Welcome'", buffer[0] == 'W' && buffer[6] == 'e', 1);
    test("read into a null pointer", syscall6(SYS_read, fd, 0, 7, 0, 0, 0), -EFAULT);
    test("seek back to 0", syscall6(SYS_lseek, fd, 0, 0, 0, 0, 0), 0);
    test("close it", syscall6(SYS_close, fd, 0, 0, 0, 0, 0), 0);
    test("read after close", syscall6(SYS_read, fd, (long)buffer, 1, 0, 0, 0), -EBADF);
    test("open a missing file", syscall6(SYS_openat, -100, (long)"/nope", 0, 0, 0, 0), -ENOENT);
    test("open for writing", syscall6(SYS_openat, -100, (long)"/etc/motd", 1, 0, 0, 0), -EROFS);
    test("open from a bad path pointer", syscall6(SYS_openat, -100, 8, 0, 0, 0, 0), -EFAULT);
    test("munmap unaligned", syscall6(SYS_munmap, 4097, 4096, 0, 0, 0, 0), -EINVAL);
    test("open of an empty path", syscall6(SYS_openat, -100, (long)"", 0, 0, 0, 0), -ENOENT);
    const long iov[2] = {(long)"x", -1};
    test("writev of a length past SSIZE_MAX", syscall6(SYS_writev, 1, (long)iov, 1, 0, 0, 0), -EINVAL);

    // Times and clocks as Linux checks them.
    const long negative[2] = {-1, 0};
    const long too_many_ns[2] = {0, 1000000000};
    test("nanosleep of a negative time", syscall6(SYS_nanosleep, (long)negative, 0, 0, 0, 0, 0), -EINVAL);
    test("nanosleep of 10^9 ns", syscall6(SYS_nanosleep, (long)too_many_ns, 0, 0, 0, 0, 0), -EINVAL);
    test("clock_nanosleep of a negative time",
         syscall6(SYS_clock_nanosleep, 1, 0, (long)negative, 0, 0, 0), -EINVAL);
    const long now[2] = {0, 0};
    test("clock_nanosleep on clock 99", syscall6(SYS_clock_nanosleep, 99, 0, (long)now, 0, 0, 0), -EINVAL);
    test("clock_nanosleep on CLOCK_MONOTONIC_RAW", syscall6(SYS_clock_nanosleep, 4, 0, (long)now, 0, 0, 0), -EOPNOTSUPP);
    test("clock_gettime of clock 99", syscall6(SYS_clock_gettime, 99, (long)buffer, 0, 0, 0, 0), -EINVAL);
    test("clock_gettime of CLOCK_MONOTONIC", syscall6(SYS_clock_gettime, 1, (long)buffer, 0, 0, 0, 0), 0);
    long resolution[2] = {-1, -1};
    test("clock_getres", syscall6(SYS_clock_getres, 1, (long)resolution, 0, 0, 0, 0), 0);
    test("a resolution under a millisecond", resolution[0] == 0 && resolution[1] > 0 && resolution[1] < 1000000, 1);

    // malloc over brk: two blocks apart, writable, the heap given back by free.
    char* a = malloc(100);
    char* b = malloc(5000);
    test("malloc gives two blocks", a != 0 && b != 0 && b >= a + 100, 1);
    b[4999] = 'x';
    free(b);

    // execve that cannot happen leaves the caller as it was.
    char* args[] = {"nope", 0};
    test("execve of a missing file", syscall6(SYS_execve, (long)"/bin/nope", (long)args, 0, 0, 0, 0), -ENOENT);
    test("execve of a file that is no ELF", syscall6(SYS_execve, (long)"/etc/motd", (long)args, 0, 0, 0, 0), -ENOEXEC);
    test("execve from a bad path pointer", syscall6(SYS_execve, 16, (long)args, 0, 0, 0, 0), -EFAULT);
    test("execve of an empty path", syscall6(SYS_execve, (long)"", (long)args, 0, 0, 0, 0), -ENOENT);

    // fork, exit statuses, and a child's fault that does not touch its parent.
    const long child = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
    if (child == 0) exit(7);
    int status = 0;
    test("wait4 returns the child", syscall6(SYS_wait4, child, (long)&status, 0, 0, 0, 0), child);
    test("its exit status", status, 7 << 8);
    const long faulty = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
    if (faulty == 0) {
        *(volatile char*)0 = 1;
        exit(0);
    }
    test("wait4 on a faulting child", syscall6(SYS_wait4, faulty, (long)&status, 0, 0, 0, 0), faulty);
    test("it died of SIGSEGV", status, 11);
    test("thread-making clone flags are refused", syscall6(SYS_clone, 0x100 | 17, 0, 0, 0, 0, 0), -EINVAL);
    test("wait4 with unknown options", syscall6(SYS_wait4, -1, (long)&status, 0x100, 0, 0, 0), -EINVAL);
    const long sleeper = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
    if (sleeper == 0) exit(0);
    test("wait4 for __WCLONE children only", syscall6(SYS_wait4, -1, (long)&status, 0x80000000, 0, 0, 0), -ECHILD);
    test("then for it", syscall6(SYS_wait4, sleeper, (long)&status, 0, 0, 0, 0), sleeper);
    test("no children left", syscall6(SYS_wait4, -1, (long)&status, 0, 0, 0, 0), -ECHILD);

    // mmap cannot reach past user space (256 GiB); 2 GiB read-only is no promise of memory.
    test("mmap of 512 GiB", syscall6(SYS_mmap, 0, 0x8000000000, 1, 0x22, -1, 0), -ENOMEM);
    const long big = syscall6(SYS_mmap, 0, 0x80000000, 1, 0x22, -1, 0);
    test("mmap of 2 GiB read-only", big > 0 && big % 4096 == 0, 1);
    test("reads as zeros", ((volatile char*)big)[0x7fffffff], 0);
    test("munmap of it", syscall6(SYS_munmap, big, 0x80000000, 0, 0, 0, 0), 0);
    const long mapped = syscall6(SYS_mmap, 0, 8192, 3, 0x22, -1, 0);
    test("mmap of 8 KiB", mapped > 0 && mapped % 4096 == 0, 1);
    ((char*)mapped)[8191] = 1;
    test("munmap of it", syscall6(SYS_munmap, mapped, 8192, 0, 0, 0, 0), 0);
    // As Linux: mmap ignores PROT bits it does not know; mprotect refuses them.
    const long odd = syscall6(SYS_mmap, 0, 4096, 0xf8 | 1, 0x22, -1, 0);
    test("mmap with unknown PROT bits", odd > 0 && odd % 4096 == 0, 1);
    test("mprotect with unknown PROT bits", syscall6(SYS_mprotect, odd, 4096, 0xf8, 0, 0, 0), -EINVAL);
    test("munmap of it", syscall6(SYS_munmap, odd, 4096, 0, 0, 0, 0), 0);
    // PROT_NONE guards: a child that reads from it dies of SIGSEGV.
    const long guard = syscall6(SYS_mmap, 0, 4096, 0, 0x22, -1, 0);
    test("mmap of PROT_NONE", guard > 0 && guard % 4096 == 0, 1);
    const long reader_of_none = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
    if (reader_of_none == 0) exit(*(volatile char*)guard);
    syscall6(SYS_wait4, reader_of_none, (long)&status, 0, 0, 0, 0);
    test("reading PROT_NONE memory is SIGSEGV", status, 11);
    // Reserved, then opened and closed again with mprotect (how allocators grow a reservation).
    test("mprotect opens it", syscall6(SYS_mprotect, guard, 4096, 3, 0, 0, 0), 0);
    ((volatile char*)guard)[100] = 5;
    test("and it is usable", ((volatile char*)guard)[100], 5);
    test("mprotect to PROT_NONE", syscall6(SYS_mprotect, guard, 4096, 0, 0, 0, 0), 0);
    test("a bad PROT to mprotect", syscall6(SYS_mprotect, guard, 4096, 0x10, 0, 0, 0), -EINVAL);
    test("mprotect of a range that wraps", syscall6(SYS_mprotect, guard, -4096, 1, 0, 0, 0), -ENOMEM);
    const long writer_to_none = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
    if (writer_to_none == 0) {
        ((volatile char*)guard)[0] = 1;
        exit(0);
    }
    syscall6(SYS_wait4, writer_to_none, (long)&status, 0, 0, 0, 0);
    test("writing it closed again is SIGSEGV", status, 11);
    test("and the write from a syscall -EFAULT", syscall6(SYS_read, 0, guard, 1, 0, 0, 0), -EFAULT);
    test("munmap of the guard", syscall6(SYS_munmap, guard, 4096, 0, 0, 0, 0), 0);

    // kill: signal 0 asks only whether a process is there; kernel tasks are out of reach.
    test("kill(self, 0)", syscall6(SYS_kill, getpid(), 0, 0, 0, 0, 0), 0);
    test("kill of an idle task", syscall6(SYS_kill, 1, 9, 0, 0, 0, 0), -ESRCH);

    // kill ends a child wherever it is. Killed at once, usually before its first instruction,
    // a child that spins and never traps (on a quiet hart nothing interrupts it) must still die.
    int killed = 0;
    for (int round = 0; round < 20; round++) {
        const long spinner = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
        if (spinner == 0) {
            for (;;) {
            }
        }
        syscall6(SYS_kill, spinner, SIGKILL, 0, 0, 0, 0);
        status = 0;
        if (syscall6(SYS_wait4, spinner, (long)&status, 0, 0, 0, 0) == spinner && status == SIGKILL) {
            killed++;
        } else {
            printf("usertests: round %d: child %ld ended with status %d\n", round, spinner, status);
        }
    }
    test("20 children killed at once die of SIGKILL", killed, 20);
    // A child blocked reading the console (nothing is typed) dies when killed, at once.
    const long reader = syscall6(SYS_clone, 17, 0, 0, 0, 0, 0);
    if (reader == 0) {
        syscall6(SYS_read, 0, (long)buffer, 1, 0, 0, 0);
        exit(0);
    }
    const long pause[2] = {0, 50 * 1000 * 1000};  // 50 ms: time to block in its read
    syscall6(SYS_nanosleep, (long)pause, 0, 0, 0, 0, 0);
    syscall6(SYS_kill, reader, SIGKILL, 0, 0, 0, 0);
    status = 0;
    test("wait4 on a child killed in a console read", syscall6(SYS_wait4, reader, (long)&status, 0, 0, 0, 0), reader);
    test("it died of SIGKILL", status, SIGKILL);

    print("usertests: ");
    printf("%d passed, %d failed\n", checks_passed(), checks_failed());
    return checks_failed() == 0 ? 0 : 1;
}
