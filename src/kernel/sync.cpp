// SPDX-License-Identifier: MIT
// Mutex, Semaphore, CondVar (include/keel/kernel/sync.h), all under the scheduler lock. A mutex
// and a semaphore are handed over: the waker gives the unit to the first waiter directly, so a
// woken task never finds it taken again, and no waiter starves.
#include <keel/arch/riscv/csr.h>
#include <keel/core/panic.h>
#include <keel/kernel/sync.h>

namespace keel::sched {
namespace {

// Sleeping where sleeping is forbidden would deadlock or lose an interrupt: refuse loudly.
void check_may_sleep(const char* what, SourceLocation where) {
    if (!csr::interrupts_enabled()) {
        panic("{} at {}:{} with interrupts off (inside a spinlock or a handler): it may sleep",
              what, where.file, where.line);
    }
    if (!in_task()) panic("{} at {}:{} outside any task", what, where.file, where.line);
}

}  // namespace

void Mutex::lock(SourceLocation where) {
    check_may_sleep("a mutex taken", where);
    Task& self = running();
    const auto me = reinterpret_cast<uintptr_t>(&self);
    uintptr_t seen = 0;
    if (!state_.compare_exchange_strong(seen, me, MemoryOrder::kAcquire, MemoryOrder::kRelaxed)) {
        SchedLock guard;
        for (;;) {
            seen = state_.load(MemoryOrder::kRelaxed);
            if ((seen & ~kWaiters) == me) {
                panic("mutex taken twice by task {} ({}): first at {}:{}, again at {}:{}", self.id,
                      self.name, locked_at_.file, locked_at_.line, where.file, where.line);
            }
            if (seen == 0) {
                if (state_.compare_exchange_strong(seen, me, MemoryOrder::kAcquire,
                                                   MemoryOrder::kRelaxed))
                    break;
                continue;
            }
            // Mark it waited for, so that the owner's unlock takes the slow path and wakes us.
            if ((seen & kWaiters) == 0 &&
                !state_.compare_exchange_strong(seen, seen | kWaiters, MemoryOrder::kRelaxed,
                                                MemoryOrder::kRelaxed))
                continue;
            self.blocked_at = where;
            block_on(waiters_);  // release() made us the owner before waking us
            ++self.mutexes_held;
            return;
        }
    }
    locked_at_ = where;
    ++self.mutexes_held;
}

void Mutex::release() {
    Task* next = wake_one(waiters_);
    if (next == nullptr) {
        state_.store(0, MemoryOrder::kRelease);
        return;
    }
    locked_at_ = next->blocked_at;
    state_.store(reinterpret_cast<uintptr_t>(next) | (waiters_.waiters.empty() ? 0 : kWaiters),
                 MemoryOrder::kRelease);
}

void Mutex::unlock(SourceLocation where) {
    Task& self = running();
    const auto me = reinterpret_cast<uintptr_t>(&self);
    uintptr_t seen = me;
    if (state_.compare_exchange_strong(seen, 0, MemoryOrder::kRelease, MemoryOrder::kRelaxed)) {
        --self.mutexes_held;
        return;
    }
    SchedLock guard;  // waiters to hand it to, or a misuse to report
    const Task* owner = this->owner();
    if (owner != &self) {
        if (owner == nullptr) {
            panic("mutex unlocked at {}:{} by task {} ({}), but nobody holds it", where.file,
                  where.line, self.id, self.name);
        }
        panic("mutex unlocked at {}:{} by task {} ({}), but task {} ({}) holds it (taken at {}:{})",
              where.file, where.line, self.id, self.name, owner->id, owner->name, locked_at_.file,
              locked_at_.line);
    }
    --self.mutexes_held;
    release();
}

void Semaphore::down(SourceLocation where) {
    check_may_sleep("a semaphore taken", where);
    if (count_.fetch_sub(1, MemoryOrder::kAcquire) > 0) return;
    SchedLock guard;
    if (handed_ > 0) {  // up() came between our count and here
        --handed_;
        return;
    }
    block_on(waiters_);  // up() gave its unit to us
}

void Semaphore::up() {
    if (count_.fetch_add(1, MemoryOrder::kRelease) >= 0) return;  // nobody waits
    SchedLock guard;
    if (wake_one(waiters_) == nullptr) ++handed_;  // the waiter has not queued yet
}

void CondVar::wait(Mutex& mutex, SourceLocation where) {
    check_may_sleep("a condition waited for", where);
    {
        SchedLock guard;
        Task& self = current();
        if (mutex.owner() != &self) {
            panic("condition variable waited for at {}:{} without holding its mutex", where.file,
                  where.line);
        }
        --self.mutexes_held;
        mutex.release();
        block_on(waiters_);
    }
    mutex.lock(where);
}

WaitResult Event::wait(uint64_t seen, uint64_t deadline) {
    check_may_sleep("an event waited for", KEEL_HERE);
    for (;;) {
        SchedLock guard;
        if (count_.load(MemoryOrder::kAcquire) != seen) return WaitResult::kWoken;
        // A kill (it unwinds, then exits), or a signal (delivered on the way back to user mode).
        if (interrupted(current())) return WaitResult::kInterrupted;
        if (deadline != kNoDeadline && csr::time() >= deadline) return WaitResult::kTimedOut;
        block_until(waiters_, deadline);
    }
}

void Event::wait_through_kill(uint64_t seen) {
    check_may_sleep("an event waited for", KEEL_HERE);
    for (;;) {  // a kill takes the task off the queue once and wakes it: it goes back
        SchedLock guard;
        if (count_.load(MemoryOrder::kAcquire) != seen) return;
        block_until(waiters_, kNoDeadline);
    }
}

void Event::notify() {
    SchedLock guard;
    notify_locked();
}

void Event::notify_locked() {
    count_.fetch_add(1, MemoryOrder::kRelease);
    wake_all(waiters_);
}

namespace {
constinit Event g_io;
}  // namespace

Event& io_event() {
    return g_io;
}

void CondVar::signal() {
    SchedLock guard;
    wake_one(waiters_);
}

void CondVar::broadcast() {
    SchedLock guard;
    wake_all(waiters_);
}

}  // namespace keel::sched
