// SPDX-License-Identifier: MIT
// usertests: the syscall edge cases keel promises, checked from user mode: bad pointers get
// -EFAULT, bad fds -EBADF, unknown numbers -ENOSYS, brk moves and refuses, files of the
// initramfs open, read, seek and stat, missing ones do not. Ends "usertests: N passed, M failed".
#include "keel.h"

static int passed;
static int failed;

static void check(const char* what, long got, long want) {
    if (got == want) {
        ++passed;
        return;
    }
    ++failed;
    print("usertests: FAIL ");
    print(what);
    print(": got ");
    print_number(got);
    print(", want ");
    print_number(want);
    print("\n");
}

#define EFAULT 14
#define EBADF 9
#define ENOENT 2
#define ENOSYS 38
#define EROFS 30
#define EINVAL 22

int main(void) {
    char buffer[128];
    check("write from a null pointer", write(1, 0, 5), -EFAULT);
    check("write from kernel memory", write(1, (void*)0x80200000, 5), -EFAULT);
    check("write to fd 7", write(7, "x", 1), -EBADF);
    check("read into kernel memory", syscall6(SYS_read, 0, 0x80200000, 16, 0, 0, 0), -EFAULT);
    check("an unknown syscall", syscall6(999, 0, 0, 0, 0, 0, 0), -ENOSYS);
    check("close of a bad fd", syscall6(SYS_close, 99, 0, 0, 0, 0, 0), -EBADF);
    check("getpid", getpid() > 0, 1);

    const long start = syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
    check("brk grows by 64 KiB", syscall6(SYS_brk, start + 65536, 0, 0, 0, 0, 0), start + 65536);
    char* heap = (char*)start;
    heap[0] = 1;
    heap[65535] = 2;  // both ends are usable
    check("brk refuses to go below its start", syscall6(SYS_brk, 4096, 0, 0, 0, 0, 0), start + 65536);
    check("brk shrinks back", syscall6(SYS_brk, start, 0, 0, 0, 0, 0), start);

    const long fd = syscall6(SYS_openat, -100, (long)"/etc/motd", 0, 0, 0, 0);
    check("open /etc/motd", fd >= 3, 1);
    const long n = syscall6(SYS_read, fd, (long)buffer, 7, 0, 0, 0);
    check("read 7 bytes of it", n, 7);
    check("which begin 'Welcome'", buffer[0] == 'W' && buffer[6] == 'e', 1);
    check("read into a null pointer", syscall6(SYS_read, fd, 0, 7, 0, 0, 0), -EFAULT);
    check("seek back to 0", syscall6(SYS_lseek, fd, 0, 0, 0, 0, 0), 0);
    check("close it", syscall6(SYS_close, fd, 0, 0, 0, 0, 0), 0);
    check("read after close", syscall6(SYS_read, fd, (long)buffer, 1, 0, 0, 0), -EBADF);
    check("open a missing file", syscall6(SYS_openat, -100, (long)"/nope", 0, 0, 0, 0), -ENOENT);
    check("open for writing", syscall6(SYS_openat, -100, (long)"/etc/motd", 1, 0, 0, 0), -EROFS);
    check("open from a bad path pointer", syscall6(SYS_openat, -100, 8, 0, 0, 0, 0), -EFAULT);
    check("munmap unaligned", syscall6(SYS_munmap, 4097, 4096, 0, 0, 0, 0), -EINVAL);

    print("usertests: ");
    print_number(passed);
    print(" passed, ");
    print_number(failed);
    print(" failed\n");
    return failed == 0 ? 0 : 1;
}
