// SPDX-License-Identifier: MIT
// Signal numbers, sets and default actions (include/keel/lib/signals.h), checked against the ABI.
#include <keel/abi/signal.h>
#include <keel/lib/signals.h>

namespace keel::signals {

#define KEEL_SAME(ours, linux) static_assert((ours) == (linux), #linux);
KEEL_SAME(kSigHup, SIGHUP)
KEEL_SAME(kSigInt, SIGINT)
KEEL_SAME(kSigQuit, SIGQUIT)
KEEL_SAME(kSigIll, SIGILL)
KEEL_SAME(kSigTrap, SIGTRAP)
KEEL_SAME(kSigAbrt, SIGABRT)
KEEL_SAME(kSigBus, SIGBUS)
KEEL_SAME(kSigFpe, SIGFPE)
KEEL_SAME(kSigKill, SIGKILL)
KEEL_SAME(kSigUsr1, SIGUSR1)
KEEL_SAME(kSigSegv, SIGSEGV)
KEEL_SAME(kSigUsr2, SIGUSR2)
KEEL_SAME(kSigPipe, SIGPIPE)
KEEL_SAME(kSigAlrm, SIGALRM)
KEEL_SAME(kSigTerm, SIGTERM)
KEEL_SAME(kSigStkflt, SIGSTKFLT)
KEEL_SAME(kSigChld, SIGCHLD)
KEEL_SAME(kSigCont, SIGCONT)
KEEL_SAME(kSigStop, SIGSTOP)
KEEL_SAME(kSigTstp, SIGTSTP)
KEEL_SAME(kSigTtin, SIGTTIN)
KEEL_SAME(kSigTtou, SIGTTOU)
KEEL_SAME(kSigUrg, SIGURG)
KEEL_SAME(kSigXcpu, SIGXCPU)
KEEL_SAME(kSigXfsz, SIGXFSZ)
KEEL_SAME(kSigVtalrm, SIGVTALRM)
KEEL_SAME(kSigProf, SIGPROF)
KEEL_SAME(kSigWinch, SIGWINCH)
KEEL_SAME(kSigIo, SIGIO)
KEEL_SAME(kSigPwr, SIGPWR)
KEEL_SAME(kSigSys, SIGSYS)
KEEL_SAME(kSigRtMin, SIGRTMIN)
KEEL_SAME(kSigRtMax, SIGRTMAX)
KEEL_SAME(kCount, _NSIG)
KEEL_SAME(kSaSigInfo, SA_SIGINFO)
KEEL_SAME(kSaOnStack, SA_ONSTACK)
KEEL_SAME(kSaRestart, SA_RESTART)
KEEL_SAME(kSaNoDefer, SA_NODEFER)
KEEL_SAME(kSaResetHand, SA_RESETHAND)
KEEL_SAME(bit(kSigKill), sigmask(SIGKILL))
KEEL_SAME(static_cast<int>(How::kBlock), SIG_BLOCK)
KEEL_SAME(static_cast<int>(How::kUnblock), SIG_UNBLOCK)
KEEL_SAME(static_cast<int>(How::kSetMask), SIG_SETMASK)
#undef KEEL_SAME

namespace {

// include/linux/signal.h: SIG_KERNEL_COREDUMP_MASK and SIG_KERNEL_IGNORE_MASK (which has SIGCONT;
// see DefaultAction). Everything else, the real-time signals too, terminates.
constexpr Set kCoreSignals = bit(kSigQuit) | bit(kSigIll) | bit(kSigTrap) | bit(kSigAbrt) |
                             bit(kSigBus) | bit(kSigFpe) | bit(kSigSegv) | bit(kSigXcpu) |
                             bit(kSigXfsz) | bit(kSigSys);
constexpr Set kIgnoredSignals = bit(kSigChld) | bit(kSigUrg) | bit(kSigWinch);

// The lowest signal in a non-empty set.
int lowest(Set set) {
    return __builtin_ctzll(set) + 1;
}

}  // namespace

const char* action_name(DefaultAction action) {
    switch (action) {
    case DefaultAction::kTerminate: return "terminate";
    case DefaultAction::kCore: return "core";
    case DefaultAction::kStop: return "stop";
    case DefaultAction::kContinue: return "continue";
    case DefaultAction::kIgnore: return "ignore";
    }
    return "?";
}

DefaultAction default_action(int signal) {
    if (!is_valid(signal)) return DefaultAction::kIgnore;
    const Set set = bit(signal);
    if ((set & kCoreSignals) != 0) return DefaultAction::kCore;
    if ((set & kStopSignals) != 0) return DefaultAction::kStop;
    if ((set & kIgnoredSignals) != 0) return DefaultAction::kIgnore;
    if (signal == kSigCont) return DefaultAction::kContinue;
    return DefaultAction::kTerminate;
}

bool is_stop_signal(int signal) {
    return is_valid(signal) && (bit(signal) & kStopSignals) != 0;
}

int next_signal(Set pending, Set blocked) {
    Set ready = pending & ~blocked;
    if (ready == 0) return 0;
    if ((ready & kSynchronous) != 0) ready &= kSynchronous;
    return lowest(ready);
}

Set handler_mask(Set blocked, Set action_mask, uint64_t action_flags, int signal) {
    Set mask = blocked | action_mask;
    if ((action_flags & kSaNoDefer) == 0 && is_valid(signal)) mask |= bit(signal);
    return blockable(mask);
}

Result<Set, MaskError> change_mask(Set blocked, int how, Set set) {
    switch (static_cast<How>(how)) {
    case How::kBlock: return blockable(blocked | set);
    case How::kUnblock: return blockable(blocked & ~set);
    case How::kSetMask: return blockable(set);
    }
    return MaskError::kBadHow;
}

}  // namespace keel::signals
