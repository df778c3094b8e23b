// SPDX-License-Identifier: MIT
// A handler's frame on the program's stack, and rt_sigreturn taking it back
// (include/keel/kernel/signals.h): Linux's riscv64 rt_sigframe, built and checked by
// lib/signal_frame.h; the handler returns through the vDSO's __vdso_rt_sigreturn.
#include <keel/arch/riscv/context.h>
#include <keel/core/console.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/signals.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vdso.h>
#include <keel/lib/memory.h>

namespace keel::signals {
namespace {

using process::Process;
using process::TreeLock;
using signal_frame::UserState;

UserState state_of(const TrapFrame& frame, uint64_t blocked) {
    UserState state;
    state.regs[0] = frame.sepc;
    for (int i = 1; i < 32; ++i) state.regs[i] = frame.regs[i];
    keel_fp_save(state.fp);  // the program's, live: the kernel does not touch them
    state.blocked = blocked;
    return state;
}

void load_state(TrapFrame& frame, const UserState& state) {
    frame.sepc = state.regs[0];
    for (int i = 1; i < 32; ++i) frame.regs[i] = state.regs[i];
    keel_fp_restore(state.fp);
}

}  // namespace

signal_frame::SigInfo to_siginfo(int signal, const Info& info) {
    signal_frame::SigInfo si;
    si.si_signo = signal;
    si.si_code = info.code;
    if (signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGTRAP ||
        signal == SIGFPE) {
        if (info.code > 0) {  // the kernel's own: a fault, with its address
            si.fault.addr = info.address;
            return si;
        }
    }
    si.sender.pid = static_cast<int32_t>(info.pid);
    si.sender.uid = info.uid;
    si.sender.value =
        signal == SIGCHLD && info.code > 0 ? static_cast<uint32_t>(info.status) : info.value;
    return si;
}

bool push_frame(Process& p, TrapFrame& frame, int signal, const struct sigaction& action,
                const Info& info, uint64_t frame_mask) {
    signal_frame::AltStack altstack;
    {
        TreeLock guard;
        altstack = p.signals.altstack;
    }
    const auto address = signal_frame::frame_address(frame.regs[2], action.sa_flags, altstack);
    if (!address.ok()) return false;
    UserState state = state_of(frame, frame_mask);
    // A frame is big for a task's stack, but it lives only as long as this copy.
    signal_frame::Frame built;
    signal_frame::build(state, to_siginfo(signal, info), altstack, built);
    if (!syscalls::copy_to_user(p, address.value(), &built, sizeof built)) return false;
    {
        TreeLock guard;
        p.signals.altstack = signal_frame::after_delivery(p.signals.altstack);
    }
    const uint64_t sigreturn = p.space().vdso() + vdso::kSigreturnOffset;
    signal_frame::enter_handler(state, address.value(), signal,
                                reinterpret_cast<uint64_t>(action.sa_handler), sigreturn);
    load_state(frame, state);
    return true;
}

int64_t sigreturn(Process& p, TrapFrame& frame) {
    signal_frame::Frame saved;
    const uint64_t address = frame.regs[2];
    UserState state = state_of(frame, 0);
    if (!syscalls::copy_from_user(p, &saved, address, sizeof saved)) {
        console::print("{}[{}]: rt_sigreturn: no frame readable at sp {:#x} \u2014 killed\n",
                       p.name, p.pid, address);
        process::exit_current(SIGSEGV);
    }
    const auto restored = signal_frame::restore(saved, state);
    if (!restored.ok()) {
        console::print("{}[{}]: rt_sigreturn: {} at sp {:#x} \u2014 killed\n", p.name, p.pid,
                       signal_frame::error_name(restored.error()), address);
        process::exit_current(SIGSEGV);
    }
    load_state(frame, state);
    {
        TreeLock guard;
        p.signals.blocked = state.blocked & ~kUnblockable;
        const auto set =
            signal_frame::set_alt_stack(p.signals.altstack, restored.value(), frame.regs[2]);
        if (set.ok()) p.signals.altstack = set.value();
        update_pending(p);
    }
    p.in_syscall = false;  // the program goes on where it was: nothing to restart
    return static_cast<int64_t>(frame.regs[10]);
}

}  // namespace keel::signals
