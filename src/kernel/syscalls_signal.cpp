// SPDX-License-Identifier: MIT
// The signal calls a process makes about its own signals: rt_sigaction, rt_sigprocmask,
// rt_sigpending, rt_sigsuspend, rt_sigtimedwait, rt_sigreturn, sigaltstack. Linux's errnos
// (kernel/signal.c). Sending (kill...) and groups are syscalls_jobs.cpp's.
#include <keel/abi/errno.h>
#include <keel/abi/time.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/task.h>
#include <keel/lib/signal_frame.h>

namespace keel::syscalls {
namespace {

using process::Process;
using process::TreeLock;
using signals::bit;
using signals::kUnblockable;

constexpr uint64_t kSigsetSize = sizeof(sigset_t);
// The sa_flags Linux keeps (UAPI_SA_FLAGS); others read back as 0, so a program can tell.
constexpr uint64_t kKnownFlags = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK |
                                 SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS;

// A sigaction that ignores `signal` drops it from the pending set (POSIX).
void drop_if_ignored(Process& p, int signal) {
    if (signals::ignores(p, signal)) p.signals.pending &= ~bit(signal);
}

}  // namespace

int64_t sys_rt_sigaction(Process& p, TrapFrame& frame) {
    const int signal = int_arg(frame, 0);
    const uint64_t act = arg(frame, 1);
    const uint64_t old = arg(frame, 2);
    if (arg(frame, 3) != kSigsetSize) return -EINVAL;
    if (signal < 1 || signal > signals::kCount) return -EINVAL;
    if (act != 0 && (signal == SIGKILL || signal == SIGSTOP)) return -EINVAL;
    struct sigaction wanted = {};
    if (act != 0 && !copy_from_user(p, &wanted, act, sizeof wanted)) return -EFAULT;
    wanted.sa_flags &= kKnownFlags;
    wanted.sa_mask.sig[0] &= ~kUnblockable;
    struct sigaction before;
    {
        TreeLock guard;
        before = p.signals.actions[signal];
        if (act != 0) {
            p.signals.actions[signal] = wanted;
            drop_if_ignored(p, signal);
        }
    }
    if (old != 0 && !copy_to_user(p, old, &before, sizeof before)) return -EFAULT;
    return 0;
}

int64_t sys_rt_sigprocmask(Process& p, TrapFrame& frame) {
    const int how = int_arg(frame, 0);
    const uint64_t set = arg(frame, 1);
    const uint64_t old = arg(frame, 2);
    if (arg(frame, 3) != kSigsetSize) return -EINVAL;
    uint64_t wanted = 0;
    if (set != 0 && !copy_from_user(p, &wanted, set, sizeof wanted)) return -EFAULT;
    if (set != 0 && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) return -EINVAL;
    wanted &= ~kUnblockable;
    uint64_t before;
    {
        TreeLock guard;
        before = p.signals.blocked;
        if (set != 0) {
            if (how == SIG_BLOCK) p.signals.blocked |= wanted;
            if (how == SIG_UNBLOCK) p.signals.blocked &= ~wanted;
            if (how == SIG_SETMASK) p.signals.blocked = wanted;
            signals::update_pending(p);
        }
    }
    if (old != 0 && !copy_to_user(p, old, &before, sizeof before)) return -EFAULT;
    return 0;
}

int64_t sys_rt_sigpending(Process& p, TrapFrame& frame) {
    const uint64_t size = arg(frame, 1);
    if (size > kSigsetSize) return -EINVAL;
    uint64_t pending;
    {
        TreeLock guard;
        pending = p.signals.pending & p.signals.blocked;
    }
    return copy_to_user(p, arg(frame, 0), &pending, size) ? 0 : -EFAULT;
}

// rt_sigsuspend(mask): waits with `mask` until a signal is taken; the old mask comes back once
// its handler is set up (the frame records it), so the call "returns" -EINTR after the handler.
int64_t sys_rt_sigsuspend(Process& p, TrapFrame& frame) {
    if (arg(frame, 1) != kSigsetSize) return -EINVAL;
    if (arg(frame, 0) == 0) return -EFAULT;  // (ppoll's NULL means "no mask"; this one's is bad)
    if (const int64_t error = signals::set_temporary_mask(p, arg(frame, 0), arg(frame, 1));
        error != 0)
        return error;
    sched::Event never;
    while (never.wait(never.count()) != sched::WaitResult::kInterrupted) {
    }
    return signals::kRestartNoHand;
}

namespace {

// With the lock: the first signal of `set` pending for `p`, taken off (its info in `info`); 0 if
// none is.
int take_from(Process& p, uint64_t set, signals::Info& info) {
    const int signal = signals::next_signal(p.signals.pending & set, 0);
    if (signal == 0) return 0;
    info = signals::dequeue(p.signals, signal);
    signals::update_pending(p);
    return signal;
}

}  // namespace

// rt_sigtimedwait(set, info, timeout): takes a signal of `set` (blocked, as a rule) when one is
// pending or comes, the set unblocked while it waits; -EAGAIN when the time passes first,
// -EINTR when another signal comes (never restarted, as Linux).
int64_t sys_rt_sigtimedwait(Process& p, TrapFrame& frame) {
    if (arg(frame, 3) != kSigsetSize) return -EINVAL;
    uint64_t set = 0;
    if (!copy_from_user(p, &set, arg(frame, 0), sizeof set)) return -EFAULT;
    set &= ~kUnblockable;
    uint64_t deadline;
    if (const int64_t error = user_deadline(p, arg(frame, 2), deadline); error != 0) return error;
    signals::Info info;
    int signal = 0;
    uint64_t blocked = 0;
    {
        TreeLock guard;
        signal = take_from(p, set, info);
        blocked = p.signals.blocked;
        if (signal == 0) {
            p.signals.real_blocked = blocked;  // (what was blocked is kept if ignored)
            p.signals.blocked &= ~set;         // what it waits for wakes it
            signals::update_pending(p);
        }
    }
    if (signal == 0) {
        sched::Event never;
        (void)never.wait(never.count(), deadline);
        TreeLock guard;
        p.signals.blocked = blocked;
        p.signals.real_blocked = 0;
        signal = take_from(p, set, info);
        signals::update_pending(p);
    }
    if (signal == 0) return csr::time() >= deadline ? -EAGAIN : -EINTR;
    const signal_frame::SigInfo si = signals::to_siginfo(signal, info);
    if (arg(frame, 1) != 0 && !copy_to_user(p, arg(frame, 1), &si, sizeof si)) return -EFAULT;
    return signal;
}

// sigaltstack(ss, old): the alternate stack handlers with SA_ONSTACK run on.
int64_t sys_sigaltstack(Process& p, TrapFrame& frame) {
    const uint64_t sp = frame.regs[2];
    signal_frame::AltStack wanted;
    if (arg(frame, 0) != 0 && !copy_from_user(p, &wanted, arg(frame, 0), sizeof wanted))
        return -EFAULT;
    signal_frame::AltStack before;
    {
        TreeLock guard;
        before = signal_frame::query_alt_stack(p.signals.altstack, sp);
        if (arg(frame, 0) != 0) {
            const auto set = signal_frame::set_alt_stack(p.signals.altstack, wanted, sp);
            if (!set.ok()) {
                switch (set.error()) {
                case signal_frame::AltStackError::kOnAltStack: return -EPERM;
                case signal_frame::AltStackError::kBadFlags: return -EINVAL;
                case signal_frame::AltStackError::kTooSmall: return -ENOMEM;
                }
            }
            p.signals.altstack = set.value();
        }
    }
    if (arg(frame, 1) != 0 && !copy_to_user(p, arg(frame, 1), &before, sizeof before))
        return -EFAULT;
    return 0;
}

int64_t sys_rt_sigreturn(Process& p, TrapFrame& frame) {
    return signals::sigreturn(p, frame);
}

}  // namespace keel::syscalls
