// SPDX-License-Identifier: MIT
// A process's state, for the kernel's process code and its syscalls (nothing above the kernel
// layer includes this).
#pragma once
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/address_space.h>
#include <keel/kernel/cpu_time.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/process.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/signals.h>
#include <keel/kernel/sync.h>
#include <keel/lib/atomic.h>
#include <keel/lib/intrusive_list.h>
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::process {

inline constexpr uint64_t kPage = kPageSize;

// Where a process is in its life (process_tree.cpp).
enum class Life : uint8_t {
    kRunning,
    kStopped,  // by SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU, until SIGCONT or SIGKILL
    kZombie,   // ended: its block waits for its parent's wait4, with its status
};

// What a parent's wait4 has yet to be told of a child (besides its end).
enum class Report : uint8_t { kNone, kStopped, kContinued };

// One process, in two pages of its own. Its family, group, session, life and signal state are
// the process tree's (process_tree.h), under the process lock.
struct Process {
    uint64_t pid = 0;
    uint64_t parent = 0;  // its parent's pid (keel's shell's task: started by it, or orphaned)
    Process* parent_process = nullptr;  // nullptr: keel's shell started it, or it was orphaned
    ListLink all_link;                  // on the list of every process
    ListLink sibling_link;              // on its parent's children
    IntrusiveList<Process, &Process::sibling_link> children;
    uint64_t pgid = 0;            // its process group
    uint64_t sid = 0;             // its session
    sched::Task* task = nullptr;  // its task while it runs (nullptr once it ends)
    Life life = Life::kRunning;
    Report report = Report::kNone;
    int stop_signal = 0;            // the signal that stopped it (Report::kStopped)
    int32_t wait_status = 0;        // a zombie's: what wait4 reports
    bool shell_waits = false;       // started by keel's shell, which waits for it (or it is freed)
    bool exec_done = false;         // it has called execve (setpgid from its parent: EACCES)
    bool child_subreaper = false;   // PR_SET_CHILD_SUBREAPER: it adopts its descendants' orphans
    sched::Event children_changed;  // a child ended, stopped or continued: wait4 looks again
    sched::Event resumed;           // SIGCONT (or SIGKILL) for a stopped process
    signals::State signals;
    char name[16] = {};
    AddressSpace memory;  // its own space
    // A vfork child (clone's CLONE_VM|CLONE_VFORK, as glibc's posix_spawn, popen and system
    // make): it runs in its parent's space, the parent waiting, until its execve or its end.
    AddressSpace* borrowed = nullptr;
    Process* vfork_parent = nullptr;    // whom to wake when it lets go of it
    Atomic<uint32_t> vfork_waiting{0};  // a parent: 1 while its vfork child has its memory
    sched::Event vfork_done;            // a parent: moves when the child lets go
    uint64_t entry = 0;
    uint64_t stack_pointer = 0;  // the initial sp, argc there
    // What /proc shows of its program (set at exec): argv's and the environment's strings on its
    // stack (Linux's mm->arg_start...env_end), the executable's path and identity.
    uint64_t arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;
    char exe[256] = {};
    uint64_t exe_device = 0, exe_ino = 0;
    uint64_t start_time = 0;  // `time` when it was made (/proc/PID/stat's starttime)
    // Set under the process lock before its memory and files go at its end: /proc, reading them
    // under that lock, looks first.
    bool resources_gone = false;
    uint64_t warned[8] = {};  // unknown syscall numbers already logged, a bit each (511: all above)
    fs::FdTable* fds = nullptr;  // its descriptors (a table of its own; forks copy it)
    fs::Context fs;              // its root, working directory and umask
    uint64_t clear_tid = 0;      // CLONE_CHILD_CLEARTID: 0 is written there at exit
    uint64_t set_tid = 0;        // CLONE_CHILD_SETTID: the child writes its tid there first
    uint64_t fp[33] = {};        // f0-f31 and fcsr it starts with (a forked child: its parent's)
    TrapFrame start_frame{};     // a forked child's registers: its parent's, a0 = 0
    bool background = false;     // started with "&": its end is reported when it comes
    // Its own CPU time once it has ended (while it runs, its task's: cpu_times), and its reaped
    // children's (kernel/cpu_time.h).
    CpuTimes cpu;
    // The syscall it is in, for a restart after a signal: its number and first argument.
    bool in_syscall = false;
    uint64_t syscall_a0 = 0;
    // Notes the call that trapped (its first argument is in `frame`), before a0 becomes its result.
    void enter_call(const TrapFrame& frame) {
        in_syscall = true;
        syscall_a0 = frame.regs[10];
    }

    // The space it runs in: its own, or a vfork child's parent's.
    AddressSpace& space() { return borrowed != nullptr ? *borrowed : memory; }
};

// The calling task's process, or nullptr.
Process* current();
// A process block with a fresh address space, named `name`, the caller its parent; nullptr when
// pages ran out. release() gives back its space and block.
Process* new_process(StringView name);
void release(Process* p);
// A zombie's block back to the page allocator (its memory and files went at its end).
void free_block(Process* p);
// SpawnOptions::prepare for a process's task: its pid and task, and its place in the tree.
bool join_tree(void* argument, sched::Task& task);
// A process's task: into its space, then U-mode with start_frame's registers.
int64_t run(void* argument);
// No page was left for the calling process at `address`: one line saying so, and a kill (SIGKILL)
// that takes effect when it next goes back to user mode.
void out_of_memory(Process& p, uint64_t address);
// A vfork child is done with its parent (at its execve, or its end): the parent, which waited
// (CLONE_VFORK), goes on, and its memory (CLONE_VM) is its own again.
void release_borrowed(Process& child);

}  // namespace keel::process
