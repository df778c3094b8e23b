// SPDX-License-Identifier: MIT
// The C++ side of trap entry: count the nesting, hand the trap to the kernel, and the fault
// guards. Each hart's trap state is reached through sscratch, which install_trap_vector() sets.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/trap.h>
#include <stddef.h>

namespace keel {
namespace {

struct TrapState {
    // Read and written by trap.S (its TS_* offsets).
    uint64_t stack_low = 0;      // the current thread's lowest stack address (a guard page below)
    uint64_t emergency_top = 0;  // the hart's emergency trap stack, for when that stack is used up
    uint64_t saved_sp = 0;       // the interrupted sp
    uint64_t saved_t1 = 0;
    uint64_t stack_high = 0;  // one past the current thread's stack top
    uint64_t hart = 0;        // this hart's block (core/hart.h): tp for a trap from user mode
    uint32_t depth = 0;       // traps being handled (nesting): trap.S counts them in and out
    void* owner = nullptr;    // the current thread's owner, for the lean path (trap.S)
    uint64_t exceptions = 0;  // exceptions taken (trap.S counts them; the harts command reads them)
    uint64_t last_cause = 0;  // scause of the last of them
    SavedContext* guard = nullptr;
    uint32_t guard_depth = 0;  // depth when the guard was armed
    bool guard_quiet = false;
};

static_assert(offsetof(TrapState, stack_low) == 0 && offsetof(TrapState, emergency_top) == 8 &&
                  offsetof(TrapState, saved_sp) == 16 && offsetof(TrapState, saved_t1) == 24 &&
                  offsetof(TrapState, stack_high) == 32 && offsetof(TrapState, hart) == 40 &&
                  offsetof(TrapState, depth) == 48 && offsetof(TrapState, owner) == 56 &&
                  offsetof(TrapState, exceptions) == 64 && offsetof(TrapState, last_cause) == 72,
              "trap.S hard-codes these offsets");
static_assert(sizeof(TrapState::depth) == 4, "trap.S counts it with lw/sw");

constinit TrapState g_states[memlayout::kMaxHarts];

// The calling hart's state; nullptr before install_trap_vector() (early boot, sscratch = 0).
TrapState* this_state() {
    return reinterpret_cast<TrapState*>(KEEL_CSR_READ(sscratch));
}

}  // namespace

void install_trap_vector(unsigned slot) {
    // User programs may read cycle, time and instret (scounteren CY, TM, IR; privileged spec
    // §4.1.5), as on Linux; M-mode firmware grants them to S-mode (mcounteren).
    KEEL_CSR_WRITE(scounteren, 7);
    uint64_t tp;
    asm("mv %0, tp" : "=r"(tp));
    g_states[slot].hart = tp;  // hart_online() pointed tp at this hart's block, or will
    g_states[slot].stack_low = memlayout::stack_low(slot);
    g_states[slot].stack_high = memlayout::stack_top(slot);
    g_states[slot].emergency_top = memlayout::trap_stack_top(slot);
    KEEL_CSR_WRITE(sscratch, reinterpret_cast<uint64_t>(&g_states[slot]));
    // Direct mode (stvec[1:0] = 0): the vector is 4-byte aligned (trap.S).
    KEEL_CSR_WRITE(stvec, reinterpret_cast<uint64_t>(&keel_trap_entry));
}

TrapThread current_trap_thread() {
    if (this_state() == nullptr) return {};  // before install_trap_vector()
    const TrapState& state = *this_state();
    return TrapThread{state.stack_low, state.stack_high,  state.owner,      state.depth,
                      state.guard,     state.guard_depth, state.guard_quiet};
}

void switch_trap_thread(TrapThread* save, const TrapThread& load) {
    TrapState& state = *this_state();
    save->depth = state.depth;
    save->guard = state.guard;
    save->guard_depth = state.guard_depth;
    save->guard_quiet = state.guard_quiet;
    state.stack_low = load.stack_low;
    state.stack_high = load.stack_high;
    state.owner = load.owner;
    state.depth = load.depth;
    state.guard = load.guard;
    state.guard_depth = load.guard_depth;
    state.guard_quiet = load.guard_quiet;
}

bool run_guarded(void (*body)(void*), void* argument, bool quiet) {
    SavedContext context;
    TrapState& state = *this_state();
    if (keel_context_save(&context) != 0) return true;  // resumed by the exception handler
    state.guard_quiet = quiet;
    state.guard_depth = state.depth;
    state.guard = &context;
    body(argument);
    state.guard = nullptr;
    return false;
}

Guard take_guard() {
    TrapState* state = this_state();
    if (state == nullptr || state->guard == nullptr) return {};
    const Guard guard{state->guard, state->guard_depth, state->guard_quiet};
    state->guard = nullptr;
    if (state->depth != guard.depth + 1) return {};  // a handler nested in the guarded code faulted
    return guard;
}

void disarm_guard() {
    if (TrapState* state = this_state()) state->guard = nullptr;
}

void resume_guard(const Guard& guard, const TrapFrame& frame) {
    this_state()->depth = guard.depth;
    // Leaving through the guard instead of sret: it restores the interrupt state sret would.
    keel_context_resume(guard.context, (frame.sstatus & csr::kSstatusSpie) != 0);
}

TrapCounts trap_counts(unsigned slot) {
    // Written by that hart alone, a word at a time: a plain read sees a whole value.
    const TrapState& state = g_states[slot];
    return TrapCounts{__atomic_load_n(&state.exceptions, __ATOMIC_RELAXED),
                      __atomic_load_n(&state.last_cause, __ATOMIC_RELAXED)};
}

uint32_t trap_depth() {
    const TrapState* state = this_state();
    return state != nullptr ? state->depth : 0;
}

uint64_t instruction_length(uint64_t pc) {
    const uint16_t low = *reinterpret_cast<const volatile uint16_t*>(pc);
    return (low & 0x3) == 0x3 ? 4 : 2;
}

}  // namespace keel

// (trap.S has counted the trap in this_state()->depth, and counts it out on the way back.)
extern "C" void keel_trap(keel::TrapFrame* frame) {
    using namespace keel;
    const TrapCause cause{frame->scause};
    if (from_user(*frame)) entered_from_user();
    if (cause.is_interrupt()) {
        handle_interrupt(cause);
    } else {
        handle_exception(*frame, cause);
    }
    if (from_user(*frame)) return_to_user(*frame);
}

extern "C" void keel_trap_finish(keel::TrapFrame* frame) {
    keel::return_to_user(*frame);
}
