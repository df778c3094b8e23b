// SPDX-License-Identifier: MIT
// Signals (include/keel/kernel/signals.h): sending, and delivery on the way back to user mode.
#include <keel/abi/errno.h>
#include <keel/arch/riscv/context.h>
#include <keel/core/console.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/signals.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/task.h>
#include <keel/kernel/vdso.h>
#include <keel/lib/memory.h>
#include <keel/lib/signal_frame.h>

namespace keel::signals {
namespace {

using process::Life;
using process::Process;
using process::TreeLock;

// SIGCONT's effect when sent, whatever its handler: a stopped process goes on.
void continue_process(Process& p) {
    p.signals.pending &= ~kStopSignals;
    p.signals.stop_dequeued = false;
    if (p.life != Life::kStopped) return;
    p.life = Life::kRunning;
    p.report = process::Report::kContinued;
    process::tell_stopped_or_continued(p);
    p.resumed.notify();
}

}  // namespace

void update_pending(Process& p) {
    if (p.task == nullptr) return;
    const bool pending = (p.signals.pending & ~p.signals.blocked) != 0;
    sched::SchedLock guard;
    sched::set_signal_pending(*p.task, pending);
}

bool ignores(const Process& p, int signal) {
    const __sighandler_t handler = p.signals.actions[signal].sa_handler;
    if (handler == SIG_IGN) return true;
    if (handler != SIG_DFL) return false;
    const DefaultAction action = default_action(signal);
    return action == DefaultAction::kIgnore || action == DefaultAction::kContinue;
}

bool post(Process& p, int signal, const Info& info) {
    if (p.life == Life::kZombie || signal <= 0 || signal > kCount) return true;
    State& s = p.signals;
    if (signal == SIGKILL) {
        s.pending |= bit(SIGKILL);  // (a fork now is refused: no child escapes a group's kill)
        if (p.life == Life::kStopped) p.life = Life::kRunning;
        p.resumed.notify();
        if (p.task != nullptr) {
            sched::SchedLock guard;
            sched::request_kill(*p.task);
        }
        return true;
    }
    if (signal == SIGCONT) continue_process(p);
    if ((bit(signal) & kStopSignals) != 0) s.pending &= ~bit(SIGCONT);
    if (((s.blocked | s.real_blocked) & bit(signal)) == 0 && ignores(p, signal)) return true;
    if (signal >= kSigRtMin) {
        // A full queue refuses the signal (-EAGAIN): Linux would queue a kill's past
        // RLIMIT_SIGPENDING, keel keeps no more than its queue holds.
        if (s.queued == kQueueCapacity) return false;
        s.queue[s.queued++] = Queued{signal, info};
    } else if ((s.pending & bit(signal)) != 0) {
        return true;  // a standard signal is pending once
    } else {
        s.info[signal] = info;
    }
    s.pending |= bit(signal);
    if ((s.blocked & bit(signal)) == 0) update_pending(p);
    return true;
}

Info dequeue(State& s, int signal) {
    if (signal < kSigRtMin) {
        s.pending &= ~bit(signal);
        return s.info[signal];
    }
    Info info;
    bool more = false;
    size_t kept = 0;
    bool taken = false;
    for (size_t i = 0; i < s.queued; ++i) {
        if (!taken && s.queue[i].signal == signal) {
            info = s.queue[i].info;
            taken = true;
            continue;
        }
        more = more || s.queue[i].signal == signal;
        s.queue[kept++] = s.queue[i];
    }
    s.queued = kept;
    if (!more) s.pending &= ~bit(signal);
    return info;
}

int64_t set_temporary_mask(Process& p, uint64_t address, uint64_t size) {
    if (address == 0) return 0;
    if (size != sizeof(sigset_t)) return -EINVAL;
    uint64_t mask = 0;
    if (!syscalls::copy_from_user(p, &mask, address, sizeof mask)) return -EFAULT;
    TreeLock guard;
    p.signals.saved_blocked = p.signals.blocked;
    p.signals.restore_blocked = true;
    p.signals.blocked = mask & ~kUnblockable;
    update_pending(p);
    return 0;
}

void end_temporary_mask(Process& p, int64_t result) {
    TreeLock guard;
    if (!p.signals.restore_blocked || result == kRestartNoHand) return;
    p.signals.restore_blocked = false;
    p.signals.blocked = p.signals.saved_blocked;
    update_pending(p);
}

void raise_self(int signal) {
    Process* p = process::current();
    if (p == nullptr) return;
    Info info;
    info.pid = static_cast<uint32_t>(p->pid);
    TreeLock guard;
    (void)post(*p, signal, info);
}

void inherit(State& child, const State& parent) {
    for (int i = 1; i <= kCount; ++i) child.actions[i] = parent.actions[i];
    child.blocked = parent.blocked;
    child.altstack = parent.altstack;
}

void reset_on_exec(State& state) {
    for (int i = 1; i <= kCount; ++i) {
        struct sigaction& action = state.actions[i];
        if (action.sa_handler != SIG_IGN) action.sa_handler = SIG_DFL;
        action.sa_flags = 0;
        action.sa_mask.sig[0] = 0;
    }
    state.altstack = signal_frame::after_exec(state.altstack);
}

namespace {

// One signal taken off the pending set, with what to do about it.
struct Taken {
    int signal = 0;
    struct sigaction action = {};
    Info info;
    uint64_t frame_mask = 0;  // the mask the handler's frame records (and sigreturn restores)
};

// Under the lock: the next signal `p` takes; false when none may be taken now. A handler's
// SA_RESETHAND and the handler's mask take effect here.
bool take(Process& p, Taken& t) {
    State& s = p.signals;
    t.signal = next_signal(s.pending, s.blocked);
    if (t.signal == 0) {
        update_pending(p);
        return false;
    }
    t.info = dequeue(s, t.signal);
    t.action = s.actions[t.signal];
    if (t.action.sa_handler == SIG_DFL && (bit(t.signal) & kStopSignals) != 0)
        s.stop_dequeued = true;
    if (t.action.sa_handler == SIG_DFL || t.action.sa_handler == SIG_IGN) return true;
    t.frame_mask = s.restore_blocked ? s.saved_blocked : s.blocked;
    s.restore_blocked = false;
    s.blocked |= t.action.sa_mask.sig[0];
    if ((t.action.sa_flags & SA_NODEFER) == 0) s.blocked |= bit(t.signal);
    s.blocked &= ~kUnblockable;
    if ((t.action.sa_flags & SA_RESETHAND) != 0) {
        s.actions[t.signal].sa_handler = SIG_DFL;
        s.actions[t.signal].sa_flags &= ~uint64_t{SA_SIGINFO};
    }
    update_pending(p);
    return true;
}

// A call a signal cut short: -EINTR, or run again (`handler`: the handler that runs, or nullptr
// when none does), as Linux's riscv do_signal decides.
void finish_call(Process& p, TrapFrame& frame, const struct sigaction* handler) {
    if (!p.in_syscall) return;
    p.in_syscall = false;
    const auto result = static_cast<int64_t>(frame.regs[10]);
    bool restart = false;
    if (result == kRestartNoIntr) {
        restart = true;
    } else if (result == kRestartSys) {
        restart = handler == nullptr || (handler->sa_flags & SA_RESTART) != 0;
    } else if (result == kRestartNoHand) {
        restart = handler == nullptr;
    } else {
        return;
    }
    if (restart) {
        frame.regs[10] = p.syscall_a0;
        frame.sepc -= 4;  // the ecall again
    } else {
        frame.regs[10] = static_cast<uint64_t>(-EINTR);
    }
}

// The default action stop: `p` stops until SIGCONT (or SIGKILL). A stop from a terminal
// (SIGTSTP, SIGTTIN, SIGTTOU) in an orphaned group is dropped, as Linux does.
void stop(Process& p, int signal) {
    {
        TreeLock guard;
        if (!p.signals.stop_dequeued) return;  // a SIGCONT came since the stop signal was taken
        p.signals.stop_dequeued = false;
        if (signal != SIGSTOP && process::orphaned_group(p.pgid)) return;
        p.life = Life::kStopped;
        p.stop_signal = signal;
        p.report = process::Report::kStopped;
        process::tell_stopped_or_continued(p);
    }
    for (;;) {
        const uint64_t seen = p.resumed.count();
        {
            TreeLock guard;
            if (p.life != Life::kStopped) break;
            sched::SchedLock sched_guard;
            sched::set_signal_pending(*p.task, false);  // only SIGCONT or SIGKILL end a stop
        }
        (void)p.resumed.wait(seen);
        sched::exit_if_killed();
    }
    TreeLock guard;
    update_pending(p);
}

}  // namespace

void deliver(Process& p, TrapFrame& frame) {
    bool handled = false;
    for (;;) {
        Taken t;
        {
            TreeLock guard;
            if (!take(p, t)) break;
        }
        if (t.action.sa_handler == SIG_IGN) continue;
        if (t.action.sa_handler == SIG_DFL) {
            switch (default_action(t.signal)) {
            case DefaultAction::kIgnore:
            case DefaultAction::kContinue: continue;
            case DefaultAction::kStop: stop(p, t.signal); continue;
            case DefaultAction::kTerminate:
            case DefaultAction::kCore: process::exit_current(t.signal);
            }
        }
        if (!handled) finish_call(p, frame, &t.action);
        handled = true;
        if (!push_frame(p, frame, t.signal, t.action, t.info, t.frame_mask)) {
            console::print("{}[{}]: no room for a signal frame at sp {:#x} \u2014 killed\n", p.name,
                           p.pid, frame.regs[2]);
            process::exit_current(SIGSEGV);
        }
    }
    if (handled) return;
    finish_call(p, frame, nullptr);
    TreeLock guard;
    if (p.signals.restore_blocked) {  // sigsuspend with no handler run: its mask goes
        p.signals.restore_blocked = false;
        p.signals.blocked = p.signals.saved_blocked;
        update_pending(p);
    }
}

void force(Process& p, int signal, int code, uint64_t address) {
    Info info;
    info.code = code;
    info.address = address;
    TreeLock guard;
    struct sigaction& action = p.signals.actions[signal];
    if (action.sa_handler == SIG_IGN || (p.signals.blocked & bit(signal)) != 0) {
        action.sa_handler = SIG_DFL;  // a fault nobody takes ends the process
        p.signals.blocked &= ~bit(signal);
    }
    if (signal < kSigRtMin) p.signals.pending &= ~bit(signal);  // its info, not an earlier kill's
    (void)post(p, signal, info);
}

}  // namespace keel::signals
