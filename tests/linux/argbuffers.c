// SPDX-License-Identifier: MIT
// The buffers calls are given, as Linux checks and fills them: the whole buf..buf+count range
// lies in user space before a byte moves (TOP, Sv39's 256 GiB, is its end); NULL, unmapped,
// kernel, read-only and no-access buffers; and buffers that run into a hole (three pages mapped,
// the second unmapped: EDGE is 8 bytes before the hole, EDGE3 3), where a read of a file returns
// the bytes before the hole, a pipe's read and write refuse, and a structure is all or nothing;
// and a pipe moves whole pages of a buffer that runs into a hole after three (WIDE), the bytes of
// those, while a write of PIPE_BUF or fewer goes whole or not at all.
// Everything happens under /tmp/argbuffers, removed at the end.
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define D "/tmp/argbuffers"
#define TOP (1L << 38)
#define KERNEL 0xffffffc000000000L
#define EDGE (hole - 8)
#define EDGE3 (hole - 3)

static char low[4096];  // in .bss, far below TOP
static char* hole;      // the first byte of the unmapped page
static char* wide;      // three pages, then an unmapped one
static char* gone;      // an unmapped page (the hole)
static char* ro;        // a read-only page
static char* none;      // a PROT_NONE page
static struct stat st;
static int f, d, null, zero;

static void setup(void) {
    mkdir(D, 0755);
    d = open(D, O_RDONLY | O_DIRECTORY);
    f = open(D "/f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    for (int i = 0; i < 64; ++i) low[i] = (char)('a' + i % 26);
    write(f, low, 64);
    lseek(f, 0, SEEK_SET);
    symlink("f", D "/ln");
    symlink("0123456789abcdef", D "/long");
    null = open("/dev/null", O_RDWR);
    zero = open("/dev/zero", O_RDONLY);
    ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    wide = mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(wide + 3 * 4096, 4096);
    // Three pages, the middle one unmapped: the hole stays a hole (no mapping is made after this,
    // and a mapping of more than a page cannot fit in it).
    char* three = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(three + 4096, 4096);
    hole = three + 4096;
    gone = hole;
}

static void ranges(void) {
    header("the whole range first");
    SYS(read, f, low, 1L << 62);
    SYS(read, f, low, -1L);
    SYS(read, f, low, TOP);
    SYS(read, f, low, 1L << 37);
    SYS(pread64, f, low, 1L << 62, 0);
    SYS(pread64, f, low, 1L << 37, 0);
    SYS(write, f, low, 1L << 62);
    SYS(pwrite64, f, low, -1L, 0);
    SYS(write, null, low, 1L << 37);
    SYS(write, null, low, TOP);
    SYS(write, null, 0, 10);
    SYS(write, null, gone, 10);
    SYS(write, null, none, 10);
    SYS(write, null, KERNEL, 10);
    SYS(write, null, TOP - 10, 10);
    SYS(write, null, TOP - 10, 11);
    SYS(write, null, TOP, 0);
    SYS(write, null, TOP + 1, 0);
    SYS(write, null, KERNEL, 0);
    SYS(read, null, 0, 10);
    SYS(read, null, KERNEL, 10);
    SYS(read, zero, 0, 10);
    SYS(read, zero, EDGE, 1L << 62);
    SYS(getrandom, 0, 0, 0);
    SYS(getrandom, 0, 1, 0);
    SYS(getrandom, KERNEL, 1, 0);
    SYS(getdents64, d, low, 1L << 37);
    SYS(getdents64, d, low, 1L << 37 | 48);
    SYS(getcwd, low, 1L << 62);
    SYS(readlinkat, d, "ln", low, 1L << 31);
}

// readv and friends: one vector is cut to MAX_RW_COUNT before its range is checked, several are
// checked whole; a negative length is EINVAL before any range; an offset before the descriptor.
static void vectors(void) {
    header("vectors and offsets");
    struct iovec huge[2] = {{low, 1L << 62}, {low, 1}};
    struct iovec negative[2] = {{gone, 4}, {low, -1L}};
    struct iovec gone_one = {gone, 10};
    SYS(preadv, f, huge, 1, 0, 0);
    SYS(preadv, f, huge, 2, 0, 0);
    SYS(preadv, f, negative, 2, 0, 0);
    SYS(writev, null, &gone_one, 1);
    SYS(readv, null, &gone_one, 1);
    SYS(readv, zero, &gone_one, 1);
    SYS(readv, f, gone, 1);
    SYS(readv, f, gone, 0);
    int p[2];
    pipe(p);
    SYS(pread64, 99, low, 1, -1);
    SYS(pread64, p[0], low, 1, -1);
    SYS(pread64, p[0], low, 1, 0);
    SYS(pwrite64, p[1], low, 1, 0);
    SYS(preadv, 99, huge, 1, -1, 0);
    SYS(preadv, p[0], huge, 1, 0, 0);
    SYS(pwritev, p[1], huge, 1, -1, 0);
    close(p[0]);
    close(p[1]);
}

static void nulls(void) {
    header("NULL and unmapped");
    struct iovec two[2] = {{low, 4}, {0, 4}};
    lseek(f, 0, SEEK_SET);
    SYS(read, f, 0, 0);
    SYS(read, f, 0, 1);
    SYS(write, f, 0, 0);
    SYS(write, f, 0, 1);
    SYS(pread64, f, 0, 4, 0);
    SYS(readv, f, 0, 0);
    SYS(readv, f, 0, 1);
    SYS(preadv, f, two, 2, 0, 0);
    SYS(pwritev, f, two + 1, 1, 0, 0);
    SYS(fstat, f, 0);
    SYS(fstatfs, f, 0);
    SYS(newfstatat, AT_FDCWD, 0, &st, 0);
    SYS(newfstatat, d, "", &st, AT_EMPTY_PATH);
    SYS(openat, AT_FDCWD, 0, O_RDONLY);
    SYS(openat, AT_FDCWD, gone, O_RDONLY);
    SYS(openat, AT_FDCWD, KERNEL, O_RDONLY);
    SYS(mkdirat, d, 0, 0755);
    SYS(mknodat, d, 0, S_IFREG | 0644, 0);
    SYS(unlinkat, d, 0, 0);
    SYS(symlinkat, 0, d, "x");
    SYS(linkat, d, 0, d, "x", 0);
    SYS(renameat2, d, "f", d, 0, 0);
    SYS(faccessat, d, 0, R_OK);
    SYS(fchownat, d, 0, 0, 0, 0);
    SYS(fchmodat, d, gone, 0644);
    SYS(utimensat, d, "f", gone, 0);
    SYS(truncate, 0, 0);
    SYS(chdir, 0);
    SYS(statfs, 0, low);
    SYS(statfs, "/", 0);
    SYS(statx, d, "f", 0, STATX_BASIC_STATS, 0);
    SYS(readlinkat, d, "ln", 0, 64);
    SYS(getcwd, 0, 100);
    SYS(getcwd, low, 0);
    SYS(getcwd, low, 1);
    SYS(uname, 0);
    SYS(sysinfo, 0);
    SYS(times, gone);
    SYS(clock_gettime, CLOCK_MONOTONIC, 0);
    SYS(clock_getres, CLOCK_MONOTONIC, 0);
    SYS(clock_settime, CLOCK_REALTIME, 0);
    SYS(gettimeofday, 0, 0);
    SYS(getrusage, RUSAGE_SELF, 0);
    SYS(getitimer, ITIMER_REAL, 0);
    SYS(setitimer, ITIMER_REAL, gone, 0);
    SYS(nanosleep, 0, 0);
    SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, 0, 0);
    SYS(pipe2, 0, 0);
    SYS(pipe2, gone, 0);
    SYS(dup, 0);
    SYS(close, 7);
    SYS(rt_sigaction, SIGUSR1, 0, 0, 8);
    SYS(rt_sigaction, SIGUSR1, gone, 0, 8);
    SYS(rt_sigprocmask, SIG_BLOCK, 0, 0, 8);
    SYS(rt_sigprocmask, SIG_BLOCK, gone, 0, 8);
    SYS(rt_sigpending, 0, 8);
    SYS(sigaltstack, gone, 0);
    SYS(sigaltstack, 0, gone);
    SYS(sched_getaffinity, 0, 8, 0);
    SYS(prlimit64, 0, RLIMIT_NOFILE, 0, 0);
    SYS(prlimit64, 0, RLIMIT_NOFILE, gone, 0);
    SYS(prlimit64, 0, RLIMIT_NOFILE, 0, gone);
    SYS(prctl, PR_SET_NAME, 0);
    SYS(prctl, PR_GET_NAME, gone);
    struct timespec now = {0, 0};
    SYS(ppoll, 0, 0, &now, 0, 8);
    SYS(ppoll, 0, 1, &now, 0, 8);
    SYS(ppoll, 0, 0, gone, 0, 8);
    SYS(ppoll, 0, 0, &now, gone, 8);
    SYS(pselect6, 1, gone, 0, 0, &now, 0);
    SYS(sendfile, null, f, gone, 4);
    SYS(getgroups, 1, 0);
    SYS(execve, 0, 0, 0);
    SYS(wait4, -1, 0, WNOHANG, 0);
}

static void protections(void) {
    header("read-only and no-access pages");
    lseek(f, 0, SEEK_SET);
    SYS(read, f, ro, 4);
    SYS(read, f, none, 4);
    SYS(pread64, f, ro, 4, 0);
    SYS(write, f, ro, 4);
    SYS(write, f, none, 4);
    SYS(read, f, (char*)&setup, 4);
    SYS(write, null, none, 4);
    SYS(read, zero, ro, 4);
    SYS(fstat, f, ro);
    SYS(clock_gettime, CLOCK_MONOTONIC, ro);
    SYS(getrandom, ro, 4, 0);
    SYS(pipe2, ro, 0);
    SYS(uname, none);
    SYS(openat, AT_FDCWD, none, O_RDONLY);
}

// A buffer that runs into the hole.
static void holes(void) {
    header("into a hole");
    struct iovec v[2] = {{low, 4}, {EDGE, 64}};
    lseek(f, 0, SEEK_SET);
    lseek(d, 0, SEEK_SET);
    SYS(read, f, EDGE, 64);
    SYS(read, f, EDGE3, 64);
    SYS(pread64, f, EDGE, 64, 0);
    SYS(pread64, f, EDGE, 8, 0);
    SYS(pread64, f, EDGE3, 64, 0);
    SYS(preadv, f, v + 1, 1, 0, 0);
    SYS(preadv, f, v, 2, 0, 0);
    SYS(read, zero, EDGE, 64);
    SYS(read, zero, EDGE3, 64);
    SYS(pwrite64, f, EDGE, 64, 100);
    SYS(pwrite64, f, EDGE3, 64, 200);
    SYS(pwritev, f, v, 2, 300, 0);
    SYS(fstat, f, &st);
    printf("  size %ld\n", (long)st.st_size);
    SYS(write, null, EDGE, 64);
    int p[2];
    pipe(p);
    SYS(write, p[1], low, 64);
    SYS(read, p[0], EDGE, 64);
    int n = -1;
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    SYS(readv, p[0], v, 2);
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    SYS(read, p[0], EDGE, 8);
    SYS(read, p[0], low, 64);
    SYS(write, p[1], EDGE, 64);
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    SYS(writev, p[1], v, 2);
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    SYS(write, p[1], EDGE, 8);
    SYS(read, p[0], low, 64);
    SYS(write, p[1], wide, 16384);
    SYS(write, p[1], low, 4096);
    SYS(read, p[0], wide, 16384);
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    SYS(write, p[1], wide + 3 * 4096 - 100, 200);
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    close(p[0]);
    close(p[1]);
    SYS(getdents64, d, EDGE, 64);
    SYS(getdents64, d, hole - 48, 4096);
    SYS(getcwd, EDGE, 100);
    SYS(chdir, D);
    SYS(getcwd, EDGE, 100);
    SYS(chdir, "/");
    SYS(getrandom, EDGE, 64, 0);
    SYS(getrandom, EDGE3, 64, 0);
    SYS(getrandom, EDGE, 8, 0);
    SYS(readlinkat, d, "ln", EDGE, 64);
    SYS(readlinkat, d, "long", EDGE, 64);
    SYS(uname, EDGE);
    SYS(uname, hole - sizeof(struct utsname));
    SYS(fstat, f, EDGE);
    SYS(fstat, f, hole - sizeof st);
    SYS(statx, d, "f", 0, STATX_BASIC_STATS, EDGE);
    SYS(clock_gettime, CLOCK_MONOTONIC, EDGE);
    SYS(clock_gettime, CLOCK_MONOTONIC, EDGE - 8);
    SYS(nanosleep, EDGE, 0);
    SYS(gettimeofday, EDGE, 0);
    SYS(gettimeofday, 0, EDGE);
    SYS(sysinfo, EDGE);
    SYS(times, EDGE);
    SYS(getrusage, RUSAGE_SELF, EDGE);
    SYS(getitimer, ITIMER_REAL, EDGE);
    SYS(prlimit64, 0, RLIMIT_NOFILE, 0, EDGE);
    SYS(prlimit64, 0, RLIMIT_NOFILE, EDGE, 0);
    SYS(rt_sigaction, SIGUSR1, 0, EDGE, 8);
    SYS(rt_sigprocmask, SIG_BLOCK, 0, EDGE, 8);
    SYS(rt_sigprocmask, SIG_BLOCK, 0, EDGE3, 8);
    SYS(rt_sigpending, EDGE, 8);
    SYS(sched_getaffinity, 0, 8, EDGE);
    SYS(getgroups, 1, EDGE);
    SYS(pipe2, EDGE + 4, 0);
    SYS(pipe2, EDGE, 0);
    const int* fds = (const int*)EDGE;
    printf("  pipe2 gave %d %d\n", fds[0], fds[1]);
    close(fds[0]);
    close(fds[1]);
    struct pollfd* one = (struct pollfd*)EDGE;
    *one = (struct pollfd){null, POLLOUT, 0};
    const struct timespec now = {0, 0};
    SYS(ppoll, EDGE, 1, &now, 0, 8);
    SYS(ppoll, EDGE3, 1, &now, 0, 8);
    SYS(ppoll, 0, 0, EDGE, 0, 8);
    memset(EDGE, 0, 8);
    SYS(pselect6, 64, EDGE, 0, 0, &now, 0);
    SYS(sendfile, null, f, EDGE + 4, 4);
    char* tail = hole - 1;  // a path that runs into the hole, then one that ends before it
    *tail = 'x';
    SYS(openat, AT_FDCWD, tail, O_RDONLY);
    SYS(newfstatat, AT_FDCWD, tail, &st, 0);
    memcpy(hole - 2, "/", 2);
    SYS(newfstatat, AT_FDCWD, hole - 2, &st, 0);
    char** argv = (char**)EDGE;
    argv[0] = "sh";
    SYS(execve, "/bin/sh", EDGE, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    setup();
    ranges();
    vectors();
    nulls();
    protections();
    holes();
    close(null);
    close(zero);
    close(f);
    close(d);
    printf("cleaned up: %d %d %d %d\n", unlink(D "/f"), unlink(D "/ln"), unlink(D "/long"),
           rmdir(D));
    return 0;
}
