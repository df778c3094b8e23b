// What keel records about each hart: its id, its state and whether it booted the system. The gdb
// helper keel-harts reads this table (keel::g_harts), so keep the field names stable.
#pragma once
#include <stdint.h>

#include <keel/arch/riscv/memlayout.h>
#include <keel/lib/atomic.h>

namespace keel {

enum class HartState : uint32_t {  // 32 bits: RISC-V atomics (AMOs, LR/SC) work on words
    kAbsent,    // not in this machine, or not started
    kStarting,  // asked to start, not yet in keel
    kOnline,    // running keel
    kHalted,    // stopped for good (panic)
};

struct Hart {
    uint64_t id = 0;
    Atomic<HartState> state{HartState::kAbsent};
    bool is_boot_hart = false;
};

extern Hart g_harts[memlayout::kMaxHarts];

const char* hart_state_name(HartState state);

// Records the calling hart as online. boot.S guarantees id < kMaxHarts.
void hart_online(uint64_t id, bool is_boot_hart);

}  // namespace keel
