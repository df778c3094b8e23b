// SPDX-License-Identifier: MIT
// A process's state, for the kernel's process code and its syscalls (nothing above the kernel
// layer includes this).
#pragma once
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/address_space.h>
#include <keel/kernel/process.h>
#include <keel/lib/string_view.h>
#include <keel/mm/phys_map.h>
#include <stdint.h>

namespace keel::process {

inline constexpr uint64_t kPage = mm::kPageSize;

// An open file of the initramfs (fds 0-2 are the console).
struct File {
    bool open = false;
    const uint8_t* data = nullptr;
    uint64_t size = 0;
    uint64_t offset = 0;
    uint32_t mode = 0;  // cpio's: type and permissions
    uint32_t inode = 0;
    uint64_t entry = 0;  // a directory: the next archive entry getdents64 looks at
    StringView path;     // a directory: its name in the archive, which stays ("" for the root)
};
inline constexpr int kMaxFiles = 16;

// One process, in a page of its own.
struct Process {
    uint64_t pid = 0;
    uint64_t parent = 0;
    char name[16] = {};
    AddressSpace memory;
    uint64_t entry = 0;
    uint64_t stack_pointer = 0;  // the initial sp, argc there
    uint64_t warned[8] = {};  // unknown syscall numbers already logged, a bit each (511: all above)
    File files[kMaxFiles];
    uint64_t children[16] = {};  // pids of children not yet waited for (0: a free slot)
    uint64_t clear_tid = 0;      // CLONE_CHILD_CLEARTID: 0 is written there at exit
    uint64_t set_tid = 0;        // CLONE_CHILD_SETTID: the child writes its tid there first
    uint64_t fp[33] = {};        // f0-f31 and fcsr it starts with (a forked child: its parent's)
    TrapFrame start_frame{};     // a forked child's registers: its parent's, a0 = 0
    bool background = false;     // started with "&": its end is reported when it comes
    bool takes_console = false;  // the shell's foreground program: its job reads the console
};

// The calling task's process, or nullptr.
Process* current();
// A process block with a fresh address space, named `name`, the caller its parent; nullptr when
// pages ran out. release() gives back its space and block.
Process* new_process(StringView name);
void release(Process* p);
// Loads the program at `path` into `p`'s (fresh) space: its segments, and its stack with argv;
// sets entry, stack_pointer and the heap's start. A refused ELF is said on the console.
Result<void, StartError> load_program(Process& p, StringView path, const StringView* argv,
                                      size_t argc);
// A process's task: into its space, then U-mode with start_frame's registers.
int64_t run(void* argument);
// No page was left for the calling process at `address`: one line saying so, and a kill (SIGKILL)
// that takes effect when it next goes back to user mode.
void out_of_memory(Process& p, uint64_t address);

}  // namespace keel::process
