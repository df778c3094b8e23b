// SPDX-License-Identifier: MIT
// spin_pause(): what a spinlock waiter does between two looks. A hart tells the core it is
// spinning (Zihintpause `pause`, a no-op FENCE on cores without it). A host thread gives its core
// away: tests run more threads than cores, and the holder may be waiting for one.
#pragma once

#if __STDC_HOSTED__
#include <sched.h>
#endif

namespace keel {

inline void spin_pause() {
#if __STDC_HOSTED__
    sched_yield();
#elif defined(__riscv)
    asm volatile(".insn i 0x0f, 0, x0, x0, 0x010");
#endif
}

}  // namespace keel
