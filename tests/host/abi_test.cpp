// SPDX-License-Identifier: MIT
// The ABI headers (include/keel/abi) lay structures out as riscv64 Linux does and agree with their
// own lists: checked at compile time. This file includes no libc or GoogleTest header, whose own
// struct stat, struct termios and O_* would collide with Linux's: a wrong layout fails the build.
#include <keel/abi/auxv.h>
#include <keel/abi/dirent.h>
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/ioctl.h>
#include <keel/abi/mman.h>
#include <keel/abi/poll.h>
#include <keel/abi/prctl.h>
#include <keel/abi/random.h>
#include <keel/abi/resource.h>
#include <keel/abi/riscv_hwprobe.h>
#include <keel/abi/rtc.h>
#include <keel/abi/sched.h>
#include <keel/abi/signal.h>
#include <keel/abi/stat.h>
#include <keel/abi/syscalls.h>
#include <keel/abi/sysinfo.h>
#include <keel/abi/termios.h>
#include <keel/abi/time.h>
#include <keel/abi/uio.h>
#include <keel/abi/utsname.h>
#include <keel/abi/wait.h>
#include <stddef.h>

namespace {

// Every SYS_name is the number the list gives the call, and the list runs in order of number,
// each number once, below KEEL_SYSCALL_LIMIT, the last one just below it.
#define KEEL_CHECK_SYS(number, name) static_assert(SYS_##name == (number), "SYS_" #name);
KEEL_SYSCALL_LIST(KEEL_CHECK_SYS)
#undef KEEL_CHECK_SYS

#define KEEL_NUMBER(number, name) number,
constexpr unsigned kSyscallNumbers[] = {KEEL_SYSCALL_LIST(KEEL_NUMBER)};
#undef KEEL_NUMBER
constexpr bool increasing(const unsigned* numbers, size_t count) {
    for (size_t i = 1; i < count; ++i) {
        if (numbers[i] <= numbers[i - 1]) return false;
    }
    return true;
}
constexpr size_t kSyscallCount = sizeof kSyscallNumbers / sizeof kSyscallNumbers[0];
static_assert(increasing(kSyscallNumbers, kSyscallCount));
static_assert(kSyscallNumbers[kSyscallCount - 1] == KEEL_SYSCALL_LIMIT - 1);
static_assert(kSyscallCount == 326, "Linux 6.17 assigns 326 calls on riscv64");
static_assert(SYS_openat == 56 && SYS_read == 63 && SYS_write == 64 && SYS_clone == 220);
static_assert(SYS_execve == 221 && SYS_mmap == 222 && SYS_wait4 == 260 && SYS_rseq == 293);
static_assert(SYS_riscv_hwprobe == 258 && SYS_riscv_flush_icache == 259 && SYS_clone3 == 435);

// The errno list names each error once, in order, EPERM to EHWPOISON.
#define KEEL_ERRNO_VALUE(name) name,
constexpr unsigned kErrnos[] = {KEEL_ERRNO_LIST(KEEL_ERRNO_VALUE)};
#undef KEEL_ERRNO_VALUE
constexpr size_t kErrnoCount = sizeof kErrnos / sizeof kErrnos[0];
static_assert(increasing(kErrnos, kErrnoCount));
static_assert(kErrnos[0] == EPERM && kErrnos[kErrnoCount - 1] == KEEL_ERRNO_MAX);
static_assert(kErrnoCount == 131, "1-133 but 41 and 58");

// struct stat: the generic 64-bit layout, 128 bytes.
static_assert(sizeof(struct stat) == 128);
static_assert(offsetof(struct stat, st_mode) == 16);
static_assert(offsetof(struct stat, st_rdev) == 32);
static_assert(offsetof(struct stat, st_size) == 48);
static_assert(offsetof(struct stat, st_blksize) == 56);
static_assert(offsetof(struct stat, st_blocks) == 64);
static_assert(offsetof(struct stat, st_atime) == 72);
static_assert(offsetof(struct stat, st_mtime) == 88);
static_assert(offsetof(struct stat, st_ctime_nsec) == 112);

// struct statx: 256 bytes, as the offsets Linux's header marks.
static_assert(sizeof(struct statx) == 256);
static_assert(sizeof(struct statx_timestamp) == 16);
static_assert(offsetof(struct statx, stx_nlink) == 0x10);
static_assert(offsetof(struct statx, stx_mode) == 0x1c);
static_assert(offsetof(struct statx, stx_ino) == 0x20);
static_assert(offsetof(struct statx, stx_atime) == 0x40);
static_assert(offsetof(struct statx, stx_mtime) == 0x70);
static_assert(offsetof(struct statx, stx_rdev_major) == 0x80);
static_assert(offsetof(struct statx, stx_mnt_id) == 0x90);

static_assert(sizeof(struct statfs) == 120);
static_assert(offsetof(struct statfs, f_fsid) == 56);
static_assert(offsetof(struct statfs, f_spare) == 88);

// getdents64: a 19-byte header, the name right after it.
static_assert(offsetof(struct linux_dirent64, d_reclen) == 16);
static_assert(offsetof(struct linux_dirent64, d_type) == 18);
static_assert(offsetof(struct linux_dirent64, d_name) == 19);

static_assert(sizeof(struct pollfd) == 8);
static_assert(offsetof(struct pollfd, revents) == 6);
static_assert(sizeof(struct timespec) == 16);
static_assert(sizeof(struct timeval) == 16);
static_assert(sizeof(struct itimerspec) == 32);
static_assert(sizeof(struct itimerval) == 32);
static_assert(sizeof(struct iovec) == 16);
static_assert(offsetof(struct iovec, iov_len) == 8);

// rt_sigaction's struct: handler, flags, mask; no sa_restorer on riscv64.
static_assert(sizeof(sigset_t) == 8);
static_assert(sizeof(struct sigaction) == 24);
static_assert(offsetof(struct sigaction, sa_flags) == 8);
static_assert(offsetof(struct sigaction, sa_mask) == 16);
static_assert(sizeof(stack_t) == 24);
static_assert(offsetof(stack_t, ss_size) == 16);
static_assert(sigmask(SIGINT) == 2 && sigmask(SIGRTMAX) == 1ULL << 63);

// The kernel's termios (TCGETS): 36 bytes.
static_assert(sizeof(struct termios) == 36);
static_assert(offsetof(struct termios, c_line) == 16);
static_assert(offsetof(struct termios, c_cc) == 17);
static_assert(sizeof(struct winsize) == 8);
static_assert(TCGETS == 0x5401 && TIOCGWINSZ == 0x5413 && FIONBIO == 0x5421);
static_assert(TIOCGPTN == 0x80045430 && TIOCGPTPEER == 0x5441);

static_assert(sizeof(struct rlimit) == 16);
static_assert(sizeof(struct rusage) == 144);
static_assert(offsetof(struct rusage, ru_maxrss) == 32);
static_assert(sizeof(struct utsname) == 390);
static_assert(offsetof(struct utsname, machine) == 260);
static_assert(sizeof(struct sysinfo) == 112);
static_assert(offsetof(struct sysinfo, procs) == 80);
static_assert(offsetof(struct sysinfo, totalhigh) == 88);
static_assert(offsetof(struct sysinfo, mem_unit) == 104);
static_assert(sizeof(struct rtc_time) == 36);
static_assert(RTC_RD_TIME == 0x80247009 && RTC_SET_TIME == 0x4024700a);
static_assert(sizeof(struct riscv_hwprobe) == 16);
static_assert(sizeof(struct clone_args) == CLONE_ARGS_SIZE_VER2);

// wait4's status word, both ways.
static_assert(WIFEXITED(W_EXITCODE(3, 0)) && WEXITSTATUS(W_EXITCODE(3, 0)) == 3);
static_assert(!WIFSIGNALED(W_EXITCODE(3, 0)) && !WIFSTOPPED(W_EXITCODE(3, 0)));
static_assert(WIFSIGNALED(SIGSEGV) && WTERMSIG(SIGSEGV) == SIGSEGV && !WIFEXITED(SIGSEGV));
static_assert(WCOREDUMP(SIGSEGV | WCOREFLAG) && WTERMSIG(SIGSEGV | WCOREFLAG) == SIGSEGV);
static_assert(WIFSTOPPED(W_STOPCODE(SIGTSTP)) && WSTOPSIG(W_STOPCODE(SIGTSTP)) == SIGTSTP);
static_assert(!WIFSIGNALED(W_STOPCODE(SIGTSTP)) && !WIFEXITED(W_STOPCODE(SIGTSTP)));
static_assert(WIFCONTINUED(__W_CONTINUED) && !WIFSIGNALED(__W_CONTINUED));

// Flags whose values are easy to get wrong from memory.
static_assert(O_DIRECTORY == 0x10000 && O_CLOEXEC == 0x80000 && O_PATH == 0x200000);
static_assert(O_TMPFILE == (0x400000 | O_DIRECTORY));
static_assert(AT_FDCWD == -100 && AT_EMPTY_PATH == 0x1000);
static_assert((MAP_PRIVATE | MAP_ANONYMOUS) == 0x22 && MAP_FIXED_NOREPLACE == 0x100000);
static_assert(CLONE_CLEAR_SIGHAND == 1ULL << 32);
static_assert(RLIM_INFINITY == ~0ULL);

}  // namespace
