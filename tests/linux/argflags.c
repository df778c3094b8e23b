// SPDX-License-Identifier: MIT
// Flags, resources and pids a call does not know, as Linux refuses them: unknown flag bits and
// bad combinations are EINVAL (getrandom, the *at calls, pipe2, dup3, wait4, the memory calls,
// the signal calls), a resource or clock or which past the known ones EINVAL, a pid nobody has
// ESRCH (ECHILD for wait4), and the order of those checks where a call makes more than one.
// Everything happens under /tmp/argflags, removed at the end.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#ifndef SYS_riscv_hwprobe
#define SYS_riscv_hwprobe 258  // (glibc 2.36's headers predate it)
#endif

#define D "/tmp/argflags"
#define NOBODY 99999  // a pid no process has
#ifndef PROT_SEM
#define PROT_SEM 0x8  // (Linux's asm-generic/mman-common.h; glibc leaves it out)
#endif
#define INT_MIN_ (-2147483647 - 1)

static char buf[4096];
static struct stat st;

static void random_and_stat(int d) {
    header("getrandom, newfstatat, statx");
    SYS(getrandom, buf, 8, 0);
    SYS(getrandom, buf, 8, GRND_NONBLOCK | GRND_INSECURE);
    SYS(getrandom, buf, 8, GRND_RANDOM | GRND_NONBLOCK);
    SYS(getrandom, buf, 8, GRND_RANDOM | GRND_INSECURE);
    SYS(getrandom, buf, 8, 0x8);
    SYS(getrandom, buf, 8, 0x80000000);
    SYS(getrandom, buf, 0, 0x8);
    SYS(getrandom, 0, 8, 0x10);
    SYS(newfstatat, d, "f", &st, 0);
    SYS(newfstatat, d, "f", &st, 0x1);
    SYS(newfstatat, d, "f", &st, AT_REMOVEDIR);
    SYS(newfstatat, d, "f", &st, AT_SYMLINK_FOLLOW);
    SYS(newfstatat, d, "f", &st, AT_NO_AUTOMOUNT);
    SYS(newfstatat, d, "f", &st, AT_STATX_FORCE_SYNC);
    SYS(newfstatat, d, "f", &st, AT_STATX_DONT_SYNC);
    SYS(newfstatat, d, "f", &st, AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC);
    SYS(newfstatat, d, "f", &st, 0x8000);
    SYS(newfstatat, d, "f", &st, 0x80000000);
    SYS(newfstatat, d, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    SYS(newfstatat, d, "", &st, 0);
    SYS(newfstatat, d, "nope", &st, 0x1);
    SYS(newfstatat, 99, "f", &st, 0);
    SYS(newfstatat, 99, "/", &st, 0);
    struct statx stx;
    SYS(statx, d, "f", 0, STATX_BASIC_STATS, &stx);
    SYS(statx, d, "f", 0x1, STATX_BASIC_STATS, &stx);
    SYS(statx, d, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &stx);
    SYS(statx, d, "f", 0, STATX__RESERVED, &stx);
    SYS(statx, d, "f", 0, 0x40000000, &stx);
    SYS(statx, d, "f", 0, 0, &stx);
}

static void descriptors(int d) {
    header("descriptors");
    int p[2];
    SYS(pipe2, p, O_RDWR);
    SYS(pipe2, p, 0x80000000);
    SYS(pipe2, p, O_NONBLOCK | O_CLOEXEC);
    SYS(close, p[0]);
    SYS(close, p[1]);
    SYS(dup3, 1, 10, 0x1);
    SYS(dup3, 1, 10, O_NONBLOCK);
    SYS(dup3, 1, 1, 0);
    SYS(dup3, 1, 1, 0x1);
    SYS(dup3, 1, -1, 0);
    SYS(dup3, -1, 10, 0);
    SYS(dup3, 99, 10, 0x1);
    SYS(dup3, 1, 1024, 0);
    SYS(dup3, 1, 1023, 0);
    SYS(close, 1023);
    SYS(fcntl, 1, 9999);
    SYS(fcntl, 99, 9999);
    SYS(fcntl, 1, F_DUPFD, 1024);
    SYS(fcntl, 1, F_DUPFD, -1);
    SYS(fcntl, 1, F_SETFD, 0xfe);
    SYS(fcntl, 1, F_GETFD);
    SYS(fcntl, 1, F_SETFD, 0);
    SYS(lseek, d, 0, 5);
    SYS(lseek, d, 0, -1);
    SYS(lseek, 99, 0, 5);
    SYS(ioctl, d, 0x9999, 0);
    SYS(ioctl, 99, 0x9999, 0);
    SYS(close, -1);
    SYS(close, 1024);
}

static void names(int d) {
    header("path calls");
    SYS(unlinkat, d, "f", 0x1);
    SYS(unlinkat, d, "f", AT_REMOVEDIR);
    SYS(unlinkat, d, "nope", 0x1);
    SYS(faccessat, d, "f", 0x8);
    SYS(faccessat, d, "f", -1);
    SYS(faccessat, d, "f", R_OK | W_OK | X_OK);
    SYS(faccessat2, d, "f", R_OK, 0x1);
    SYS(faccessat2, d, "f", R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW);
    SYS(faccessat2, d, "", R_OK, AT_EMPTY_PATH);
    SYS(faccessat2, d, "f", 0x8, 0x1);
    SYS(fchownat, d, "f", 0, 0, 0x1);
    SYS(fchownat, d, "f", -1, -1, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
    SYS(utimensat, d, "f", 0, 0x1);
    SYS(utimensat, d, "f", 0, AT_SYMLINK_NOFOLLOW);
    struct timespec bad[2] = {{0, 1000000000}, {0, UTIME_OMIT}};
    SYS(utimensat, d, "f", bad, 0);
    SYS(linkat, d, "f", d, "g", AT_SYMLINK_NOFOLLOW);
    SYS(linkat, d, "f", d, "g", 0x1);
    SYS(renameat2, d, "f", d, "g", 0x8);
    SYS(renameat2, d, "f", d, "g", RENAME_EXCHANGE | RENAME_NOREPLACE);
    SYS(renameat2, d, "f", d, "f", RENAME_NOREPLACE);
    SYS(mknodat, d, "n", 0170000 | 0644, 0);
    SYS(mkdirat, d, "", 0755);
    SYS(openat, d, "f", 0x80000000 | O_RDONLY);
    SYS(close, 4);
    close(SYS(openat, d, "f", O_WRONLY | O_RDWR));
    SYS(openat, d, "f", O_DIRECTORY);
    SYS(openat, d, "nope", O_CREAT | O_DIRECTORY, 0644);
    SYS(readlinkat, d, "f", buf, 0);
    SYS(readlinkat, d, "f", buf, -1);
    SYS(readlinkat, d, "f", buf, 64);
    SYS(umount2, D, 0x10);
    SYS(umount2, D, MNT_EXPIRE | MNT_FORCE);
}

static void memory(void) {
    header("memory");
    char* page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SYS(mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0);
    SYSOK(mmap, 0, 4096, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SYS(mmap, 0, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x1000000, -1, 0);
    SYS(mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SYS(mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
    SYS(mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 99, 0);
    SYSOK(mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x1000000, -1, 0);
    SYS(mprotect, page, 4096, 0x10);
    SYS(mprotect, page, 4096, PROT_GROWSDOWN | PROT_READ);
    SYS(mprotect, page + 1, 4096, PROT_READ);
    SYS(mprotect, page, 0, 0x10);
    SYS(mprotect, page + 1, 0, 0x10);
    SYS(mprotect, page, 4096, PROT_READ | PROT_SEM);
    SYS(mprotect, page, 4096, PROT_GROWSUP | PROT_READ);
    SYS(mprotect, page, 4096, PROT_GROWSUP | PROT_GROWSDOWN | PROT_READ);
    char here = 0;
    char* stack = (char*)((unsigned long)&here & ~4095UL);
    SYS(mprotect, stack, 4096, PROT_GROWSDOWN | PROT_READ | PROT_WRITE);
    SYS(mprotect, stack, 4096, PROT_GROWSUP | PROT_READ | PROT_WRITE);
    SYS(madvise, page, 4096, 999);
    SYS(madvise, page, 4096, -1);
    SYS(madvise, page + 1, 4096, MADV_NORMAL);
    SYS(msync, page, 4096, 0x8);
    SYS(msync, page, 4096, MS_ASYNC | MS_SYNC);
    SYS(msync, page + 1, 4096, MS_ASYNC);
    SYS(msync, page, 4096, MS_INVALIDATE);
    SYS(mremap, page, 4096, 4096, 0x8);
    SYS(mremap, page, 4096, 8192, MREMAP_FIXED);
    SYS(mremap, page, 4096, 0, MREMAP_MAYMOVE);
    SYS(munmap, page + 1, 4096);
    SYS(munmap, page, 0);
    SYS(munmap, page, 4096);
}

static void signals_and_time(void) {
    header("signals and time");
    struct sigaction act = {0};
    act.sa_handler = SIG_IGN;
    SYS(rt_sigaction, 0, 0, 0, 8);
    SYS(rt_sigaction, 65, 0, 0, 8);
    SYS(rt_sigaction, -1, 0, 0, 8);
    SYS(rt_sigaction, SIGKILL, &act, 0, 8);
    SYS(rt_sigaction, SIGSTOP, &act, 0, 8);
    SYS(rt_sigaction, SIGKILL, 0, buf, 8);
    SYS(rt_sigaction, SIGUSR1, 0, 0, 4);
    SYS(rt_sigaction, SIGUSR1, 0, 0, 16);
    sigset_t set;
    sigemptyset(&set);
    SYS(rt_sigprocmask, 3, &set, 0, 8);
    SYS(rt_sigprocmask, -1, &set, 0, 8);
    SYS(rt_sigprocmask, 3, 0, 0, 8);
    SYS(rt_sigprocmask, SIG_BLOCK, &set, 0, 16);
    SYS(rt_sigpending, buf, 16);
    SYS(rt_sigpending, buf, 4);
    stack_t ss = {.ss_sp = buf, .ss_flags = 3, .ss_size = sizeof buf};
    SYS(sigaltstack, &ss, 0);
    ss.ss_flags = 0;
    ss.ss_size = 1024;
    SYS(sigaltstack, &ss, 0);
    struct timespec ts;
    SYS(clock_gettime, 16, &ts);
    SYS(clock_gettime, 10, &ts);
    SYS(clock_gettime, -1, &ts);
    SYS(clock_gettime, CLOCK_BOOTTIME, &ts);
    SYS(clock_gettime, CLOCK_TAI, &ts);
    SYS(clock_gettime, CLOCK_MONOTONIC_COARSE, &ts);
    SYS(clock_getres, 16, &ts);
    SYS(clock_getres, -1, 0);
    const struct timespec zero = {0, 0}, bad = {0, -1};
    SYS(clock_nanosleep, CLOCK_MONOTONIC, 0x2, &zero, 0);
    SYS(clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &zero, 0);
    SYS(clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &zero, 0);
    SYS(clock_nanosleep, CLOCK_REALTIME_COARSE, 0, &zero, 0);
    SYS(clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &bad, 0);
    SYS(clock_nanosleep, CLOCK_BOOTTIME, TIMER_ABSTIME, &zero, 0);
    SYS(clock_nanosleep, CLOCK_TAI, 0, &zero, 0);
    SYS(clock_nanosleep, 10, 0, &bad, 0);
    SYS(clock_nanosleep, 16, 0, &zero, 0);
    SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, 0);
    SYS(nanosleep, &bad, 0);
    SYS(clock_settime, CLOCK_MONOTONIC, &zero);
    SYS(clock_settime, 16, &zero);
    struct itimerval it = {{0, 0}, {0, 0}};
    SYS(getitimer, 3, &it);
    SYS(getitimer, -1, &it);
    SYS(setitimer, 3, &it, 0);
    SYS(getrusage, 2, buf);
    SYS(getrusage, -2, buf);
    SYS(getrusage, RUSAGE_THREAD, buf);
    SYS(syslog, 11, 0, 0);
    SYS(syslog, -1, 0, 0);
    SYS(syslog, 3, 0, 10);
    SYS(prctl, 9999, 0);
    SYS(riscv_hwprobe, 0, 0, 0, 0, 2);
    SYS(sethostname, "x", 65);
    SYS(sethostname, "x", -1);
    SYS(getgroups, -1, 0);
    SYS(setgroups, -1, 0);
    SYS(setgroups, 65537, 0);
}

static void limits_and_pids(void) {
    header("resources and pids");
    struct rlimit rl, wrong = {5, 4};
    SYS(prlimit64, 0, RLIM_NLIMITS, 0, &rl);
    SYS(prlimit64, 0, -1, 0, &rl);
    SYS(prlimit64, 0, RLIMIT_RTTIME, 0, &rl);
    SYS(prlimit64, NOBODY, RLIMIT_NOFILE, 0, &rl);
    SYS(prlimit64, -1, RLIMIT_NOFILE, 0, &rl);
    SYS(prlimit64, INT_MIN_, RLIMIT_NOFILE, 0, &rl);
    SYS(prlimit64, NOBODY, RLIM_NLIMITS, 0, &rl);
    SYS(prlimit64, 0, RLIMIT_CORE, &wrong, 0);
    SYS(prlimit64, NOBODY, RLIMIT_CORE, &wrong, 0);
    SYS(prlimit64, 0, RLIM_NLIMITS, &wrong, 0);
    SYS(prlimit64, 0, RLIM_NLIMITS, 8, 0);
    SYS(prlimit64, NOBODY, RLIMIT_NOFILE, 8, 0);
    SYS(prlimit64, NOBODY, RLIMIT_NOFILE, 0, 8);
    SYS(prlimit64, 0, RLIMIT_NOFILE, 0, 8);
    struct {
        void* next;
        long offset;
        void* pending;
    } head = {&head, 0, 0};
    SYS(set_robust_list, &head, 24);
    SYS(set_robust_list, &head, 0);
    SYS(set_robust_list, &head, 23);
    SYS(set_robust_list, &head, 25);
    SYS(set_robust_list, &head, -1);
    SYS(set_robust_list, &head, 1L << 32 | 24);
    SYS(kill, NOBODY, 0);
    SYS(kill, INT_MIN_, 0);
    SYS(kill, getpid(), 65);
    SYS(kill, NOBODY, 65);
    SYS(kill, getpid(), -1);
    SYS(kill, -NOBODY, 65);
    SYS(kill, 0, 65);
    SYS(kill, -getpgid(0), 65);
    SYS(tkill, NOBODY, 65);
    SYS(tkill, -1, 65);
    SYS(tkill, 0, 0);
    SYS(tkill, -1, 0);
    SYS(tkill, NOBODY, 0);
    SYS(tkill, gettid(), 65);
    SYS(tgkill, 0, gettid(), 0);
    SYS(tgkill, getpid(), 0, 0);
    SYS(tgkill, getpid(), NOBODY, 0);
    SYS(tgkill, NOBODY, NOBODY, 0);
    SYS(tgkill, NOBODY, gettid(), 0);
    SYS(tgkill, getpid(), NOBODY, 65);
    SYS(tgkill, 0, NOBODY, 65);
    siginfo_t queued = {0}, as_kill = {0};
    queued.si_code = SI_QUEUE;
    as_kill.si_code = SI_USER;
    SYS(rt_sigqueueinfo, NOBODY, 0, &queued);
    SYS(rt_sigqueueinfo, getpid(), 65, &queued);
    SYS(rt_sigqueueinfo, NOBODY, 65, &queued);
    SYS(rt_sigqueueinfo, 0, 0, &queued);
    SYS(rt_sigqueueinfo, getpid(), 0, 8);
    SYS(rt_sigqueueinfo, NOBODY, 0, &as_kill);
    SYS(getpgid, NOBODY);
    SYS(getpgid, -1);
    SYS(getsid, NOBODY);
    SYS(getsid, -1);
    SYS(setpgid, NOBODY, 0);
    SYS(setpgid, 0, -1);
    SYS(setpgid, -1, 0);
    unsigned long mask[2];
    SYS(sched_getaffinity, NOBODY, 8, mask);
    SYS(sched_getaffinity, -1, 8, mask);
    SYS(sched_getaffinity, 0, 4, mask);
    SYS(sched_getaffinity, 0, 7, mask);
    SYS(sched_getaffinity, NOBODY, 4, mask);
    SYS(wait4, NOBODY, 0, 0, 0);
    SYS(wait4, -1, 0, 0, 0);
    SYS(wait4, -1, 0, 0x10, 0);
    SYS(wait4, NOBODY, 0, 0x10, 0);
    SYS(wait4, -1, 0, WNOHANG | __WALL | __WCLONE | __WNOTHREAD, 0);
    SYS(wait4, INT_MIN_, 0, 0, 0);
    struct clone_args args = {0};
    args.flags = 1L << 40;
    SYS(clone3, &args, sizeof args);
    args.flags = CLONE_THREAD;
    SYS(clone3, &args, sizeof args);
    args.flags = 0;
    args.exit_signal = 65;
    SYS(clone3, &args, sizeof args);
    SYS(clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0);
    SYS(clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir(D, 0755);
    const int d = open(D, O_RDONLY | O_DIRECTORY);
    close(open(D "/f", O_CREAT | O_RDWR | O_TRUNC, 0644));
    random_and_stat(d);
    descriptors(d);
    names(d);
    memory();
    signals_and_time();
    limits_and_pids();
    close(d);
    printf("cleaned up: %d %d\n", unlink(D "/f"), rmdir(D));
    return 0;
}
