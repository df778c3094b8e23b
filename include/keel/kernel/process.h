// SPDX-License-Identifier: MIT
// Processes: a program from the initramfs running in U-mode in an address space of its own, as a
// task of the scheduler. Its ELF image (lib/elf.h) is loaded page by page, its stack gets the
// Linux initial layout (argc, argv, envp, auxv), and it talks to keel through the Linux RISC-V
// syscall ABI (kernel/syscalls.cpp). A fault in it ends only it. Its pid is its task's id.
#pragma once
#include <keel/arch/riscv/trap.h>
#include <keel/lib/cpio.h>
#include <keel/lib/elf.h>
#include <keel/lib/result.h>
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::fs {
struct Context;  // (fs/vfs.h)
}

namespace keel::process {

struct Process;  // (process_state.h)

inline constexpr size_t kMaxArgs = 32;  // what the shell passes

// Boot, from the shell's task: the root file system, the initramfs (or none) unpacked into it.
void init(const cpio::Archive* archive);
// The directories of the PATH keel's shell gives its programs, in order.
inline constexpr const char* kProgramDirectories[] = {"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/"};
// Where the shell finds program `name`: itself if it holds a '/', else the first regular file
// of that name in kProgramDirectories, into `path`; its length, 0 when there is none (or it is
// too long).
size_t find_program(StringView name, char* path, size_t capacity);
// Where the shell's programs start (its root and working directory: /), for the kernel's own
// lookups on the shell's behalf.
const fs::Context& first_context();
// What start()'s errno means, in words ("no such file").
const char* start_error_name(int error);
// start()'s error for a file the ELF checker refused (it has said why already): ENOEXEC.
inline constexpr int kErrorNotExecutable = 8;

// Starts the program at `path` (resolved as a program's execve would: from /, symbolic links
// followed, a `#!` script through its interpreter) with `argv` and the shell's environment
// (PATH, HOME, TERM...): its pid, or -errno (ENOENT, EACCES, ENOEXEC, E2BIG, ENOMEM, EAGAIN).
// What the ELF checker refused is printed on one line ("hello: not an executable: ...").
// In the background, nobody waits: its end is reported on the console when it comes.
Result<uint64_t, int> start(StringView path, const StringView* argv, size_t argc,
                            bool background = false);

// For keel's shell: waits for the process it started, `pid`, to end (its wait status; its block
// is freed) or stop (a W_STOPCODE status: it goes on without a waiter, freed when it ends).
int32_t wait_started(uint64_t pid);
// From outside any process (keel's shell, the terminal): `signal` to process `pid`, or to every
// process of group `pgid`. Whether anyone got it.
bool kill_from_kernel(uint64_t pid, int signal);
bool kill_group_from_kernel(uint64_t pgid, int signal);

// For the trap code: a trap from U-mode. ecall runs a syscall; a page fault brings a page in; any
// other fault raises its signal (SIGSEGV, SIGBUS, SIGILL, SIGTRAP), which ends the process with a
// one-line report unless a handler takes it.
void handle_user_exception(TrapFrame& frame, TrapCause cause);
// For the trap code: a trap from U-mode ends (frame: the program's registers). The one way back
// to user mode: preemption, a kill, and every signal the process may take now. (The lean path,
// user_trap.cpp, goes straight back when none of these has anything to do.)
void return_to_user(TrapFrame& frame);
// The access a page fault was for, by its cause; false for any other cause.
enum class Access : uint8_t;  // (address_space.h)
bool page_fault_access(TrapCause cause, Access& access);

// How a process killed by `signal` died, for people: "memory fault (SIGSEGV)".
const char* signal_name(int signal);

// Ends the calling process with Linux wait status `status` (exit(n): n << 8; a signal: its
// number): its memory goes back, its task ends.
[[noreturn]] void exit_current(int status);
// For ps (sched::list, with the scheduler lock held): a process's parent and its pages.
uint64_t parent_of(const Process* process);
bool is_stopped(const Process* process);
uint64_t pages_of(const Process* process);

// For sched::exit, when a process's task ends (also when killed): gives its memory back and
// returns the wait status to end with (a kill, sched::kExitKilled, becomes SIGKILL).
int64_t release_current(int64_t value);

}  // namespace keel::process
