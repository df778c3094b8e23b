// SPDX-License-Identifier: MIT
// Waiting, beside the wait queues of sched.cpp (include/keel/kernel/sched.h): yield, a timed
// sleep, how a kill or a signal ends a wait, and the console's hooks, through which its reader
// waits for a key and its writer for a UART that makes no room.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/sync.h>
#include <keel/kernel/task.h>

#include "sched_state.h"

namespace keel::sched {
namespace {

constinit WaitQueue g_input;  // the console's reader, waiting for a key

// The console's hooks: each task has its own pending line; the reader blocks until a key.
console::PendingLine* current_line() {
    const bool were_enabled = csr::save_and_disable_interrupts();
    Task* task = g_sched[this_hart().slot].current;
    csr::restore_interrupts(were_enabled);
    return task != nullptr && !task->idle ? &task->line : nullptr;
}

void wait_for_input(bool (*ready)()) {
    if (!in_task()) {
        csr::wait_for_interrupt();
        return;
    }
    bool exiting = false;
    {
        SchedLock guard;
        Task& task = current();
        if (!must_exit(task) && !ready()) {
            block_until(g_input, kNoDeadline);  // a kill takes it off the queue and wakes it
        }
        exiting = must_exit(current());
    }
    if (exiting) exit(kExitKilled);  // a program killed while it waited for a line
}

void wake_input_reader() {
    SchedLock guard;
    wake_all(g_input);
    io_event().notify_locked();  // a key for ppoll too
}

// A tick's sleep while the console's UART makes no room, cut short by a kill or a signal (the
// caller then gives up waiting, or goes on without sleeping).
bool nap_for_console() {
    constinit static Event never_notified;  // only the deadline ends the wait
    const uint64_t deadline = csr::time() + timer::from_ms(1000 / timer::kTickHz);
    return never_notified.wait(never_notified.count(), deadline) != WaitResult::kInterrupted;
}

}  // namespace

void install_console_hooks() {
    console::set_thread_hooks(
        {&current_line, &wait_for_input, &wake_input_reader, &nap_for_console});
}

void yield() {
    if (!in_task()) return;
    bool exiting = false;
    {
        SchedLock guard;
        Task& task = current();
        task.state = TaskState::kRunnable;
        mine().runnable.push_back(task);
        switch_away();
        exiting = must_exit(current());
    }
    if (exiting) exit(kExitKilled);
}

bool sleep_ms(uint64_t ms, bool (*stop)()) {
    const uint64_t deadline = csr::time() + timer::from_ms(ms);
    const uint64_t step = stop != nullptr ? timer::from_ms(50) : timer::kNever;
    for (;;) {
        const uint64_t now = csr::time();
        if (now >= deadline) return true;
        if (stop != nullptr && stop()) return false;
        const uint64_t until = deadline - now > step ? now + step : deadline;
        if (!in_task()) {  // boot code, or a shell that runs without tasks: wfi till the alarm
            const bool were_enabled = csr::save_and_disable_interrupts();
            timer::set_alarm(this_hart().slot, until);
            csr::wait_for_interrupt();
            csr::restore_interrupts(were_enabled);
            continue;
        }
        bool exiting = false;
        {
            SchedLock guard;
            Task& task = current();
            if (!must_exit(task)) {  // a kill that came before the sleep ends it at once
                task.wake_at = until;
                task.state = TaskState::kSleeping;
                mine().sleepers.push_back(task);
                switch_away();
            }
            exiting = must_exit(current());
        }
        if (exiting) exit(kExitKilled);
    }
}

// Takes a sleeping task off its hart's sleepers (kill wakes it early).
void cancel_sleep(Task& task) {
    g_sched[task.hart_slot].sleepers.remove(task);
}

namespace {

// Ends `task`'s interruptible wait, if it is in one (a sleep, a join, a queue with a deadline),
// or, running on another hart, makes that hart look (its interrupt exit does). With the lock.
void interrupt(Task& task) {
    if (task.state == TaskState::kSleeping) {
        cancel_sleep(task);
        wake(task);
    } else if (task.state == TaskState::kBlocked && task.joining != nullptr) {
        task.joining->joiner = nullptr;  // out of join(), which says it was interrupted
        task.joining = nullptr;
        wake(task);
    } else if (task.state == TaskState::kBlocked && task.waiting_on != nullptr) {
        task.waiting_on->waiters.remove(task);  // out of its wait, which looks again
        wake(task);
    } else if (task.state == TaskState::kRunning && task.hart_slot != this_hart().slot) {
        (void)sbi::ipi::send_ipi(1, g_harts[task.hart_slot].id);  // its interrupt exit looks
    }
}

}  // namespace

void set_signal_pending(Task& task, bool pending) {
    task.signal_pending = pending;
    if (pending && task.state != TaskState::kExited && !task.exiting) interrupt(task);
}

bool interrupted(const Task& task) {
    return task.kill_requested || task.signal_pending;
}

void request_kill(Task& task) {
    if (task.state == TaskState::kExited || task.exiting) return;
    task.kill_requested = true;
    interrupt(task);
}

Result<void, KillError> kill(TaskId id) {
    SchedLock guard;
    Task* task = find(id);
    if (task == nullptr) return KillError::kNoSuchTask;
    if (task->idle || task->protect) return KillError::kRefused;
    request_kill(*task);
    return {};
}

}  // namespace keel::sched
