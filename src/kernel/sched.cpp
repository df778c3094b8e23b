// SPDX-License-Identifier: MIT
// The scheduler (include/keel/kernel/sched.h): per-hart run queues and sleepers under one lock,
// the switch, the idle loop, the alarm, and preemption at the end of an interrupt. Sleeping and
// yielding are sched_waits.cpp, the figures sched_figures.cpp.
//
// The lock is held across a switch: the task that stops takes it, the task that resumes on the
// same hart releases it (finish_switch). So nobody can wake, steal or free a task until its
// registers are saved, and the lock is always released by the hart that took it.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/kernel/load.h>
#include <keel/kernel/sync.h>
#include <keel/kernel/task.h>
#include <keel/kernel/vm.h>
#include <keel/lib/placement.h>

#include "sched_state.h"

namespace keel::sched {

HartSched g_sched[memlayout::kMaxHarts];
unsigned g_slots_in_use = 0;
constinit uint64_t g_switches = 0;

HartSched& mine() {
    return g_sched[this_hart().slot];
}

namespace {

constinit SpinLock g_lock;

unsigned slot_of(const HartSched& hs) {
    return static_cast<unsigned>(&hs - g_sched);
}

size_t load(const HartSched& hs) {
    return hs.runnable.size() + (hs.current != nullptr && !hs.current->idle ? 1 : 0);
}

}  // namespace

size_t active_now() {
    size_t active = 0;
    for (unsigned slot = 0; slot < g_slots_in_use; ++slot)
        active += g_sched[slot].online ? load(g_sched[slot]) : 0;
    return active;
}

namespace {

// The alarm this hart needs: the end of the running task's slice while others wait for the hart,
// and its first sleeper's wake-up. With neither, none: an idle hart takes no timer interrupt.
void rearm(HartSched& hs) {
    uint64_t deadline = timer::kNever;
    if (!hs.runnable.empty() && !hs.current->idle) deadline = hs.current->slice_end;
    hs.sleepers.for_each([&](const Task& task) {
        if (task.wake_at < deadline) deadline = task.wake_at;
    });
    timer::set_alarm(slot_of(hs), deadline);
}

// The first task of `hs`'s queue that another hart may take (not pinned), or nullptr.
Task* first_unpinned(const HartSched& hs) {
    Task* found = nullptr;
    hs.runnable.for_each([&](Task& task) {
        if (found == nullptr && task.pinned_slot == kNoHart) found = &task;
    });
    return found;
}

// A runnable task another hart may take: the first unpinned one of the busiest other queue.
Task* steal_candidate(const HartSched& thief) {
    const unsigned victim = steal_victim(
        memlayout::kMaxHarts, slot_of(thief),
        [](unsigned slot) { return g_sched[slot].online ? g_sched[slot].runnable.size() : 0; },
        [](unsigned slot) { return first_unpinned(g_sched[slot]) != nullptr; });
    return victim < memlayout::kMaxHarts ? first_unpinned(g_sched[victim]) : nullptr;
}

Task& pick_next(HartSched& hs) {
    if (Task* task = hs.runnable.pop_front()) return *task;
    if (Task* task = steal_candidate(hs)) {
        g_sched[task->hart_slot].runnable.remove(*task);
        return *task;
    }
    return hs.idle;
}

void wake_due_sleepers(HartSched& hs, uint64_t now) {
    Task* due[16];
    size_t count = 0;
    hs.sleepers.for_each([&](Task& task) {
        if (task.wake_at <= now && count < 16) due[count++] = &task;
    });
    for (size_t i = 0; i < count; ++i) {
        hs.sleepers.remove(*due[i]);
        // A timed wait's deadline: off the queue it waited on too.
        if (due[i]->waiting_on != nullptr) due[i]->waiting_on->waiters.remove(*due[i]);
        wake(*due[i]);
    }
}

unsigned choose_hart(const Task& task) {
    if (task.pinned_slot != kNoHart) return task.pinned_slot;
    return least_loaded(
        memlayout::kMaxHarts, task.hart_slot, [](unsigned slot) { return g_sched[slot].online; },
        [](unsigned slot) { return load(g_sched[slot]); });
}

// After a switch, on the hart that made it: free what exited for good, re-arm the alarm.
void finish_switch() {
    HartSched& hs = mine();
    Task* previous = hs.previous;
    hs.previous = nullptr;
    if (previous != nullptr && previous->state == TaskState::kExited && previous->detached) {
        free_task(*previous);
    }
    rearm(hs);
}

// Where a new task starts (keel_context_entry calls it with the task): the lock its switch took
// is released here, then its body runs with interrupts on.
void task_main(void* argument) {
    auto& task = *static_cast<Task*>(argument);
    finish_switch();
    g_lock.unlock();
    csr::enable_interrupts();
    // Killed before it ever ran: a kernel task ends here. A process's ends in process::run(),
    // once it is in its own address space (its exit may write to its memory).
    if (task.process == nullptr) exit_if_killed();
    exit(task.function(task.argument));
}

[[noreturn]] void task_returned() {
    panic("a task's entry returned past exit()");
}

}  // namespace

SpinLock& lock() {
    return g_lock;
}

Task& current() {
    return *mine().current;
}

bool must_exit(const Task& task) {
    return task.kill_requested && !task.exiting && task.mutexes_held == 0 && !task.idle;
}

Task& running() {
    const bool were_enabled = csr::save_and_disable_interrupts();
    Task& task = current();
    csr::restore_interrupts(were_enabled);
    return task;
}

void switch_away() {
    HartSched& hs = mine();
    Task& previous = *hs.current;
    Task& next = pick_next(hs);
    const uint64_t now = csr::time();
    if (&next == &previous) {
        if (previous.state == TaskState::kSleeping || previous.state == TaskState::kBlocked)
            panic("task {} ({}) picked itself while it sleeps or waits", previous.id,
                  previous.name);
        previous.state = TaskState::kRunning;
        previous.slice_end = now + timer::tick_interval();
        rearm(hs);
        return;
    }
    previous.cpu_time += now - previous.ran_since;
    if (previous.idle) previous.state = TaskState::kRunnable;  // a task runs on its hart now
    next.state = TaskState::kRunning;
    next.hart_slot = slot_of(hs);
    next.ran_since = now;
    next.slice_end = now + timer::tick_interval();
    hs.current = &next;
    hs.previous = &previous;
    ++g_switches;
    account_load(now, active_now());
    const uint64_t changes = stack_map_changes();
    if (next.satp != hs.satp) {  // another address space: a process's, or back to the kernel's
        KEEL_CSR_WRITE(satp, next.satp != 0 ? next.satp : vm::satp());
        asm volatile("sfence.vma zero, zero" ::: "memory");  // no ASIDs: forget the old one
        hs.satp = next.satp;
        hs.flushed_at = changes;
    } else if (!next.idle && hs.flushed_at != changes) {
        asm volatile("sfence.vma zero, zero" ::: "memory");  // no stale stack translation
        hs.flushed_at = changes;
    }
    // SUM is on only inside the copy helpers: a task preempted there gets it back from its trap
    // frame; no other task may run with it.
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    switch_trap_thread(&previous.trap, next.trap);
    if (previous.process != nullptr) keel_fp_save(previous.fp);  // user programs' only
    if (next.process != nullptr) keel_fp_restore(next.fp);
    keel_context_switch(&previous.context, &next.context);
    finish_switch();  // back in `previous`, maybe on another hart
}

void block_on(WaitQueue& queue) {
    Task& task = current();
    // The scheduler's invariants, cheap to check where they would break: a task is on one queue
    // at a time, and only the running task blocks.
    if (task.queue_link.linked() || task.state != TaskState::kRunning)
        panic("task {} ({}) blocks while on a queue or not running", task.id, task.name);
    task.state = TaskState::kBlocked;
    queue.waiters.push_back(task);
    switch_away();
}

void wake(Task& task) {
    // A timed wait ended by its queue (or a kill): its deadline no longer matters.
    if (task.state == TaskState::kBlocked && task.sleep_link.linked()) cancel_sleep(task);
    if (task.queue_link.linked() || task.sleep_link.linked() || task.state == TaskState::kRunning)
        panic("task {} ({}) woken while on a queue, asleep or running", task.id, task.name);
    task.state = TaskState::kRunnable;
    const unsigned target = choose_hart(task);
    HartSched& hs = g_sched[target];
    const bool was_empty = hs.runnable.empty();
    task.hart_slot = target;
    hs.runnable.push_back(task);
    account_load(csr::time(), active_now());
    if (&hs == &mine()) {
        rearm(hs);
    } else if (hs.waiting.load() != 0 || was_empty) {
        // An idle hart must look; a busy one must arm the alarm that ends its task's slice.
        (void)sbi::ipi::send_ipi(1, g_harts[target].id);
    }
}

void block_until(WaitQueue& queue, uint64_t deadline) {
    Task& task = current();
    if (task.queue_link.linked() || task.state != TaskState::kRunning)
        panic("task {} ({}) blocks while on a queue or not running", task.id, task.name);
    task.state = TaskState::kBlocked;
    task.waiting_on = &queue;
    queue.waiters.push_back(task);
    if (deadline != kNoDeadline) {
        task.wake_at = deadline;
        mine().sleepers.push_back(task);
    }
    switch_away();
    current().waiting_on = nullptr;
}

Task* wake_one(WaitQueue& queue) {
    Task* task = queue.waiters.pop_front();
    if (task != nullptr) wake(*task);
    return task;
}

void wake_all(WaitQueue& queue) {
    while (wake_one(queue) != nullptr) {
    }
}

void init_hart(unsigned slot) {
    HartSched& hs = g_sched[slot];
    Task& idle = hs.idle;
    idle.ran_since = csr::time();  // idle from here on (/proc/stat, /proc/uptime)
    idle.idle = true;
    idle.state = TaskState::kRunning;
    idle.hart_slot = slot;
    idle.pinned_slot = slot;
    idle.trap = current_trap_thread();
    const char name[] = "idle";
    for (size_t i = 0; i < sizeof name; ++i) idle.name[i] = name[i];
    SchedLock guard;
    hs.current = &idle;
    hs.online = true;
    if (slot + 1 > g_slots_in_use) g_slots_in_use = slot + 1;
    add_task(idle);
    if (slot == 0) {
        install_console_hooks();
    }
}

void idle() {
    for (;;) {
        csr::disable_interrupts();
        g_lock.lock(KEEL_HERE);
        HartSched& hs = mine();
        wake_due_sleepers(hs, csr::time());
        if (!hs.runnable.empty() || steal_candidate(hs) != nullptr) {
            switch_away();  // back when nothing else is left to run here
            g_lock.unlock();
            continue;
        }
        hs.waiting.store(1);
        rearm(hs);
        g_lock.unlock();
        csr::wait_for_interrupt();  // interrupts off: a pending one still ends it
        hs.waiting.store(0);
        csr::enable_interrupts();  // ...and is taken here, on the idle stack
    }
}

void on_alarm() {
    SchedLock guard;
    if (mine().current == nullptr) return;  // before init_hart(): a sleep outside the scheduler
    wake_due_sleepers(mine(), csr::time());
}

void on_interrupt_exit() {
    bool exiting = false;
    {
        SchedLock guard;
        HartSched& hs = mine();
        if (hs.current == nullptr) return;  // before init_hart()
        rearm(hs);
        Task& task = *hs.current;
        if (task.idle) return;
        const uint64_t now = csr::time();
        if (!hs.runnable.empty() && now >= task.slice_end) {
            task.state = TaskState::kRunnable;
            hs.runnable.push_back(task);
            switch_away();
        } else if (hs.runnable.empty() && now >= task.slice_end) {
            // Alone on its hart: a new slice, so that on_syscall_return() looks again only
            // when it ends (a task woken here meanwhile waits for it, as round robin says).
            task.slice_end = now + timer::tick_interval();
        }
        exiting = must_exit(current());
    }
    if (exiting) exit(kExitKilled);
}

void on_nested_ipi() {
    SchedLock guard;
    if (mine().current != nullptr) rearm(mine());
}

void on_syscall_return() {
    bool due;
    {
        const csr::InterruptsOff off;  // the task stays on this hart while it looks
        const Task& task = *mine().current;
        due = __atomic_load_n(&task.kill_requested, __ATOMIC_RELAXED) ||
              csr::time() >= task.slice_end;
    }
    if (due) on_interrupt_exit();
}

void enter_address_space(uint64_t satp, process::Process* process) {
    SchedLock guard;
    HartSched& hs = mine();
    Task& task = current();
    task.satp = satp;
    task.process = process;
    KEEL_CSR_WRITE(satp, satp != 0 ? satp : vm::satp());
    asm volatile("sfence.vma zero, zero" ::: "memory");
    hs.satp = satp;
}

process::Process* current_process() {
    const bool were_enabled = csr::save_and_disable_interrupts();
    const HartSched& hs = g_sched[this_hart().slot];
    process::Process* process = hs.current != nullptr ? hs.current->process : nullptr;
    csr::restore_interrupts(were_enabled);
    return process;
}

TaskId current_id() {
    const bool were_enabled = csr::save_and_disable_interrupts();
    const HartSched& hs = g_sched[this_hart().slot];
    const TaskId id = hs.current != nullptr ? hs.current->id : 0;
    csr::restore_interrupts(were_enabled);
    return id;
}

bool in_task() {
    const bool were_enabled = csr::save_and_disable_interrupts();
    const HartSched& hs = g_sched[this_hart().slot];
    const bool task = hs.current != nullptr && !hs.current->idle;
    csr::restore_interrupts(were_enabled);
    return task;
}

// The first switch into a new task enters task_main(task) on its stack.
Context start_context(Task& task) {
    return context_start(&task_main, &task, &task_returned, task.stack_top());
}

}  // namespace keel::sched
