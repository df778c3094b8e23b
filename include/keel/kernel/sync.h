// SPDX-License-Identifier: MIT
// Sleeping locks for tasks: a Mutex (owned: recursive locking and unlocking a mutex one does not
// hold panic, naming both places), a counting Semaphore and a condition variable. A task that
// waits sleeps on a wait queue and its hart runs others. They are for tasks only: taking one
// while holding a spinlock or with interrupts off would sleep where sleeping is forbidden, and
// panics. For short sections that must not sleep, keel's spinlock (core/lock.h) stays.
#pragma once
#include <keel/core/lock.h>
#include <keel/kernel/task.h>

namespace keel::sched {

class Mutex {
public:
    constexpr Mutex() = default;
    void lock(SourceLocation where);
    void unlock(SourceLocation where);

private:
    friend class CondVar;
    static constexpr uintptr_t kWaiters = 1;  // in state_: tasks wait (task blocks are aligned)
    Task* owner() const { return reinterpret_cast<Task*>(state_.load() & ~kWaiters); }
    // Hands the mutex to its first waiter, or frees it. With the scheduler lock held.
    void release();

    // The owner's task block, or 0; | kWaiters. Without waiters, lock and unlock are one
    // compare-and-swap each and never take the scheduler lock.
    Atomic<uintptr_t> state_{0};
    SourceLocation locked_at_{};
    WaitQueue waiters_;
};

class MutexGuard {
public:
    MutexGuard(Mutex& mutex, SourceLocation where) : mutex_(mutex), where_(where) {
        mutex_.lock(where);
    }
    ~MutexGuard() { mutex_.unlock(where_); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    Mutex& mutex_;
    SourceLocation where_;
};

class Semaphore {
public:
    constexpr explicit Semaphore(int64_t count = 0) : count_(count) {}
    // Takes one unit, sleeping until there is one.
    void down(SourceLocation where);
    // Gives one back, to a sleeper if there is one.
    void up();

private:
    // Units left; below zero, minus the tasks that wait or are about to. While it stays above
    // zero, down and up are one atomic add each.
    Atomic<int64_t> count_;
    uint64_t handed_ = 0;  // units up() left for a waiter that had not queued yet (sched lock)
    WaitQueue waiters_;
};

// How an interruptible wait ended.
enum class WaitResult : uint8_t {
    kWoken,        // what it waited for happened (look again: another may have taken it)
    kTimedOut,     // the deadline passed
    kInterrupted,  // a kill or a signal came: the caller gives up (-EINTR, or a restart)
};

// An event: a count that whoever changes some state moves, and the tasks that wait for it to
// move. A waiter reads count() first, then looks at the state (under whatever lock guards it),
// and, if it must wait, waits for the count it read: a change in between is never missed.
class Event {
public:
    constexpr Event() = default;
    uint64_t count() const { return count_.load(MemoryOrder::kAcquire); }
    // Sleeps until count() differs from `seen`, `deadline` (time CSR units; kNoDeadline: none)
    // passes, or the task is asked to stop.
    WaitResult wait(uint64_t seen, uint64_t deadline = kNoDeadline);
    // Sleeps until count() differs from `seen`, whatever else happens: a kill takes effect after
    // (for a wait that must not be cut short: a vfork parent's, whose memory its child runs in).
    void wait_through_kill(uint64_t seen);
    // The state changed: the count moves and every waiter wakes.
    void notify();
    // notify() for a caller that holds the scheduler lock already (an interrupt's wake hook).
    void notify_locked();

private:
    Atomic<uint64_t> count_{0};
    WaitQueue waiters_;
};

// Something a program may poll for changed somewhere (a pipe was written or closed, a key was
// typed): ppoll and pselect wait for this, then look at their descriptors again.
Event& io_event();

class CondVar {
public:
    constexpr CondVar() = default;
    // Releases `mutex` (which the caller holds), sleeps until signalled, takes `mutex` again.
    void wait(Mutex& mutex, SourceLocation where);
    void signal();
    void broadcast();

private:
    WaitQueue waiters_;
};

}  // namespace keel::sched
