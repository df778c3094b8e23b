// SPDX-License-Identifier: MIT
// usertests: the syscall edge cases keel promises, checked from user mode: bad pointers get
// -EFAULT, bad fds -EBADF, unknown numbers -ENOSYS, brk moves and refuses, files open, read, seek
// and stat, missing ones do not. Ends "usertests: N passed, M failed".
#include "keel.h"

static void test(const char* what, long got, long want) {
    check("usertests", what, got, want);
}

int main(void) {
    char buffer[128];
    test("write from a null pointer", write(1, 0, 5), -EFAULT);
    test("write from unmapped memory", write(1, (void*)0x80200000, 5), -EFAULT);
    test("write from the kernel's image", write(1, (void*)0xffffffff80200000UL, 5), -EFAULT);
    test("write to fd 7", write(7, "x", 1), -EBADF);
    test("write of a length past user memory", write(1, "x", 0x7fffffffffffffffL), -EFAULT);
    test("getdents64 on the console",
         syscall6(SYS_getdents64, 1, (long)buffer, sizeof buffer, 0, 0, 0), -ENOTDIR);
    // Refused before the console is waited on (Linux's access_ok): no key is needed.
    test("read into kernel memory", read(0, (void*)0xffffffc000000000UL, 16), -EFAULT);
    // Numbers Linux assigns no call (KEEL_SYSCALL_LIMIT is 470).
    test("an unknown syscall", syscall6(999, 0, 0, 0, 0, 0, 0), -ENOSYS);
    test("another, logged with it", syscall6(5000, 0, 0, 0, 0, 0, 0), -ENOSYS);
    test("and another", syscall6(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
    test("close of a bad fd", close(99), -EBADF);
    test("getpid", getpid() > 0, 1);

    const long start = syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
    test("brk grows by 64 KiB", syscall6(SYS_brk, start + 65536, 0, 0, 0, 0, 0), start + 65536);
    char* heap = (char*)start;
    heap[0] = 1;
    heap[65535] = 2;  // both ends are usable
    test("brk refuses to go below its start", syscall6(SYS_brk, 4096, 0, 0, 0, 0, 0),
         start + 65536);
    test("brk shrinks back", syscall6(SYS_brk, start, 0, 0, 0, 0, 0), start);
    // The heap starts above the kernel's device pages, so it can grow far (not just to 1 MiB).
    test("brk grows by 8 MiB", syscall6(SYS_brk, start + (8 << 20), 0, 0, 0, 0, 0),
         start + (8 << 20));
    heap[(8 << 20) - 1] = 3;
    test("and shrinks back", syscall6(SYS_brk, start, 0, 0, 0, 0, 0), start);

    const int fd = open("/etc/motd", O_RDONLY);
    test("open /etc/motd", fd >= 3, 1);
    const ssize_t n = read(fd, buffer, 7);
    test("read 7 bytes of it", n, 7);
    test("which begin 'Welcome'", buffer[0] == 'W' && buffer[6] == 'e', 1);
    test("read into a null pointer", read(fd, 0, 7), -EFAULT);
    test("seek back to 0", lseek(fd, 0, SEEK_SET), 0);
    test("close it", close(fd), 0);
    test("read after close", read(fd, buffer, 1), -EBADF);
    test("open a missing file", open("/nope", O_RDONLY), -ENOENT);
    test("open of a directory for writing", open("/etc", O_WRONLY), -EISDIR);
    test("open from a bad path pointer", open((const char*)8, O_RDONLY), -EFAULT);
    test("munmap unaligned", munmap((void*)4097, 4096), -EINVAL);
    test("open of an empty path", open("", O_RDONLY), -ENOENT);
    const struct iovec iov = {"x", (uint64_t)-1};
    test("writev of a length past SSIZE_MAX", syscall6(SYS_writev, 1, (long)&iov, 1, 0, 0, 0),
         -EINVAL);

    // Times and clocks as Linux checks them.
    const struct timespec negative = {-1, 0};
    const struct timespec too_many_ns = {0, 1000000000};
    test("nanosleep of a negative time", nanosleep(&negative, 0), -EINVAL);
    test("nanosleep of 10^9 ns", nanosleep(&too_many_ns, 0), -EINVAL);
    test("clock_nanosleep of a negative time",
         syscall6(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&negative, 0, 0, 0), -EINVAL);
    const struct timespec now = {0, 0};
    test("clock_nanosleep on clock 99", syscall6(SYS_clock_nanosleep, 99, 0, (long)&now, 0, 0, 0),
         -EINVAL);
    test("clock_nanosleep on CLOCK_MONOTONIC_RAW",
         syscall6(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, (long)&now, 0, 0, 0), -EOPNOTSUPP);
    test("clock_gettime of clock 99", syscall6(SYS_clock_gettime, 99, (long)buffer, 0, 0, 0, 0),
         -EINVAL);
    test("clock_gettime of CLOCK_MONOTONIC",
         syscall6(SYS_clock_gettime, CLOCK_MONOTONIC, (long)buffer, 0, 0, 0, 0), 0);
    struct timespec resolution = {-1, -1};
    test("clock_getres", syscall6(SYS_clock_getres, CLOCK_MONOTONIC, (long)&resolution, 0, 0, 0, 0),
         0);
    test("a resolution under a millisecond",
         resolution.tv_sec == 0 && resolution.tv_nsec > 0 && resolution.tv_nsec < 1000000, 1);

    // malloc over brk: two blocks apart, writable, the heap given back by free.
    char* a = malloc(100);
    char* b = malloc(5000);
    test("malloc gives two blocks", a != 0 && b != 0 && b >= a + 100, 1);
    b[4999] = 'x';
    free(b);

    // execve that cannot happen leaves the caller as it was.
    char* args[] = {"nope", 0};
    test("execve of a missing file", execve("/bin/nope", args, 0), -ENOENT);
    test("execve of a file without an x bit", execve("/etc/motd", args, 0), -EACCES);
    const int script = open("/not-a-program", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    test("make a 0755 file", write(script, "words\n", 6), 6);
    close(script);
    test("execve of a file that is no ELF", execve("/not-a-program", args, 0), -ENOEXEC);
    test("unlink it", unlink("/not-a-program"), 0);
    test("execve from a bad path pointer", execve((const char*)16, args, 0), -EFAULT);
    test("execve of an empty path", execve("", args, 0), -ENOENT);

    // fork, exit statuses, and a child's fault that does not touch its parent.
    const pid_t child = fork();
    if (child == 0) exit(7);
    int status = 0;
    test("wait4 returns the child", waitpid(child, &status, 0), child);
    test("its exit status", status, W_EXITCODE(7, 0));
    const pid_t faulty = fork();
    if (faulty == 0) {
        *(volatile char*)0 = 1;
        exit(0);
    }
    test("wait4 on a faulting child", waitpid(faulty, &status, 0), faulty);
    test("it died of SIGSEGV", status, SIGSEGV);
    test("thread-making clone flags are refused",
         syscall6(SYS_clone, CLONE_VM | SIGCHLD, 0, 0, 0, 0, 0), -EINVAL);
    test("wait4 with unknown options", waitpid(-1, &status, 0x100), -EINVAL);  // no W* is 0x100
    const pid_t sleeper = fork();
    if (sleeper == 0) exit(0);
    test("wait4 for __WCLONE children only",
         syscall6(SYS_wait4, -1, (long)&status, __WCLONE, 0, 0, 0), -ECHILD);
    test("then for it", waitpid(sleeper, &status, 0), sleeper);
    test("no children left", wait(&status), -ECHILD);

    // mmap cannot reach past user space (256 GiB); 2 GiB read-only is no promise of memory.
    const int anonymous = MAP_PRIVATE | MAP_ANONYMOUS;
    test("mmap of 512 GiB", (long)mmap(0, 0x8000000000, PROT_READ, anonymous, -1, 0), -ENOMEM);
    const long big = (long)mmap(0, 0x80000000, PROT_READ, anonymous, -1, 0);
    test("mmap of 2 GiB read-only", big > 0 && big % 4096 == 0, 1);
    test("reads as zeros", ((volatile char*)big)[0x7fffffff], 0);
    test("munmap of it", munmap((void*)big, 0x80000000), 0);
    const long mapped = (long)mmap(0, 8192, PROT_READ | PROT_WRITE, anonymous, -1, 0);
    test("mmap of 8 KiB", mapped > 0 && mapped % 4096 == 0, 1);
    ((char*)mapped)[8191] = 1;
    test("munmap of it", munmap((void*)mapped, 8192), 0);
    // As Linux: mmap ignores PROT bits it does not know; mprotect refuses them. (0xf8: PROT_SEM
    // and four bits no PROT_ flag has; 0x10 is one of those.)
    const long odd = (long)mmap(0, 4096, 0xf8 | PROT_READ, anonymous, -1, 0);
    test("mmap with unknown PROT bits", odd > 0 && odd % 4096 == 0, 1);
    test("mprotect with unknown PROT bits", syscall6(SYS_mprotect, odd, 4096, 0xf8, 0, 0, 0),
         -EINVAL);
    test("munmap of it", munmap((void*)odd, 4096), 0);
    // PROT_NONE guards: a child that reads from it dies of SIGSEGV.
    const long guard = (long)mmap(0, 4096, PROT_NONE, anonymous, -1, 0);
    test("mmap of PROT_NONE", guard > 0 && guard % 4096 == 0, 1);
    const pid_t reader_of_none = fork();
    if (reader_of_none == 0) exit(*(volatile char*)guard);
    waitpid(reader_of_none, &status, 0);
    test("reading PROT_NONE memory is SIGSEGV", status, SIGSEGV);
    // Reserved, then opened and closed again with mprotect (how allocators grow a reservation).
    test("mprotect opens it", syscall6(SYS_mprotect, guard, 4096, PROT_READ | PROT_WRITE, 0, 0, 0),
         0);
    ((volatile char*)guard)[100] = 5;
    test("and it is usable", ((volatile char*)guard)[100], 5);
    test("mprotect to PROT_NONE", syscall6(SYS_mprotect, guard, 4096, PROT_NONE, 0, 0, 0), 0);
    test("a bad PROT to mprotect", syscall6(SYS_mprotect, guard, 4096, 0x10, 0, 0, 0), -EINVAL);
    test("mprotect of a range that wraps", syscall6(SYS_mprotect, guard, -4096, PROT_READ, 0, 0, 0),
         -ENOMEM);
    const pid_t writer_to_none = fork();
    if (writer_to_none == 0) {
        ((volatile char*)guard)[0] = 1;
        exit(0);
    }
    waitpid(writer_to_none, &status, 0);
    test("writing it closed again is SIGSEGV", status, SIGSEGV);
    const int motd = open("/etc/motd", O_RDONLY);
    test("and the write from a syscall -EFAULT", read(motd, (void*)guard, 1), -EFAULT);
    close(motd);
    test("munmap of the guard", munmap((void*)guard, 4096), 0);

    // kill: signal 0 asks only whether a process is there; kernel tasks are out of reach.
    test("kill(self, 0)", kill(getpid(), 0), 0);
    test("kill of an idle task", kill(1, SIGKILL), -ESRCH);

    // kill ends a child wherever it is. Killed at once, usually before its first instruction,
    // a child that spins and never traps (on a quiet hart nothing interrupts it) must still die.
    int killed = 0;
    for (int round = 0; round < 20; round++) {
        const pid_t spinner = fork();
        if (spinner == 0) {
            for (;;) {
            }
        }
        kill(spinner, SIGKILL);
        status = 0;
        if (waitpid(spinner, &status, 0) == spinner && status == SIGKILL) {
            killed++;
        } else {
            printf("usertests: round %d: child %d ended with status %d\n", round, spinner, status);
        }
    }
    test("20 children killed at once die of SIGKILL", killed, 20);
    // A child blocked reading the console (nothing is typed) dies when killed, at once.
    const pid_t reader = fork();
    if (reader == 0) {
        read(0, buffer, 1);
        exit(0);
    }
    sleep_ms(50);  // time to block in its read
    kill(reader, SIGKILL);
    status = 0;
    test("wait4 on a child killed in a console read", waitpid(reader, &status, 0), reader);
    test("it died of SIGKILL", status, SIGKILL);

    // Floating point in hardware (rv64gc, lp64d): arithmetic and conversions are instructions,
    // and a child's use of the registers leaves the parent's alone.
    volatile double seven = 7.0;
    volatile long two = 2;
    const double half = seven / (double)two;
    test("double arithmetic", (long)(half * 4.0), 14);
    const pid_t counter = fork();
    if (counter == 0) {
        volatile double sum = 0;
        for (int i = 0; i < 100; ++i) sum += 0.5;
        exit((int)sum);
    }
    waitpid(counter, &status, 0);
    test("a child's doubles", WEXITSTATUS(status), 50);
    test("and the parent's, after it", (long)(half * 4.0), 14);

    // /proc's inodes for one process's fd links, held open (O_PATH) past the pool's 128: the
    // opens past it fail, and listing the fd directory or standing in it hurts nothing.
    const int fd_dir = openat(AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY, 0);
    test("open /proc/self/fd", fd_dir >= 3, 1);
    int held = 0;
    for (int i = 0; i < 200; ++i) {
        char name[8];
        int n = 0;
        for (int v = i; n == 0 || v != 0; v /= 10) name[n++] = (char)('0' + v % 10);
        for (int a = 0, b = n - 1; a < b; ++a, --b) {
            const char t = name[a];
            name[a] = name[b];
            name[b] = t;
        }
        name[n] = '\0';
        if (openat(fd_dir, name, O_PATH | O_NOFOLLOW, 0) >= 0) ++held;
    }
    test("fd links held open", held > 100, 1);
    test("getdents64 of /proc/self/fd",
         syscall6(SYS_getdents64, fd_dir, (long)buffer, sizeof buffer, 0, 0, 0) > 0, 1);
    // (with every inode of the pool held, /proc/self itself may have none left: ENOENT)
    const int moved = chdir("/proc/self/fd");
    test("chdir /proc/self/fd: done, or ENOENT", moved == 0 || moved == -ENOENT, 1);
    test("getcwd there does not crash", getcwd(buffer, sizeof buffer) != 0, 1);
    test("chdir /", chdir("/"), 0);
    for (int fd = fd_dir + 1; fd < fd_dir + 1 + held; ++fd) close(fd);
    close(fd_dir);

    print("usertests: ");
    printf("%d passed, %d failed\n", checks_passed(), checks_failed());
    return checks_failed() == 0 ? 0 : 1;
}
