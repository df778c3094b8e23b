// SPDX-License-Identifier: MIT
// Lock and SpinLock: owner ids are hart id + 1 (both raw locks reserve 0 for "nobody").
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

template <typename Raw>
void BasicLock<Raw>::lock(SourceLocation where) {
    const bool were_enabled = csr::save_and_disable_interrupts();
    if (!raw_.acquire(this_owner(), where)) {
        const SourceLocation first = raw_.holder();
        panic("lock taken twice by hart {}: first at {}:{}, again at {}:{}", this_owner() - 1,
              first.file, first.line, where.file, where.line);
    }
    interrupts_were_enabled_ = were_enabled;
}

template <typename Raw>
void BasicLock<Raw>::unlock() {
    const bool restore = interrupts_were_enabled_;
    raw_.release();
    csr::restore_interrupts(restore);
}

template class BasicLock<TicketLock>;
template class BasicLock<TasLock>;

}  // namespace keel
