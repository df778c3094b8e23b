// SPDX-License-Identifier: MIT
// The calls keel implements, by Linux's names: the one list the dispatch table is made from (with
// the numbers of abi/syscalls.h), each served by sys_<name>(process, frame) in one of the
// syscalls_*.cpp files; docs/syscalls.md lists the same names (the test docs.syscalls checks it).
// Every other number is logged once per process, by its Linux name, and gets -ENOSYS.
#pragma once
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/process_state.h>

// clang-format off
#define KEEL_IMPLEMENTED_SYSCALLS(X) \
    X(getcwd) X(dup) X(dup3) X(fcntl) X(ioctl) X(mknodat) X(mkdirat) X(unlinkat) X(symlinkat) \
    X(linkat) X(statfs) X(fstatfs) X(truncate) X(ftruncate) X(faccessat) X(chdir) X(fchdir) \
    X(fchmod) X(fchmodat) X(fchownat) X(fchown) X(openat) X(close) X(pipe2) X(getdents64) \
    X(lseek) X(read) X(write) X(readv) X(writev) X(pread64) X(pwrite64) X(preadv) X(pwritev) \
    X(sendfile) X(pselect6) X(ppoll) X(readlinkat) X(newfstatat) X(fstat) X(sync) X(fsync) \
    X(fdatasync) X(utimensat) X(exit) X(exit_group) X(set_tid_address) X(set_robust_list) \
    X(nanosleep) X(clock_gettime) X(clock_getres) X(clock_nanosleep) X(sched_yield) X(kill) \
    X(setgid) X(setuid) X(uname) X(umask) X(prctl) X(getpid) X(getppid) X(getuid) X(geteuid) \
    X(getgid) X(getegid) X(gettid) X(brk) X(munmap) X(mremap) X(clone) X(execve) X(mmap) \
    X(mprotect) X(msync) X(madvise) X(wait4) X(prlimit64) X(syncfs) X(renameat2) X(getrandom) \
    X(statx) X(riscv_hwprobe) X(rseq) X(faccessat2) X(clone3) X(tkill) X(tgkill) X(sigaltstack) \
    X(rt_sigsuspend) X(rt_sigaction) X(rt_sigprocmask) X(rt_sigpending) X(rt_sigtimedwait) \
    X(rt_sigreturn) X(rt_sigqueueinfo) X(setpgid) X(getpgid) X(getsid) X(setsid) X(getitimer) X(setitimer) \
    X(syslog) X(sethostname) X(setdomainname) X(getresuid) X(getresgid) X(setreuid) X(setregid) \
    X(setresuid) X(setresgid) X(setfsuid) X(setfsgid) X(getgroups) X(setgroups) \
    X(sysinfo) X(mount) X(umount2) \
    X(clock_settime) X(gettimeofday) X(settimeofday) X(times) X(getrusage) X(sched_getaffinity)

// The calls that read or replace the program's whole register set, callee-saved registers too (a
// fork copies them into the child; execve and rt_sigreturn replace them): they take the full trap
// path, whose frame has them all (user_trap.cpp).
#define KEEL_WHOLE_FRAME_SYSCALLS(X) X(clone) X(clone3) X(execve) X(rt_sigreturn)
// clang-format on

namespace keel::syscalls {

#define KEEL_DECLARE_SYSCALL(name) int64_t sys_##name(process::Process& p, TrapFrame& frame);
KEEL_IMPLEMENTED_SYSCALLS(KEEL_DECLARE_SYSCALL)
#undef KEEL_DECLARE_SYSCALL

// A call's arguments, as Linux's calls take them: a0-a5 whole (pointers, sizes, 64-bit
// offsets), or their low 32 bits (int fds, pids and flags: Linux ignores the upper half).
inline uint64_t arg(const TrapFrame& frame, unsigned i) {
    return frame.regs[10 + i];
}
inline int32_t int_arg(const TrapFrame& frame, unsigned i) {
    return static_cast<int32_t>(frame.regs[10 + i]);
}
inline uint32_t uint_arg(const TrapFrame& frame, unsigned i) {
    return static_cast<uint32_t>(frame.regs[10 + i]);
}

}  // namespace keel::syscalls
