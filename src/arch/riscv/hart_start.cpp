// SPDX-License-Identifier: MIT
// The start records boot.S reads, and the HSM call that uses them.
#include <keel/arch/riscv/hart_start.h>

constinit keel::HartStart keel_hart_starts[KEEL_MAX_HARTS];

namespace keel {

sbi::Result start_hart(unsigned slot, uint64_t hart_id, uintptr_t stack_top, void* context) {
    HartStart& start = keel_hart_starts[slot];
    start.hart_id = hart_id;
    start.stack_top = stack_top;
    start.context = context;
    // The record is complete before the hart can see it pending (it may read it from _start,
    // without waiting for the SBI call to return).
    start.pending.store(1, MemoryOrder::kRelease);
    // The hart starts with paging off: at the entry's physical address. The record's address is
    // read once boot.S has turned paging on.
    const sbi::Result started = sbi::hsm::hart_start(
        hart_id, memlayout::to_physical(reinterpret_cast<uintptr_t>(&keel_secondary_entry)),
        reinterpret_cast<uintptr_t>(&start));
    if (!started.ok()) start.pending.store(0, MemoryOrder::kRelease);
    return started;
}

}  // namespace keel
