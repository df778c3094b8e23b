// SPDX-License-Identifier: MIT
// Lock: the kernel's spinlock. A ticket lock (fair across harts) held with this hart's interrupts
// off, so an interrupt handler on the same hart can never spin on a lock its own hart holds.
// Taking a lock this hart already holds is a bug that would deadlock: it panics, naming both
// places.
#pragma once
#include <keel/lib/ticket_lock.h>

#define KEEL_HERE (::keel::SourceLocation{__FILE__, __LINE__})

namespace keel {

class Lock {
public:
    constexpr Lock() = default;

    void lock(SourceLocation where);
    void unlock();

private:
    TicketLock ticket_;
    bool interrupts_were_enabled_ = false;  // the holder's, restored by unlock()
};

class LockGuard {
public:
    LockGuard(Lock& lock, SourceLocation where) : lock_(lock) { lock_.lock(where); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    Lock& lock_;
};

}  // namespace keel
