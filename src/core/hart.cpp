// SPDX-License-Identifier: MIT
// The hart table: one entry per slot. The boot hart hands out slots (it starts every other hart);
// each entry's stage is then written by the hart it describes, or by a panic.
#include <keel/core/hart.h>

namespace keel {

constinit Hart g_harts[memlayout::kMaxHarts];

const char* hart_stage_name(HartStage stage) {
    switch (stage) {
    case HartStage::kAbsent: return "absent";
    case HartStage::kStarting: return "starting";
    case HartStage::kOnline: return "online";
    case HartStage::kHalted: return "halted";
    }
    return "?";
}

Hart* claim_hart_slot(uint64_t id) {
    for (uint32_t slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        Hart& hart = g_harts[slot];
        if (hart.stage.load(MemoryOrder::kAcquire) != HartStage::kAbsent) continue;
        hart.id = id;
        hart.slot = slot;
        hart.stage.store(HartStage::kStarting, MemoryOrder::kRelease);
        return &hart;
    }
    return nullptr;
}

void release_hart_slot(Hart& hart) {
    hart.stage.store(HartStage::kAbsent, MemoryOrder::kRelease);
}

Hart* find_hart(uint64_t id) {
    for (Hart& hart : g_harts) {
        if (hart.stage.load(MemoryOrder::kAcquire) != HartStage::kAbsent && hart.id == id)
            return &hart;
    }
    return nullptr;
}

void hart_online(Hart& hart, bool is_boot_hart) {
    asm volatile("mv tp, %0" ::"r"(&hart));
    hart.is_boot_hart = is_boot_hart;
    hart.stage.store(HartStage::kOnline, MemoryOrder::kRelease);
}

}  // namespace keel
