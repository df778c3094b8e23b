// SPDX-License-Identifier: MIT
// TicketLock: a fair spinlock. Each taker draws a ticket and waits until it is served, so harts
// get the lock in the order they asked. It records who holds it and where it was taken, so that
// taking a lock one already holds (a certain deadlock) is caught instead of spinning forever.
// Portable: the kernel's Lock wraps it with hart ids and interrupt masking; host tests use threads.
#pragma once
#include <keel/lib/atomic.h>
#include <stdint.h>

namespace keel {

struct SourceLocation {
    const char* file = "";
    int line = 0;
};

// What keel's spinlocks record, TicketLock and TasLock alike: who holds one (an id, 0 for
// nobody) and where it was taken, so that taking it again is caught and both places named.
class LockHolder {
public:
    static constexpr uint64_t kNobody = 0;

    LockHolder(const LockHolder&) = delete;
    LockHolder& operator=(const LockHolder&) = delete;

    uint64_t owner() const { return owner_.load(MemoryOrder::kRelaxed); }
    SourceLocation holder() const { return holder_; }  // meaningful while owner() != kNobody
    bool held() const { return owner() != kNobody; }

protected:
    constexpr LockHolder() = default;
    // Only the holder itself can have written its own id here, so this read cannot race with a
    // change that matters: if it says "me", it is me.
    bool held_by(uint64_t owner) const { return owner_.load(MemoryOrder::kRelaxed) == owner; }

    Atomic<uint64_t> owner_{kNobody};
    SourceLocation holder_;
};

class TicketLock : public LockHolder {
public:
    constexpr TicketLock() = default;

    // Takes the lock for `owner` (any non-zero id). Returns false without taking it when `owner`
    // already holds it; holder() then says where that was.
    bool acquire(uint64_t owner, SourceLocation where);
    void release();

private:
    Atomic<uint32_t> next_ticket_{0};
    Atomic<uint32_t> now_serving_{0};
};

}  // namespace keel
