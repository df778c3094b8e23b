// SPDX-License-Identifier: MIT
// Task lifetimes (include/keel/kernel/sched.h): spawn, exit, join (a kill is sched_waits.cpp's),
// and the memory behind a task. Each task takes one page for its block and 2^k pages for its
// stack, all from the page allocator, and gives them back when it is joined (or, detached, when
// it exits). Stacks live in a region of their own, one 64 KiB slot per task with the stack at its
// top: everything under a stack is unmapped, so an overflow faults there and the report can name
// the task.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/kernel/process.h>
#include <keel/kernel/task.h>
#include <keel/kernel/vm.h>
#include <keel/lib/new.h>
#include <keel/mm/pages.h>

namespace keel::sched {
namespace {

constinit IntrusiveList<Task, &Task::all_link> g_all;
constinit TaskId g_next_id = 1;
constinit uint64_t g_slots_used[kMaxTasks / 64];
Task* g_slot_owner[kMaxTasks];  // read without the lock by the fault report
constinit bool g_ready = false;
constinit size_t g_task_count = 0;
constinit size_t g_process_tasks = 0;
constinit size_t g_task_pages = 0;
constinit Atomic<uint64_t> g_stack_maps{0};  // stack mappings made or removed, ever

unsigned order_of(unsigned pages) {
    unsigned order = 0;
    while ((1u << order) < pages) ++order;
    return order;
}

uint64_t slot_base(unsigned slot) {
    return kStackRegion + slot * kStackSlotSize;
}

// A free stack slot, claimed; kMaxTasks when none. With the lock held.
unsigned claim_slot() {
    for (unsigned slot = 0; slot < kMaxTasks; ++slot) {
        uint64_t& word = g_slots_used[slot / 64];
        if ((word >> (slot % 64) & 1) == 0) {
            word |= 1ull << (slot % 64);
            return slot;
        }
    }
    return kMaxTasks;
}

void release_slot(unsigned slot) {
    g_slots_used[slot / 64] &= ~(1ull << (slot % 64));
}

bool online_slot(unsigned slot) {
    return slot < memlayout::kMaxHarts && g_harts[slot].stage.load() == HartStage::kOnline;
}

// A stack comes zeroed from the page allocator, and its deepest use is where its first non-zero
// word from the bottom is (as Linux's stack_not_used()): a frame that stored only zeros down
// there goes uncounted, a few words at most.
size_t stack_used(const Task& task) {
    if (task.idle) return 0;
    const auto* word = reinterpret_cast<const uint64_t*>(task.stack_low());
    const auto* top = reinterpret_cast<const uint64_t*>(task.stack_top());
    while (word < top && *word == 0) ++word;
    return static_cast<size_t>(reinterpret_cast<uintptr_t>(top) -
                               reinterpret_cast<uintptr_t>(word));
}

static_assert(sizeof(Task) <= mm::kPageSize, "a task lives in one page (make_task's block)");

// Page-allocator memory for a task: its block and its mapped, zeroed stack. An error on failure,
// with nothing kept.
Result<Task*, SpawnError> make_task(const SpawnOptions& options) {
    const auto block = pages::allocate(0, mm::Contents::kUninitialized);
    if (!block.ok()) return SpawnError::kNoMemory;
    const unsigned order = order_of(options.stack_pages);
    const auto stack = pages::allocate(order);
    if (!stack.ok()) {
        pages::free(block.value(), 0);
        return SpawnError::kNoMemory;
    }
    unsigned slot;
    {
        SchedLock guard;
        slot = claim_slot();
    }
    const uint64_t bytes = mm::kPageSize << order;
    const bool mapped =
        slot != kMaxTasks &&
        vm::map_pages(slot_base(slot) + kStackSlotSize - bytes, stack.value(), bytes).ok();
    g_stack_maps.fetch_add(1, MemoryOrder::kRelease);
    if (!mapped) {
        if (slot != kMaxTasks) {
            SchedLock guard;
            release_slot(slot);
        }
        pages::free(stack.value(), order);
        pages::free(block.value(), 0);
        return slot == kMaxTasks ? SpawnError::kTooManyTasks : SpawnError::kNoMemory;
    }
    // Value-initialized: zeroed, then its members' initializers (its block is not zeroed).
    Task* task = new (memlayout::to_pointer<void>(block.value())) Task();
    task->stack_slot = slot;
    task->stack_pages = 1u << order;
    task->stack_physical = stack.value();
    return task;
}

void copy_name(char (&to)[16], const char* from) {
    size_t i = 0;
    for (; from != nullptr && from[i] != '\0' && i + 1 < sizeof to; ++i) to[i] = from[i];
    to[i] = '\0';
}

}  // namespace

uintptr_t Task::stack_top() const {
    return idle ? 0 : slot_base(stack_slot) + kStackSlotSize;
}

uintptr_t Task::stack_low() const {
    return idle ? trap.stack_low : stack_top() - uint64_t{stack_pages} * mm::kPageSize;
}

uint64_t stack_map_changes() {
    return g_stack_maps.load(MemoryOrder::kAcquire);
}

void add_task(Task& task) {
    task.id = g_next_id++;
    g_all.push_back(task);
}

Task* find(TaskId id) {
    Task* found = nullptr;
    g_all.for_each([&](Task& task) {
        if (task.id == id) found = &task;
    });
    return found;
}

void free_task(Task& task) {
    g_all.remove(task);
    g_slot_owner[task.stack_slot] = nullptr;
    const uint64_t bytes = uint64_t{task.stack_pages} * mm::kPageSize;
    vm::unmap_pages(task.stack_low(), bytes);
    g_stack_maps.fetch_add(1, MemoryOrder::kRelease);  // before the pages can be reused
    release_slot(task.stack_slot);
    pages::free(task.stack_physical, order_of(task.stack_pages));
    --g_task_count;
    if (task.runs_process) --g_process_tasks;
    g_task_pages -= 1 + task.stack_pages;
    pages::free(memlayout::to_physical(&task), 0);
}

const char* spawn_error_name(SpawnError error) {
    switch (error) {
    case SpawnError::kNotRunning: return "the scheduler is not running (no page allocator)";
    case SpawnError::kBadOptions: return "bad options (stack size, or a hart that is not online)";
    case SpawnError::kNoMemory: return "out of pages";
    case SpawnError::kTooManyTasks: return "too many tasks";
    case SpawnError::kRefused: return "refused by its prepare step";
    }
    return "?";
}

const char* join_error_name(JoinError error) {
    switch (error) {
    case JoinError::kNoSuchTask: return "no such task";
    case JoinError::kSelf: return "a task cannot join itself";
    case JoinError::kDetached: return "the task is detached";
    case JoinError::kJoinedElsewhere: return "another task is joining it";
    case JoinError::kRunning: return "it is still running";
    case JoinError::kKilled: return "the waiting task was killed";
    }
    return "?";
}

const char* kill_error_name(KillError error) {
    switch (error) {
    case KillError::kNoSuchTask: return "no such task";
    case KillError::kRefused:
        return "refused (idle tasks and protected kernel tasks: the shell, the alarms)";
    }
    return "?";
}

void start_tasks() {
    g_ready = pages::ready() && vm::reserve(kStackRegion, kStackRegionSize).ok();
}

Result<TaskId, SpawnError> spawn(const char* name, TaskFunction function, void* argument,
                                 const SpawnOptions& options) {
    if (!g_ready) return SpawnError::kNotRunning;
    const unsigned pages = options.stack_pages;
    if (pages == 0 || pages > kMaxStackPages || (pages & (pages - 1)) != 0 ||
        (options.hart_slot != kNoHart && !online_slot(options.hart_slot)))
        return SpawnError::kBadOptions;
    if (options.process != nullptr) {  // a place among the processes' tasks, taken now
        SchedLock guard;
        if (g_process_tasks >= kMaxProcessTasks) return SpawnError::kTooManyTasks;
        ++g_process_tasks;
    }
    const auto made = make_task(options);
    if (!made.ok()) {
        if (options.process != nullptr) {
            SchedLock guard;
            --g_process_tasks;
        }
        return made.error();
    }
    Task& task = *made.value();
    copy_name(task.name, name);
    task.function = function;
    task.argument = argument;
    task.pinned_slot = options.hart_slot;
    task.detached = options.detached;
    task.protect = options.protect;
    task.process = options.process;
    task.runs_process = options.process != nullptr;
    task.satp = options.satp;
    task.trap.stack_low = task.stack_low();
    task.trap.stack_high = task.stack_top();
    task.trap.owner = &task;  // what a trap from U-mode hands the lean path (user_trap.cpp)
    task.context = start_context(task);
    {
        SchedLock guard;
        task.hart_slot = options.hart_slot != kNoHart ? options.hart_slot : this_hart().slot;
        task.state = TaskState::kBlocked;  // on no queue until woken below
        g_slot_owner[task.stack_slot] = &task;
        ++g_task_count;
        g_task_pages += 1 + task.stack_pages;
        add_task(task);
    }
    // Its id is known, and it has not run: the caller's last word (a process joins the tree).
    if (options.prepare != nullptr && !options.prepare(argument, task)) {
        SchedLock guard;
        task.state = TaskState::kExited;
        free_task(task);
        return SpawnError::kRefused;
    }
    SchedLock guard;
    const TaskId id = task.id;
    wake(task);
    return id;
}

void exit(int64_t value) {
    {
        // From here an interrupt's end must not start this exit again (a killed task's would):
        // the process's memory is on its way back.
        SchedLock guard;
        current().exiting = true;
    }
    console::flush();  // a partial line of the task's goes out now
    if (current_process() != nullptr) {
        // A process's task, however it ends (its exit, a fault, a kill): its memory goes back,
        // its files are closed. That may sleep (the file system's lock), so interrupts are on, as
        // in a syscall, whatever path came here (a fault's, an interrupt's end): `exiting` keeps
        // an interrupt's end from starting this exit again.
        csr::enable_interrupts();
        value = process::release_current(value);
    }
    csr::disable_interrupts();
    lock().lock(KEEL_HERE);
    Task& task = current();
    if (task.idle) panic("exit() outside any task");
    task.state = TaskState::kExited;
    task.exit_value = value;
    if (task.joiner != nullptr) wake(*task.joiner);
    switch_away();  // never back: the task is freed by its joiner, or at once if detached
    panic("task {} ran after its exit", task.id);
}

Result<int64_t, JoinError> try_join(TaskId id) {
    {
        SchedLock guard;
        const Task* task = find(id);
        if (task == nullptr || task->idle) return JoinError::kNoSuchTask;
        if (task->detached) return JoinError::kDetached;
        if (task->state != TaskState::kExited) return JoinError::kRunning;
    }
    return join(id);
}

Result<int64_t, JoinError> join(TaskId id) {
    SchedLock guard;
    Task& self = current();
    for (;;) {
        Task* task = find(id);
        if (task == nullptr || task->idle) return JoinError::kNoSuchTask;
        if (task == &self) return JoinError::kSelf;
        if (task->detached) return JoinError::kDetached;
        if (task->joiner != nullptr && task->joiner != &self) return JoinError::kJoinedElsewhere;
        if (task->state == TaskState::kExited) {
            const int64_t value = task->exit_value;
            free_task(*task);  // it is off every hart: its last switch finished under the lock
            return value;
        }
        if (must_exit(self)) return JoinError::kKilled;  // killed on its way here: no wait
        task->joiner = &self;
        self.joining = task;
        self.state = TaskState::kBlocked;
        switch_away();  // exit() wakes us, or kill()
        self.joining = nullptr;
        if (self.kill_requested && find(id) != nullptr && find(id)->state != TaskState::kExited) {
            if (find(id)->joiner == &self) find(id)->joiner = nullptr;
            return JoinError::kKilled;
        }
    }
}

bool detach(TaskId id) {
    SchedLock guard;
    Task* task = find(id);
    if (task == nullptr || task->idle || task->detached || task->joiner != nullptr) return false;
    task->detached = true;
    if (task->state == TaskState::kExited) free_task(*task);  // off every hart already
    return true;
}

bool is_process(TaskId id) {
    SchedLock guard;
    const Task* task = find(id);
    return task != nullptr && task->process != nullptr;
}

void exit_if_killed() {
    // The common case without the lock: a kill sets the flag under it, and seeing it a syscall
    // late would not matter anyway.
    if (!__atomic_load_n(&running().kill_requested, __ATOMIC_RELAXED)) return;
    bool killed;
    {
        SchedLock guard;
        const Task& task = current();
        killed = must_exit(task);
    }
    if (killed) exit(kExitKilled);
}

void rename_current(const char* name) {
    SchedLock guard;  // list() reads names under it
    copy_name(current().name, name);
}

size_t list(TaskInfo* out, size_t capacity) {
    SchedLock guard;
    asm volatile("sfence.vma zero, zero" ::: "memory");  // reading other tasks' stacks: see above
    const uint64_t now = csr::time();
    const uint64_t per_us = timer::frequency() / 1'000'000 + (timer::frequency() < 1'000'000);
    size_t count = 0;
    g_all.for_each([&](const Task& task) {
        if (count < capacity) {
            TaskInfo& info = out[count];
            info.id = task.id;
            for (size_t i = 0; i < sizeof info.name; ++i) info.name[i] = task.name[i];
            info.state = task.state;
            info.hart_id = g_harts[task.hart_slot].id;
            const uint64_t running = task.state == TaskState::kRunning ? now - task.ran_since : 0;
            info.cpu_us = (task.cpu_time + running) / per_us;
            info.stack_used = stack_used(task);
            info.stack_size = task.idle ? 0 : uint64_t{task.stack_pages} * mm::kPageSize;
            info.idle = task.idle;
            info.process = task.process != nullptr;
            info.stopped = task.process != nullptr && process::is_stopped(task.process);
            info.parent = task.process != nullptr ? process::parent_of(task.process) : 0;
            info.user_pages = task.process != nullptr ? process::pages_of(task.process) : 0;
        }
        ++count;
    });
    return count;
}

Usage usage() {
    SchedLock guard;
    return Usage{g_task_count, g_task_pages};
}

bool describe_stack_fault(uint64_t address) {
    if (address < kStackRegion || address >= kStackRegion + kStackRegionSize) return false;
    const auto slot = static_cast<unsigned>((address - kStackRegion) / kStackSlotSize);
    const Task* task = g_slot_owner[slot];
    if (task == nullptr || address >= task->stack_low()) return false;
    const uint64_t under = task->stack_low() - address;
    console::print("  task stack overflow: task {} ({}), {} byte{} under its stack at {:#x}\n",
                   task->id, task->name, under, plural(under), task->stack_low());
    return true;
}

void end_faulting_task(uint64_t address) {
    if (!in_task() || address < kStackRegion || address >= kStackRegion + kStackRegionSize) return;
    const Task* owner = g_slot_owner[(address - kStackRegion) / kStackSlotSize];
    if (owner == nullptr || owner->id != current_id() || address >= owner->stack_low()) return;
    const Task& task = *owner;
    console::print("task {} ({}) ended: stack overflow (exit value {})\n", task.id, task.name,
                   kExitStackOverflow);
    exit(kExitStackOverflow);
}

}  // namespace keel::sched
