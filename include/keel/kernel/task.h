// SPDX-License-Identifier: MIT
// The scheduler's inside, for the kernel's own synchronisation (sync.cpp) and task bookkeeping
// (tasks.cpp): the task block, wait queues, and the primitives that block and wake under the one
// scheduler lock. Nothing above the kernel layer includes this.
#pragma once
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/console.h>
#include <keel/core/lock.h>
#include <keel/kernel/sched.h>
#include <keel/lib/intrusive_list.h>

namespace keel::sched {

struct WaitQueue;

// One task. It lives in a page of its own from the page allocator (an idle task in .bss).
struct Task {
    Context context;  // where it stopped (switch.S)
    TrapThread trap;  // its trap nesting, fault guard and stack bottom
    TaskId id = 0;
    char name[16] = {};
    TaskState state = TaskState::kRunnable;
    unsigned hart_slot = 0;          // where it runs, or last ran
    unsigned pinned_slot = kNoHart;  // the only hart it may run on
    bool idle = false;
    bool detached = false;
    bool protect = false;
    bool kill_requested = false;
    // A signal waits for its process (kernel/signals.cpp): interruptible waits end for it, and it
    // is delivered on the way back to user mode.
    bool signal_pending = false;
    bool exiting = false;       // in exit(): a kill has nothing left to do
    bool runs_process = false;  // spawned for a process: counted among kMaxProcessTasks
    uint32_t mutexes_held = 0;  // kill waits until it holds none
    uint64_t cpu_time = 0;      // `time` units it has run, up to its last switch
    uint64_t ran_since = 0;     // `time` when it last started running
    uint64_t user_time = 0;     // `time` units of cpu_time spent in U-mode (kernel/cpu_time.cpp)
    uint64_t user_since = 0;    // `time` when it last went back to U-mode; 0 while in the kernel
    uint64_t slice_end = 0;     // `time` when its slice ends, if others wait
    uint64_t wake_at = 0;       // sleeping: `time` to wake at
    int64_t exit_value = 0;
    Task* joiner = nullptr;   // the task waiting in join()
    Task* joining = nullptr;  // while blocked in join(): the task it waits for
    // While blocked in an interruptible wait (block_until: a kill, or a deadline, may end it): the
    // queue it waits on.
    WaitQueue* waiting_on = nullptr;
    TaskFunction function = nullptr;
    void* argument = nullptr;
    unsigned stack_slot = 0;  // its place in the task stack region
    unsigned stack_pages = 0;
    uint64_t stack_physical = 0;
    SourceLocation blocked_at{};          // where it last blocked on a mutex (its lock call)
    uint64_t satp = 0;                    // its address space (a process's); 0: the kernel's
    process::Process* process = nullptr;  // the process it runs, if any (kernel/process.cpp)
    uint64_t fp[33] = {};                 // a process's f0-f31 and fcsr while it is switched out
    ListLink queue_link;                  // on a run queue or a wait queue
    ListLink sleep_link;                  // on its hart's sleepers
    ListLink all_link;                    // on the list of every task
    console::PendingLine line;

    uintptr_t stack_low() const;
    uintptr_t stack_top() const;
};

using TaskQueue = IntrusiveList<Task, &Task::queue_link>;

struct WaitQueue {
    TaskQueue waiters;
};

// The scheduler lock: one lock guards every run queue, wait queue and task state. Take it with
// interrupts off (SchedLock does both).
SpinLock& lock();
class SchedLock {
public:
    SchedLock() : were_enabled_(csr::save_and_disable_interrupts()) { lock().lock(KEEL_HERE); }
    ~SchedLock() {
        lock().unlock();
        csr::restore_interrupts(were_enabled_);
    }
    SchedLock(const SchedLock&) = delete;
    SchedLock& operator=(const SchedLock&) = delete;

private:
    bool were_enabled_;
};

// The calling task (read with interrupts off: a task may move between harts).
Task& running();

// With the scheduler lock held:
Task& current();  // the task running on this hart
// Puts the current task on `queue` (blocked) and runs something else until wake() picks it.
void block_on(WaitQueue& queue);
// block_on, but a kill (kill() takes it off the queue) or `deadline` (the time CSR's value;
// kNoDeadline: none) ends the wait too; the caller looks again at why it woke.
inline constexpr uint64_t kNoDeadline = ~uint64_t{0};
void block_until(WaitQueue& queue, uint64_t deadline);
// Makes a blocked or sleeping task runnable on a hart (its pinned one, else the least busy,
// preferring where it last ran), waking that hart with an IPI if it sleeps.
void wake(Task& task);
// The first waiter of `queue`, taken off it and woken; nullptr when none.
Task* wake_one(WaitQueue& queue);
void wake_all(WaitQueue& queue);
// Switches to the next task of this hart (or its idle task); returns when the current task runs
// again. Its state must already say why it stops (runnable ones are back on a queue).
void switch_away();

// Takes a sleeping task off its hart's sleepers (to wake it early).
void cancel_sleep(Task& task);
// Sets or clears `task`'s signal_pending (with the lock held). Setting it ends the task's
// interruptible wait (as a kill does, without the exit) or, running on another hart, sends that
// hart an IPI so that it looks on its way back to user mode.
void set_signal_pending(Task& task, bool pending);
// kill() of `task` (with the lock held): it exits at its next preemption point.
void request_kill(Task& task);
// Whether the current task's interruptible waits end now: a kill, or a signal for its process.
bool interrupted(const Task& task);
// A kill asked of `task` takes effect now: it holds no mutex, is not already exiting, and is not
// an idle task.
bool must_exit(const Task& task);
// The context that, switched to, starts `task` (its fields and stack set up).
Context start_context(Task& task);

// tasks.cpp, with the lock held: the task with `id`, or nullptr; and the free of an exited task.
Task* find(TaskId id);
void free_task(Task& task);
void add_task(Task& task);

// How many times a task stack was mapped or unmapped. A hart may still translate a stack slot
// the way it was before: before running a task, it flushes its TLB if this moved since it last
// did (lazily, instead of an SBI remote fence to every hart at every join).
uint64_t stack_map_changes();

// The stacks' address region (tasks.cpp): slot `slot`'s top, and the slot an address lies in.
inline constexpr uint64_t kStackRegion = memlayout::kTaskStacks;  // memlayout.h
inline constexpr uint64_t kStackSlotSize = 64 * 1024;  // the stack at the top, guard below
inline constexpr unsigned kMaxTasks = 256;
inline constexpr uint64_t kStackRegionSize = kStackSlotSize * kMaxTasks;

}  // namespace keel::sched
