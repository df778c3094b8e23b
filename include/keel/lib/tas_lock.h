// SPDX-License-Identifier: MIT
// TasLock: an unfair spinlock (test-and-test-and-set): whoever runs when it comes free takes it.
// A TicketLock hands the lock to the next in line even when that hart is not running, which QEMU
// makes common: with more harts than host cores, a vCPU the host has descheduled holds up every
// hart behind it (keel's scheduler lock under a producer/consumer load: 42 s with a ticket lock,
// 1 s with this one, 4 harts on 2 host cores). Like TicketLock it records its holder and refuses
// the holder taking it again. Portable: host tests use threads.
#pragma once
#include <keel/lib/ticket_lock.h>

namespace keel {

class TasLock {
public:
    static constexpr uint64_t kNobody = 0;

    constexpr TasLock() = default;
    TasLock(const TasLock&) = delete;
    TasLock& operator=(const TasLock&) = delete;

    // Takes the lock for `owner` (any non-zero id). Returns false without taking it when `owner`
    // already holds it; holder() then says where that was.
    bool acquire(uint64_t owner, SourceLocation where);
    void release();

    uint64_t owner() const { return owner_.load(MemoryOrder::kRelaxed); }
    SourceLocation holder() const { return holder_; }  // meaningful while owner() != kNobody
    bool held() const { return owner() != kNobody; }

private:
    Atomic<uint64_t> owner_{kNobody};  // the lock itself: who holds it
    SourceLocation holder_;
};

}  // namespace keel
