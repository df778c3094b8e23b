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

class TicketLock {
public:
    static constexpr uint64_t kNobody = 0;

    constexpr TicketLock() = default;
    TicketLock(const TicketLock&) = delete;
    TicketLock& operator=(const TicketLock&) = delete;

    // Takes the lock for `owner` (any non-zero id). Returns false without taking it when `owner`
    // already holds it; holder() then says where that was.
    bool acquire(uint64_t owner, SourceLocation where);
    void release();

    uint64_t owner() const { return owner_.load(MemoryOrder::kRelaxed); }
    SourceLocation holder() const { return holder_; }  // meaningful while owner() != kNobody
    bool held() const { return owner() != kNobody; }

private:
    Atomic<uint32_t> next_ticket_{0};
    Atomic<uint32_t> now_serving_{0};
    Atomic<uint64_t> owner_{kNobody};
    SourceLocation holder_;
};

}  // namespace keel
