// SPDX-License-Identifier: MIT
// Argument widths as Linux has them: an argument whose type in the kernel's prototype is an int
// (a descriptor, a pid, a signal, flags, a mode) is its register's low 32 bits, whatever the
// upper half holds (HI is 1 << 32, NEG the whole upper half); umode_t is 16 bits; the sizes,
// offsets and the unsigned longs (mmap's and mprotect's prot, mremap's flags) are whole. Every
// call goes through syscall() with the high bits set, and prints its result.
// Everything happens under /tmp/argwidths, removed at the end.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#ifndef SYS_riscv_hwprobe
#define SYS_riscv_hwprobe 258  // (glibc 2.36's headers predate it)
#endif

#define D "/tmp/argwidths"
#define HI (1L << 32)
#define NEG ((long)0xffffffff00000000UL)
#define LOW(x) ((long)(x)&0xffffffffL)

static char buf[4096];
static struct stat st;

static void mode_of(const char* path) {
    stat(path, &st);
    printf("  mode of %s: %o\n", path, st.st_mode);
}

static void descriptors(int d, int f) {
    header("descriptors");
    SYS(dup3, HI | f, HI | 20, 0);
    SYS(fcntl, 20, F_GETFD);
    SYS(close, HI | 20);
    SYS(fcntl, 20, F_GETFD);
    SYS(close, NEG | 20);
    SYS(dup3, f, 21, HI | O_CLOEXEC);
    SYS(fcntl, HI | 21, HI | F_GETFD);
    SYS(close, 21);
    SYS(dup, NEG | f);
    SYS(close, 5);
    SYS(dup3, NEG | f, LOW(-1), 0);
    SYS(fcntl, f, HI | F_GETFL);
    SYS(fcntl, f, F_DUPFD, HI | 30);
    SYS(close, 30);
    SYS(fcntl, f, F_DUPFD_CLOEXEC, NEG | 31);
    SYS(fcntl, 31, F_GETFD);
    SYS(close, 31);
    SYS(fcntl, f, F_SETFD, HI | FD_CLOEXEC);
    SYS(fcntl, f, F_GETFD);
    SYS(fcntl, f, F_SETFD, HI);
    SYS(fcntl, f, F_GETFD);
    SYS(fcntl, f, F_SETFL, HI | O_APPEND);
    SYS(fcntl, f, F_GETFL);
    SYS(fcntl, f, F_SETFL, 0);
    SYS(fstat, HI | f, &st);
    SYS(fstat, NEG | d, &st);
    SYS(fchdir, HI | d);
    SYS(getcwd, buf, sizeof buf);
    printf("  cwd %s\n", buf);
    SYS(fchdir, NEG | LOW(AT_FDCWD));
    SYS(chdir, "/");
}

static void transfers(int f) {
    header("reads and writes");
    struct iovec v = {buf, 3};
    SYS(write, HI | f, "0123456789", 10);
    SYS(lseek, HI | f, 0, HI | SEEK_SET);
    SYS(read, NEG | f, buf, 4);
    SYS(lseek, f, 0, HI | SEEK_CUR);
    SYS(lseek, f, HI, SEEK_SET);
    SYS(lseek, f, -1L, SEEK_SET);
    SYS(lseek, f, 0, HI | SEEK_END);
    SYS(pread64, HI | f, buf, 4, 2);
    SYS(pwrite64, HI | f, "x", 1, 9);
    SYS(pread64, f, buf, 4, HI);
    SYS(readv, HI | f, &v, 1);
    SYS(writev, NEG | f, &v, 1);
    SYS(preadv, HI | f, &v, 1, 0, 0);
    SYS(pwritev, HI | f, &v, 1, 2, 0);
    SYS(readv, f, &v, HI | 1);
    SYS(lseek, f, 0, SEEK_SET);
    SYS(read, f, buf, HI | 4);
    SYS(ftruncate, HI | f, 5);
    SYS(fstat, f, &st);
    printf("  size %ld\n", (long)st.st_size);
    SYS(fsync, HI | f);
    SYS(fdatasync, NEG | f);
    SYS(syncfs, HI | f);
    int p[2];
    SYS(pipe2, p, HI | O_CLOEXEC);
    SYS(fcntl, p[0], F_GETFD);
    SYS(write, p[1], "abc", 3);
    int n = 0;
    SYS(ioctl, HI | p[0], FIONREAD, &n);
    SYS(ioctl, p[0], HI | FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    SYS(lseek, f, 0, SEEK_SET);
    SYS(sendfile, HI | p[1], NEG | f, 0, 2);
    SYS(ioctl, p[0], FIONREAD, &n);
    printf("  FIONREAD %d\n", n);
    struct pollfd pfd = {p[0], POLLIN, 0};
    struct timespec zero = {0, 0};
    SYS(ppoll, &pfd, HI | 1, &zero, 0, 8);
    SYS(ppoll, &pfd, NEG | 1, &zero, 0, 8);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(p[0], &readable);
    SYS(pselect6, HI | (p[0] + 1), &readable, 0, 0, &zero, 0);
    SYS(close, p[0]);
    SYS(close, p[1]);
}

static void directories(int d) {
    header("directories");
    SYS(umask, HI);
    SYS(umask, NEG | 022);
    SYS(umask, HI | 07777);
    SYS(umask, 0);
    close(SYS(openat, HI | d, "a", HI | O_CREAT | O_WRONLY, HI | 0640));
    mode_of(D "/a");
    close(SYS(openat, NEG | LOW(AT_FDCWD), D "/b", O_CREAT | O_WRONLY, 0x10000 | 0604));
    mode_of(D "/b");
    SYS(mkdirat, HI | d, "sub", 0x10000 | 0751);
    mode_of(D "/sub");
    SYS(mknodat, NEG | d, "node", 0x10000 | S_IFREG | 0600, HI);
    mode_of(D "/node");
    SYS(fchmodat, HI | d, "node", 0x10000 | 0644);
    mode_of(D "/node");
    SYS(fchmodat, HI | d, "node", NEG | 0640);
    mode_of(D "/node");
    SYS(fchownat, HI | d, "node", HI, HI, HI);
    SYS(fchownat, d, "node", NEG | 0, NEG | 0, NEG | 0);
    SYS(newfstatat, HI | d, "node", &st, HI);
    SYS(newfstatat, NEG | d, "node", &st, HI | AT_SYMLINK_NOFOLLOW);
    SYS(faccessat, HI | d, "node", HI | R_OK);
    SYS(faccessat2, HI | d, "node", NEG | W_OK, HI | AT_EACCESS);
    SYS(symlinkat, "node", HI | d, "ln");
    SYS(readlinkat, HI | d, "ln", buf, HI | 64);
    SYS(readlinkat, d, "ln", buf, HI);
    SYS(readlinkat, d, "ln", buf, NEG | 2);
    SYS(linkat, HI | d, "node", NEG | d, "hard", HI);
    SYS(renameat2, HI | d, "hard", HI | d, "hard2", HI);
    SYS(utimensat, HI | d, "hard2", 0, HI);
    struct statx stx;
    SYS(statx, HI | d, "hard2", HI, HI | STATX_SIZE, &stx);
    SYS(unlinkat, HI | d, "hard2", HI);
    SYS(unlinkat, NEG | d, "sub", HI | AT_REMOVEDIR);
    SYS(unlinkat, d, "ln", NEG);
    SYS(fchmod, HI | d, NEG | 0755);
    SYS(fchown, NEG | d, HI, HI);
    SYS(lseek, d, 0, SEEK_SET);
    SYS(getdents64, HI | d, buf, HI | sizeof buf);
    SYS(lseek, d, 0, SEEK_SET);
    SYS(getdents64, d, buf, HI | 8);
    SYS(lseek, d, 0, SEEK_SET);
    SYS(getdents64, d, buf, NEG | 24);
}

static void memory(int f) {
    header("memory");
    SYSOK(mmap, 0, 4096, PROT_READ, MAP_PRIVATE, HI | f, 0);
    SYSOK(mmap, 0, 4096, PROT_READ, MAP_PRIVATE, NEG | f, 0);
    SYSOK(mmap, 0, 4096, HI | PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SYSOK(mmap, 0, 4096, PROT_READ, HI | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SYSOK(mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, LOW(-1), 0);
    char* page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SYS(mprotect, page, 4096, HI | PROT_READ);
    SYS(mprotect, page, 4096, PROT_READ);
    SYS(madvise, page, 4096, HI | MADV_DONTNEED);
    SYS(madvise, page, 4096, NEG | MADV_WILLNEED);
    SYS(msync, page, 4096, HI | MS_ASYNC);
    SYS(msync, page, 4096, NEG | MS_SYNC);
    SYSOK(mremap, page + 4096, 4096, 4096, HI);
    SYSOK(mremap, page + 4096, 4096, 4096, 0);
    SYS(munmap, page, 8192);
}

static void signals_and_time(void) {
    header("signals and time");
    struct sigaction old;
    SYS(rt_sigaction, HI | SIGUSR1, 0, &old, 8);
    SYS(rt_sigaction, NEG | SIGUSR1, 0, &old, 8);
    SYS(rt_sigaction, SIGUSR1, 0, &old, HI | 8);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    SYS(rt_sigprocmask, HI | SIG_BLOCK, &set, 0, 8);
    SYS(rt_sigprocmask, NEG | SIG_UNBLOCK, &set, 0, 8);
    SYS(rt_sigprocmask, SIG_BLOCK, &set, 0, HI | 8);
    SYS(kill, HI | getpid(), HI);
    SYS(kill, getpid(), NEG);
    SYS(kill, HI | 99999, 0);
    SYS(kill, getpid(), HI | 65);
    SYS(tkill, HI | gettid(), NEG);
    SYS(tgkill, HI | getpid(), NEG | gettid(), HI);
    siginfo_t si = {0};
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    SYS(rt_sigqueueinfo, HI | getpid(), HI, &si);
    struct timespec ts;
    SYS(clock_gettime, HI | CLOCK_MONOTONIC, &ts);
    SYS(clock_gettime, NEG | CLOCK_REALTIME, &ts);
    SYS(clock_getres, HI | CLOCK_MONOTONIC, &ts);
    const struct timespec zero = {0, 0};
    SYS(clock_nanosleep, HI | CLOCK_MONOTONIC, HI, &zero, 0);
    SYS(clock_nanosleep, NEG | CLOCK_MONOTONIC, NEG | TIMER_ABSTIME, &zero, 0);
    struct itimerval it;
    SYS(getitimer, HI | ITIMER_REAL, &it);
    SYS(getitimer, NEG | ITIMER_REAL, &it);
    const struct itimerval off = {{0, 0}, {0, 0}};
    SYS(setitimer, HI | ITIMER_REAL, &off, 0);
    struct rusage ru;
    SYS(getrusage, HI | RUSAGE_SELF, &ru);
    SYS(getrusage, NEG | LOW(RUSAGE_CHILDREN), &ru);
    SYS(getrusage, HI | 5, &ru);
}

static void identity(void) {
    header("identity and limits");
    SYS(prctl, HI | PR_GET_NAME, buf);
    printf("  name %s\n", buf);
    struct rlimit rl;
    SYS(prlimit64, HI, HI | RLIMIT_NOFILE, 0, &rl);
    SYS(prlimit64, NEG, NEG | RLIMIT_STACK, 0, &rl);
    SYS(prlimit64, HI | 99999, RLIMIT_NOFILE, 0, &rl);
    SYS(prlimit64, 0, HI | RLIM_NLIMITS, 0, &rl);
    unsigned long mask[2];
    SYS(sched_getaffinity, HI, HI | 8, mask);
    SYS(sched_getaffinity, NEG | 99999, 8, mask);
    SYS(getrandom, buf, 8, HI);
    SYS(getrandom, buf, 8, NEG | GRND_NONBLOCK);
    SYS(setuid, HI);
    SYS(setgid, NEG);
    SYS(setreuid, HI | LOW(-1), NEG);
    SYS(setresgid, HI, NEG | LOW(-1), HI);
    SYS(setfsuid, HI);
    SYS(setfsgid, NEG);
    SYS(getgroups, HI, 0);
    SYS(setgroups, NEG, 0);
    SYS(getgroups, HI | LOW(-1), 0);
    SYS(sethostname, "argwidths", HI | 9);
    SYS(sethostname, "argwidths", NEG | 65);
    SYS(setdomainname, "widths", NEG | 6);
    struct utsname u;
    SYS(uname, &u);
    printf("  %s %s\n", u.nodename, u.domainname);
    SYS(syslog, HI | 3, buf, NEG);
    SYS(syslog, NEG | 3, buf, HI | LOW(-1));
    SYS(riscv_hwprobe, 0, 0, 0, 0, HI);
}

// A child, its end's status (exit and exit_group take an int) and wait4's pid and options.
static void children(void) {
    header("children");
    fflush(stdout);
    long child = syscall(SYS_clone, HI | SIGCHLD, 0, 0, 0, 0);
    if (child == 0) syscall(SYS_exit_group, HI | 7);
    int status = 0;
    SYSOK(wait4, NEG | LOW(-1), &status, HI, 0);
    printf("  exited %d with %d\n", WIFEXITED(status), WEXITSTATUS(status));
    fflush(stdout);
    child = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child == 0) {
        // In a process group of its own, away from the shell's.
        SYS(setpgid, HI, NEG);
        const long group = syscall(SYS_getpgid, HI);
        puts(group == getpid() ? "  getpgid(HI): its own pid" : "  getpgid(HI): another");
        SYS(setpgid, NEG, HI | getpid());
        SYSOK(getsid, HI);
        fflush(stdout);
        syscall(SYS_exit, NEG | 3);
    }
    SYSOK(wait4, HI | child, &status, NEG, 0);
    printf("  exited %d with %d\n", WIFEXITED(status), WEXITSTATUS(status));
    SYS(wait4, HI | child, &status, 0, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir(D, 0755);
    const int d = open(D, O_RDONLY | O_DIRECTORY);
    const int f = open(D "/f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    descriptors(d, f);
    transfers(f);
    directories(d);
    memory(f);
    signals_and_time();
    identity();
    children();
    close(f);
    close(d);
    printf("cleaned up: %d %d %d %d %d\n", unlink(D "/f"), unlink(D "/a"), unlink(D "/b"),
           unlink(D "/node"), rmdir(D));
    return 0;
}
