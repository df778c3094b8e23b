// SPDX-License-Identifier: MIT
// The hart table: one entry per slot. The boot hart hands out slots (it starts every other hart);
// each entry's counters are then written by the hart it describes.
#include <keel/kernel/hart.h>

namespace keel {

constinit Hart g_harts[memlayout::kMaxHarts];

const char* hart_state_name(HartState state) {
    switch (state) {
    case HartState::kAbsent: return "absent";
    case HartState::kStarting: return "starting";
    case HartState::kOnline: return "online";
    case HartState::kHalted: return "halted";
    }
    return "?";
}

Hart* claim_hart_slot(uint64_t id) {
    for (uint32_t slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        Hart& hart = g_harts[slot];
        if (hart.state.load(MemoryOrder::kAcquire) != HartState::kAbsent) continue;
        hart.id = id;
        hart.slot = slot;
        hart.stack_top = memlayout::stack_top(slot);
        hart.state.store(HartState::kStarting, MemoryOrder::kRelease);
        return &hart;
    }
    return nullptr;
}

void release_hart_slot(Hart& hart) {
    hart.state.store(HartState::kAbsent, MemoryOrder::kRelease);
}

Hart* find_hart(uint64_t id) {
    for (Hart& hart : g_harts) {
        if (hart.state.load(MemoryOrder::kAcquire) != HartState::kAbsent && hart.id == id)
            return &hart;
    }
    return nullptr;
}

void hart_online(Hart& hart, bool is_boot_hart) {
    asm volatile("mv tp, %0" ::"r"(&hart));
    hart.is_boot_hart = is_boot_hart;
    hart.state.store(HartState::kOnline, MemoryOrder::kRelease);
}

}  // namespace keel
