// SPDX-License-Identifier: MIT
// The hart table: one entry per possible hart id, written by the hart it describes.
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

void hart_online(uint64_t id, bool is_boot_hart) {
    Hart& hart = g_harts[id];
    asm volatile("mv tp, %0" ::"r"(&hart));
    hart.id = id;
    hart.is_boot_hart = is_boot_hart;
    hart.state.store(HartState::kOnline, MemoryOrder::kRelease);
}

}  // namespace keel
