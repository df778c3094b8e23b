// SPDX-License-Identifier: MIT
// A process's state, for the kernel's process code and its syscalls (nothing above the kernel
// layer includes this).
#pragma once
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/address_space.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/process.h>
#include <keel/lib/atomic.h>
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::process {

inline constexpr uint64_t kPage = kPageSize;

// One process, in a page of its own.
struct Process {
    uint64_t pid = 0;
    uint64_t parent = 0;
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
    uint64_t warned[8] = {};  // unknown syscall numbers already logged, a bit each (511: all above)
    fs::FdTable* fds = nullptr;  // its descriptors (a table of its own; forks copy it)
    fs::Context fs;              // its root, working directory and umask
    uint64_t children[16] = {};  // pids of children not yet waited for (0: a free slot)
    uint64_t clear_tid = 0;      // CLONE_CHILD_CLEARTID: 0 is written there at exit
    uint64_t set_tid = 0;        // CLONE_CHILD_SETTID: the child writes its tid there first
    uint64_t fp[33] = {};        // f0-f31 and fcsr it starts with (a forked child: its parent's)
    TrapFrame start_frame{};     // a forked child's registers: its parent's, a0 = 0
    bool background = false;     // started with "&": its end is reported when it comes
    bool takes_console = false;  // the shell's foreground program: its job reads the console

    // The space it runs in: its own, or a vfork child's parent's.
    AddressSpace& space() { return borrowed != nullptr ? *borrowed : memory; }
};

// The calling task's process, or nullptr.
Process* current();
// A process block with a fresh address space, named `name`, the caller its parent; nullptr when
// pages ran out. release() gives back its space and block.
Process* new_process(StringView name);
void release(Process* p);
// A process's task: into its space, then U-mode with start_frame's registers.
int64_t run(void* argument);
// No page was left for the calling process at `address`: one line saying so, and a kill (SIGKILL)
// that takes effect when it next goes back to user mode.
void out_of_memory(Process& p, uint64_t address);
// A vfork child is done with its parent (at its execve, or its end): the parent, which waited
// (CLONE_VFORK), goes on, and its memory (CLONE_VM) is its own again.
void release_borrowed(Process& child);

}  // namespace keel::process
