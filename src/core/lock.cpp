// SPDX-License-Identifier: MIT
// Lock: owner ids are hart id + 1 (TicketLock reserves 0 for "nobody").
#include <keel/arch/riscv/csr.h>
#include <keel/core/hart.h>
#include <keel/core/lock.h>
#include <keel/core/panic.h>

namespace keel {
namespace {

uint64_t this_owner() {
    const Hart* hart = this_hart_or_null();
    return (hart != nullptr ? hart->id : 0) + 1;  // before hart_online only the boot hart runs
}

}  // namespace

void Lock::lock(SourceLocation where) {
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (!ticket_.acquire(this_owner(), where)) {
        const SourceLocation first = ticket_.holder();
        panic("lock taken twice by hart {}: first at {}:{}, again at {}:{}", this_owner() - 1,
              first.file, first.line, where.file, where.line);
    }
    interrupts_were_enabled_ = were_enabled;
}

void Lock::unlock() {
    const bool restore = interrupts_were_enabled_;
    ticket_.release();
    csr::restore_interrupts(restore);
}

}  // namespace keel
