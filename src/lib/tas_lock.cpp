// SPDX-License-Identifier: MIT
// TasLock (include/keel/lib/tas_lock.h).
#include <keel/lib/spin_pause.h>
#include <keel/lib/tas_lock.h>

namespace keel {

bool TasLock::acquire(uint64_t owner, SourceLocation where) {
    if (held_by(owner)) return false;
    for (;;) {
        uint64_t expected = kNobody;
        if (owner_.compare_exchange_weak(expected, owner, MemoryOrder::kAcquire,
                                         MemoryOrder::kRelaxed))
            break;
        // Wait with plain loads (the line stays shared) until it looks free, then try again.
        while (held()) spin_pause();
    }
    holder_ = where;
    return true;
}

void TasLock::release() {
    owner_.store(kNobody, MemoryOrder::kRelease);  // publishes everything done under the lock
}

}  // namespace keel
