// SPDX-License-Identifier: MIT
// TicketLock: fetch-and-add hands out tickets; the holder's release moves now_serving on by one.
#include <keel/lib/spin_pause.h>
#include <keel/lib/ticket_lock.h>

namespace keel {

bool TicketLock::acquire(uint64_t owner, SourceLocation where) {
    if (held_by(owner)) return false;
    const uint32_t ticket = next_ticket_.fetch_add(1, MemoryOrder::kRelaxed);
    while (now_serving_.load(MemoryOrder::kAcquire) != ticket) spin_pause();
    owner_.store(owner, MemoryOrder::kRelaxed);
    holder_ = where;
    return true;
}

void TicketLock::release() {
    owner_.store(kNobody, MemoryOrder::kRelaxed);
    // Only the holder writes now_serving, so a plain load-add-store is safe; release publishes
    // everything done under the lock to the next holder.
    now_serving_.store(now_serving_.load(MemoryOrder::kRelaxed) + 1, MemoryOrder::kRelease);
}

}  // namespace keel
