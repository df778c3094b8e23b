// SPDX-License-Identifier: MIT
// clone's and clone3's flags and clone3's arguments, and the scheduling policies: Linux's
// include/uapi/linux/sched.h (clone(2), sched(7)).
#pragma once
#include <stdint.h>

// clone's flags: the low byte is the signal the child sends its parent when it ends (SIGCHLD
// for fork); the rest say what the child shares with its parent.
#define CSIGNAL 0x000000ff
#define CLONE_NEWTIME 0x00000080  // clone3 and unshare only: a new time namespace
#define CLONE_VM 0x00000100       // the address space (a thread, or vfork)
#define CLONE_FS 0x00000200       // root, working directory, umask
#define CLONE_FILES 0x00000400    // the descriptor table
#define CLONE_SIGHAND 0x00000800  // the signal handlers
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000  // the parent waits until the child execs or exits
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000  // the same thread group (process)
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000  // tp = the tls argument
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000
#define CLONE_CLEAR_SIGHAND 0x100000000ULL  // clone3 only
#define CLONE_INTO_CGROUP 0x200000000ULL    // clone3 only

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// clone3's argument; its size is the second argument (64, 80 or 88 bytes as fields were added).
struct clone_args {
    uint64_t flags;  // CLONE_*, without the signal
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;  // the lowest address of the child's stack
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;
    uint64_t set_tid_size;
    uint64_t cgroup;
};

// NOLINTEND(readability-identifier-naming)

#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER1 80
#define CLONE_ARGS_SIZE_VER2 88

// Scheduling policies.
#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000
