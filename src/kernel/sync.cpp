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
        panic("{} at {}:{} with interrupts off (inside a spinlock or a handler): it may sleep", what,
              where.file, where.line);
    }
    if (!in_task()) panic("{} at {}:{} outside any task", what, where.file, where.line);
}

}  // namespace

bool Mutex::held_by_me() const {
    SchedLock guard;
    return owner_ == &current();
}

void Mutex::lock(SourceLocation where) {
    check_may_sleep("a mutex taken", where);
    SchedLock guard;
    Task& self = current();
    if (owner_ == &self) {
        panic("mutex taken twice by task {} ({}): first at {}:{}, again at {}:{}", self.id,
              self.name, locked_at_.file, locked_at_.line, where.file, where.line);
    }
    if (owner_ == nullptr) {
        owner_ = &self;
        locked_at_ = where;
    } else {
        self.blocked_at = where;
        block_on(waiters_);  // release() made us the owner before waking us
    }
    ++self.mutexes_held;
}

void Mutex::release() {
    Task* next = wake_one(waiters_);
    owner_ = next;
    if (next != nullptr) locked_at_ = next->blocked_at;
}

void Mutex::unlock(SourceLocation where) {
    SchedLock guard;
    Task& self = current();
    if (owner_ != &self) {
        if (owner_ == nullptr) {
            panic("mutex unlocked at {}:{} by task {} ({}), but nobody holds it", where.file,
                  where.line, self.id, self.name);
        }
        panic("mutex unlocked at {}:{} by task {} ({}), but task {} holds it (taken at {}:{})",
              where.file, where.line, self.id, self.name, owner_->id, locked_at_.file,
              locked_at_.line);
    }
    --self.mutexes_held;
    release();
}

void Semaphore::down(SourceLocation where) {
    check_may_sleep("a semaphore taken", where);
    SchedLock guard;
    if (count_ > 0) {
        --count_;
        return;
    }
    block_on(waiters_);  // up() gave its unit to us
}

void Semaphore::up() {
    SchedLock guard;
    if (wake_one(waiters_) == nullptr) ++count_;
}

void CondVar::wait(Mutex& mutex, SourceLocation where) {
    check_may_sleep("a condition waited for", where);
    {
        SchedLock guard;
        Task& self = current();
        if (mutex.owner_ != &self) {
            panic("condition variable waited for at {}:{} without holding its mutex", where.file,
                  where.line);
        }
        --self.mutexes_held;
        mutex.release();
        block_on(waiters_);
    }
    mutex.lock(where);
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
