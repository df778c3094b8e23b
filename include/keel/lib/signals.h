// SPDX-License-Identifier: MIT
// Linux's signals apart from the frame a handler gets (lib/signal_frame.h): their numbers, sets of
// them, what each does by default, which pending one is delivered first, and the masks
// rt_sigprocmask and a handler's entry leave (kernel/signal.c, include/linux/signal.h, signal(7)).
// Portable. These are keel/abi/signal.h's numbers again, for code that the host tests compile
// beside libc's <signal.h>, which that header collides with; src/lib/signals.cpp checks that they
// agree.
#pragma once
#include <keel/lib/result.h>
#include <stdint.h>

namespace keel::signals {

// asm-generic/signal.h.
inline constexpr int kSigHup = 1;
inline constexpr int kSigInt = 2;
inline constexpr int kSigQuit = 3;
inline constexpr int kSigIll = 4;
inline constexpr int kSigTrap = 5;
inline constexpr int kSigAbrt = 6;
inline constexpr int kSigBus = 7;
inline constexpr int kSigFpe = 8;
inline constexpr int kSigKill = 9;
inline constexpr int kSigUsr1 = 10;
inline constexpr int kSigSegv = 11;
inline constexpr int kSigUsr2 = 12;
inline constexpr int kSigPipe = 13;
inline constexpr int kSigAlrm = 14;
inline constexpr int kSigTerm = 15;
inline constexpr int kSigStkflt = 16;
inline constexpr int kSigChld = 17;
inline constexpr int kSigCont = 18;
inline constexpr int kSigStop = 19;
inline constexpr int kSigTstp = 20;
inline constexpr int kSigTtin = 21;
inline constexpr int kSigTtou = 22;
inline constexpr int kSigUrg = 23;
inline constexpr int kSigXcpu = 24;
inline constexpr int kSigXfsz = 25;
inline constexpr int kSigVtalrm = 26;
inline constexpr int kSigProf = 27;
inline constexpr int kSigWinch = 28;
inline constexpr int kSigIo = 29;
inline constexpr int kSigPwr = 30;
inline constexpr int kSigSys = 31;
inline constexpr int kSigRtMin = 32;  // the kernel's; glibc keeps 32-34 for itself
inline constexpr int kSigRtMax = 64;
inline constexpr int kCount = 64;  // _NSIG: signals are 1-64

// rt_sigaction's flags that change how a handler is entered (asm-generic/signal-defs.h).
inline constexpr uint64_t kSaSigInfo = 0x00000004;
inline constexpr uint64_t kSaOnStack = 0x08000000;
inline constexpr uint64_t kSaRestart = 0x10000000;
inline constexpr uint64_t kSaNoDefer = 0x40000000;
inline constexpr uint64_t kSaResetHand = 0x80000000;

// A set of signals as sigset_t holds it: bit n-1 for signal n.
using Set = uint64_t;

constexpr bool is_valid(int signal) {
    return signal >= 1 && signal <= kCount;
}
// The set holding `signal` alone (1-64), as Linux's sigmask().
constexpr Set bit(int signal) {
    return Set{1} << (signal - 1);
}

// SIGKILL and SIGSTOP: never blocked, caught or ignored.
inline constexpr Set kUnblockable = bit(kSigKill) | bit(kSigStop);
// kernel/signal.c's SYNCHRONOUS_MASK: the faults a thread raises on itself, delivered first.
inline constexpr Set kSynchronous =
    bit(kSigSegv) | bit(kSigBus) | bit(kSigIll) | bit(kSigTrap) | bit(kSigFpe) | bit(kSigSys);
// SIG_KERNEL_STOP_MASK: the signals whose default action stops the process.
inline constexpr Set kStopSignals = bit(kSigStop) | bit(kSigTstp) | bit(kSigTtin) | bit(kSigTtou);

// What a blocked mask keeps of `set`: set_current_blocked drops SIGKILL and SIGSTOP, and so does
// rt_sigaction for sa_mask.
constexpr Set blockable(Set set) {
    return set & ~kUnblockable;
}

// signal(7)'s default actions, as include/linux/signal.h's SIG_KERNEL_*_MASK sort them. kContinue
// (SIGCONT) does nothing at delivery: a stopped process resumes when SIGCONT is sent, whatever its
// action (kernel/signal.c prepare_signal); Linux counts it among the ignored ones.
enum class DefaultAction : uint8_t {
    kTerminate,  // HUP INT KILL USR1 USR2 PIPE ALRM TERM STKFLT VTALRM PROF IO PWR, 32-64
    kCore,       // QUIT ILL TRAP ABRT BUS FPE SEGV XCPU XFSZ SYS: terminate, dumped
    kStop,       // STOP TSTP TTIN TTOU
    kContinue,   // CONT
    kIgnore,     // CHLD URG WINCH
};
const char* action_name(DefaultAction action);

// `signal`'s default action; kIgnore for a number outside 1-64 (there is no such signal).
DefaultAction default_action(int signal);
bool is_stop_signal(int signal);

// Which of the pending, unblocked signals is delivered first (kernel/signal.c next_signal): a
// synchronous fault if there is one, then the lowest number. 0 when there is none.
int next_signal(Set pending, Set blocked);

// The mask while the handler for `signal` runs (kernel/signal.c signal_delivered): the blocked
// mask as it is, with the action's sa_mask, and `signal` itself unless SA_NODEFER; never SIGKILL or
// SIGSTOP. The frame saves the mask from before, which rt_sigreturn puts back.
Set handler_mask(Set blocked, Set action_mask, uint64_t action_flags, int signal);

// rt_sigprocmask's `how`.
enum class How : int { kBlock = 0, kUnblock = 1, kSetMask = 2 };
enum class MaskError : uint8_t { kBadHow };
// The blocked mask after rt_sigprocmask(how, set): EINVAL (kBadHow) for another `how`.
Result<Set, MaskError> change_mask(Set blocked, int how, Set set);

}  // namespace keel::signals
