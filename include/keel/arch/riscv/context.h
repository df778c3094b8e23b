// SPDX-License-Identifier: MIT
// A kernel execution context: what a switch from one thread of execution to another must keep.
// Only the registers the RISC-V calling convention says a call preserves (ra, sp, s0-s11):
// everything else the code that calls keel_context_switch already treats as clobbered, as for any
// call. (fs0-fs11 are preserved too under lp64d, but keel runs with sstatus.FS off: no
// floating-point register is ever live in the kernel.)
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct Context {
    uint64_t ra = 0;
    uint64_t sp = 0;
    uint64_t s[12] = {};  // s0 (the frame pointer) .. s11
};

// switch.S stores and loads these offsets.
static_assert(offsetof(Context, ra) == 0 && offsetof(Context, sp) == 8 &&
                  offsetof(Context, s) == 16 && sizeof(Context) == 112,
              "switch.S hard-codes this layout");

extern "C" {
// A user program's floating-point registers and fcsr (fp.S), saved and loaded at task switches.
void keel_fp_save(uint64_t* area);  // uint64_t[33]
void keel_fp_restore(const uint64_t* area);
// Saves the caller's context in *save and continues in *load (where it last saved itself, or
// where context_start() pointed it). Returns when something switches back to *save.
void keel_context_switch(Context* save, const Context* load);
// Where a started context begins: calls s1(s2), then s3() (which must not return).
void keel_context_entry();
}

// A context that, switched to, runs `function(argument)` on the stack whose top is `stack_top`
// (16-byte aligned), then `finished()`, which must switch away for good and never return.
inline Context context_start(void (*function)(void*), void* argument, void (*finished)(),
                             uintptr_t stack_top) {
    Context context;
    context.ra = reinterpret_cast<uint64_t>(&keel_context_entry);
    context.sp = stack_top & ~uintptr_t{15};
    context.s[0] = 0;  // fp 0: backtraces end at the context's first frame
    context.s[1] = reinterpret_cast<uint64_t>(function);
    context.s[2] = reinterpret_cast<uint64_t>(argument);
    context.s[3] = reinterpret_cast<uint64_t>(finished);
    return context;
}

}  // namespace keel
