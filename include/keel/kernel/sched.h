// SPDX-License-Identifier: MIT
// Tasks: kernel threads, scheduled preemptively on every hart. Each hart has a run queue; a hart
// with nothing to run takes a task from a busier one, and otherwise sleeps in wfi until an IPI or
// its alarm. A task runs for a time slice of one tick (10 ms) when others wait for its hart; the
// alarm that ends the slice is armed only then (or for a sleeper due), so an idle machine takes
// no timer interrupt. A task's stack comes from the page allocator, with unmapped pages under it.
#pragma once
#include <keel/lib/result.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::process {
struct Process;
}

namespace keel::sched {

using TaskId = uint64_t;
struct Task;
// A task's body; what it returns is its exit value (join returns it).
using TaskFunction = int64_t (*)(void* argument);

enum class TaskState : uint32_t { kRunnable, kRunning, kSleeping, kBlocked, kExited };
const char* task_state_name(TaskState state);

// Exit values the kernel gives a task that did not return one itself.
inline constexpr int64_t kExitKilled = -9;          // kill ID
inline constexpr int64_t kExitStackOverflow = -11;  // its stack ran into the guard pages

inline constexpr unsigned kDefaultStackPages = 4;  // 16 KiB
inline constexpr unsigned kMaxStackPages = 8;      // 32 KiB
inline constexpr unsigned kNoHart = ~0u;

struct SpawnOptions {
    unsigned stack_pages = kDefaultStackPages;  // a power of two, at most kMaxStackPages
    unsigned hart_slot = kNoHart;               // run only on this hart slot (pinned)
    bool detached = false;  // nobody joins it: its memory is freed as soon as it exits
    bool protect = false;   // kill refuses it (the shell)
    // A process's task (kernel/process.cpp): it runs `process` in address space `satp` from the
    // very start, so that a kill before its first instruction still gives the process back.
    process::Process* process = nullptr;
    uint64_t satp = 0;
    // Called with `argument` once the task has its id, before it first runs: false gives the task
    // up (spawn fails with kRefused). A process joins the process tree here.
    bool (*prepare)(void* argument, Task& task) = nullptr;
};
// Processes may hold at most this many tasks, so that a fork bomb leaves the kernel and the
// shell room to work (and to end it). keel's threads-max: a zombie keeps its task, and its place,
// until it is reaped (Linux counts a zombie in nr_threads until release_task).
inline constexpr unsigned kMaxProcessTasks = 192;

enum class SpawnError : uint8_t { kNotRunning, kBadOptions, kNoMemory, kTooManyTasks, kRefused };
const char* spawn_error_name(SpawnError error);
enum class JoinError : uint8_t {
    kNoSuchTask,
    kSelf,
    kDetached,
    kJoinedElsewhere,
    kRunning,
    kKilled,  // the waiting task was asked to exit meanwhile (kill)
};
const char* join_error_name(JoinError error);
enum class KillError : uint8_t { kNoSuchTask, kRefused };
const char* kill_error_name(KillError error);

// Starts `function(argument)` as a task named `name` (up to 15 characters kept).
Result<TaskId, SpawnError> spawn(const char* name, TaskFunction function, void* argument,
                                 const SpawnOptions& options = {});
// Waits for task `id` to exit and returns its exit value; its memory is freed then.
Result<int64_t, JoinError> join(TaskId id);
// join() if task `id` has exited already; kRunning (and nothing done) if it has not.
Result<int64_t, JoinError> try_join(TaskId id);
// Nobody will join task `id` after all: it is freed when it exits (at once if it has). For a
// process's children when it ends. False when there is no such joinable task.
bool detach(TaskId id);
// Whether `id` is a task that runs a process (what a program's kill may reach).
bool is_process(TaskId id);
// Ends the calling task (sched::exit with kExitKilled) if it was asked to: where a syscall
// returns to its program, a preemption point like any other.
void exit_if_killed();
// Lets the other runnable tasks of this hart run first.
void yield();
// Sleeps at least `ms` milliseconds (and wakes within a tick of it). With `stop`, wakes every
// 50 ms to ask it and returns false as soon as it says so.
bool sleep_ms(uint64_t ms, bool (*stop)() = nullptr);
[[noreturn]] void exit(int64_t value);
// Asks task `id` to exit (with kExitKilled) at its next preemption point; a sleeping task is
// woken for it. Idle tasks and protected ones refuse.
Result<void, KillError> kill(TaskId id);

// For processes (kernel/process.cpp): the calling task switches to address space `satp` (0: the
// kernel's) for good, and is marked as running `process`; the scheduler loads it at each switch.
void enter_address_space(uint64_t satp, process::Process* process);
// The process the calling task runs, or nullptr.
process::Process* current_process();

// The calling task's id (an idle task's, outside any task).
TaskId current_id();
// Whether the calling code runs in a task (false: boot code or a hart's idle loop).
bool in_task();

// What ps shows of a task.
struct TaskInfo {
    TaskId id;
    char name[16];
    TaskState state;
    uint64_t hart_id;   // the hart it runs on, or last ran on
    uint64_t cpu_us;    // time it has run
    size_t stack_used;  // deepest use of its stack so far (high-water mark), bytes
    size_t stack_size;  // bytes
    bool idle;
    bool process;         // it runs a program in user mode: then its parent and pages
    bool stopped;         // a process stopped by a signal (SIGSTOP, SIGTSTP...)
    uint64_t parent;      // the pid (task id) that started it
    uint64_t user_pages;  // pages of its address space: image, stack, heap, mappings, tables
};
// Fills `out` with up to `capacity` tasks, in id order; returns how many there are in all.
size_t list(TaskInfo* out, size_t capacity);

// The running task's name becomes `name` (cut to 15 characters), as a program's does on execve.
void rename_current(const char* name);

// Task memory now: live tasks and their pages (task block and stack).
struct Usage {
    size_t tasks;
    size_t pages;
};
Usage usage();

// For kmain and smp: makes the calling context hart `slot`'s idle task (the boot hart first,
// before the others start), and then, in idle(), its idle loop.
void init_hart(unsigned slot);
// Once, on the boot hart, after the page allocator and the kernel map: spawn() works from here.
void start_tasks();
[[noreturn]] void idle();
// For the trap code: the alarm came due on this hart; an interrupt (or its IPI) is ending. These
// are where preemption happens.
void on_alarm();
void on_interrupt_exit();
// For the syscall path: a syscall is returning to its program, a preemption point like an
// interrupt's end (the tick that ends a slice mostly comes while the kernel serves a call, nested,
// where it cannot switch): the slice is checked, and a kill takes effect.
void on_syscall_return();
// For the trap code: the scheduler's IPI came while the kernel served a syscall (nested): the
// alarm is armed for what now waits for this hart.
void on_nested_ipi();
// For the fault report: when `address` lies in a task's stack guard, the task, and true.
bool describe_stack_fault(uint64_t address);
// The calling task ran into its stack guard: its report is printed; it ends with
// kExitStackOverflow. Returns (doing nothing) outside a task.
void end_faulting_task(uint64_t address);

}  // namespace keel::sched
