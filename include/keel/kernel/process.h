// SPDX-License-Identifier: MIT
// Processes: a program from the initramfs running in U-mode in an address space of its own, as a
// task of the scheduler. Its ELF image (lib/elf.h) is loaded page by page, its stack gets the
// Linux initial layout (argc, argv, envp, auxv), and it talks to keel through the Linux RISC-V
// syscall ABI (kernel/syscalls.cpp). A fault in it ends only it. Its pid is its task's id.
#pragma once
#include <keel/arch/riscv/trap.h>
#include <keel/lib/elf.h>
#include <keel/lib/result.h>
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::process {

enum class StartError : uint8_t {
    kNoInitramfs,  // no programs at all
    kNotFound,     // no such file in the initramfs
    kNotAFile,     // a directory
    kBadElf,       // the ELF checker refused it (the reason is printed)
    kNoMemory,     // pages for its tables, image or stack ran out
    kTooManyArgs,  // argv does not fit its first stack page
    kNoTask,       // the scheduler could not start it
};
const char* start_error_name(StartError error);

inline constexpr size_t kMaxArgs = 32;

// Loads /path (argv[0] is its name) and starts it; returns its pid. What the ELF checker refused
// is printed on one line ("hello: not an executable: dynamically linked: it needs ...").
// In the background, nobody waits: its end is reported on the console when it comes.
Result<uint64_t, StartError> start(StringView path, const StringView* argv, size_t argc,
                                   bool background = false);

// The console's input goes to one job at a time: the shell's foreground program's (it takes it
// as it starts), or nobody's (0: the shell reads). The shell gives it up when its wait for the
// program ends; readers of any other job, blocked or not, read end of file.
void release_console(uint64_t job);
// Whether the calling task's job holds the console.
bool holds_console();

// For the trap code: a trap from U-mode. ecall runs a syscall; anything else kills the process.
void handle_user_exception(TrapFrame& frame, TrapCause cause);

// Linux signal numbers (asm-generic/signal.h) keel reports deaths with.
inline constexpr int kSigIll = 4;
inline constexpr int kSigTrap = 5;
inline constexpr int kSigBus = 7;
inline constexpr int kSigKill = 9;
inline constexpr int kSigSegv = 11;

// How a process killed by `signal` died, for people: "memory fault (SIGSEGV)".
const char* signal_name(int signal);

// Ends the calling process with Linux wait status `status` (exit(n): n << 8; a signal: its
// number): its memory goes back, its task ends.
[[noreturn]] void exit_current(int status);
// For ps (sched::list, with the scheduler lock held): a process's parent and its pages.
uint64_t parent_of(const void* process);
uint64_t pages_of(const void* process);

// For sched::exit, when a process's task ends (also when killed): gives its memory back and
// returns the wait status to end with (a kill, sched::kExitKilled, becomes SIGKILL).
int64_t release_current(int64_t value);

}  // namespace keel::process
