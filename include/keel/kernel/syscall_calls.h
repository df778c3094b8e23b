// SPDX-License-Identifier: MIT
// The syscalls themselves, by family, for kernel/syscalls.cpp's dispatch: errno values (Linux
// include/uapi/asm-generic/errno-base.h), and the calls on memory (syscalls_memory.cpp) and on
// files (syscalls_files.cpp). Each returns the value or -errno for a0.
#pragma once
#include <keel/kernel/process_state.h>
#include <stdint.h>

namespace keel::syscalls {

inline constexpr int64_t kEnoent = 2;
inline constexpr int64_t kEbadf = 9;
inline constexpr int64_t kEnomem = 12;
inline constexpr int64_t kEacces = 13;
inline constexpr int64_t kEfault = 14;
inline constexpr int64_t kEnotdir = 20;
inline constexpr int64_t kEisdir = 21;
inline constexpr int64_t kEinval = 22;
inline constexpr int64_t kEmfile = 24;
inline constexpr int64_t kEnotty = 25;
inline constexpr int64_t kEspipe = 29;
inline constexpr int64_t kErofs = 30;
inline constexpr int64_t kEnametoolong = 36;
inline constexpr int64_t kEnosys = 38;
inline constexpr int64_t kEnodev = 19;
inline constexpr int64_t kEsrch = 3;
inline constexpr int64_t kEnoexec = 8;
inline constexpr int64_t kEchild = 10;
inline constexpr int64_t kE2big = 7;
inline constexpr int64_t kEagain = 11;
inline constexpr int64_t kEperm = 1;
inline constexpr int64_t kEintr = 4;
inline constexpr int64_t kEopnotsupp = 95;
inline constexpr int64_t kEexist = 17;

int64_t brk(process::Process& p, uint64_t address);
int64_t mmap(process::Process& p, uint64_t address, uint64_t length, uint64_t protection,
             uint64_t flags, int64_t fd, uint64_t offset);
int64_t munmap(process::Process& p, uint64_t address, uint64_t length);
int64_t mprotect(process::Process& p, uint64_t address, uint64_t length, uint64_t protection);
int64_t mremap(process::Process& p, uint64_t old_address, uint64_t old_length, uint64_t new_length,
               uint64_t flags, uint64_t new_address);
int64_t madvise(process::Process& p, uint64_t address, uint64_t length, uint64_t advice);

// Process control (process_control.cpp).
int64_t clone(process::Process& p, const TrapFrame& frame, uint64_t flags, uint64_t stack,
              uint64_t parent_tid, uint64_t child_tid);
int64_t wait4(process::Process& p, int64_t pid, uint64_t status, uint64_t options);
int64_t execve(process::Process& p, TrapFrame& frame, uint64_t path, uint64_t argv);
int64_t kill(process::Process& p, int64_t pid, int64_t signal);

int64_t openat(process::Process& p, int64_t directory, uint64_t path, uint64_t flags);
int64_t close(process::Process& p, int64_t fd);
int64_t read(process::Process& p, int64_t fd, uint64_t buffer, uint64_t count);
int64_t lseek(process::Process& p, int64_t fd, int64_t offset, uint64_t whence);
int64_t fstat(process::Process& p, int64_t fd, uint64_t stat);
int64_t fstatat(process::Process& p, int64_t directory, uint64_t path, uint64_t stat,
                uint64_t flags);
int64_t getdents64(process::Process& p, int64_t fd, uint64_t buffer, uint64_t size);

}  // namespace keel::syscalls
