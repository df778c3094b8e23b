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

class TasLock : public LockHolder {  // owner_ is the lock itself: who holds it
public:
    constexpr TasLock() = default;

    // Takes the lock for `owner` (any non-zero id). Returns false without taking it when `owner`
    // already holds it; holder() then says where that was.
    bool acquire(uint64_t owner, SourceLocation where);
    void release();
};

}  // namespace keel
