// SPDX-License-Identifier: MIT
// The kernel's spinlocks, held with this hart's interrupts off, so an interrupt handler on the
// same hart can never spin on a lock its own hart holds. Taking a lock this hart already holds is
// a bug that would deadlock: it panics, naming both places.
//   Lock      a ticket lock: harts get it in the order they asked (the default).
//   SpinLock  unfair (lib/tas_lock.h): for the scheduler's lock, which every hart takes at every
//             switch, where a FIFO hand-off to a hart QEMU is not running stalls all of them.
#pragma once
#include <keel/lib/tas_lock.h>
#include <keel/lib/ticket_lock.h>

#define KEEL_HERE (::keel::SourceLocation{__FILE__, __LINE__})

namespace keel {

template <typename Raw>
class BasicLock {
public:
    constexpr BasicLock() = default;

    void lock(SourceLocation where);
    void unlock();

private:
    Raw raw_;
    bool interrupts_were_enabled_ = false;  // the holder's, restored by unlock()
};

using Lock = BasicLock<TicketLock>;
using SpinLock = BasicLock<TasLock>;

template <typename L>
class LockGuard {
public:
    LockGuard(L& lock, SourceLocation where) : lock_(lock) { lock_.lock(where); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    L& lock_;
};

}  // namespace keel
