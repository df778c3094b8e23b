// SPDX-License-Identifier: MIT
// Signals, the kernel's side (Linux's semantics and numbers, abi/signal.h): what a process keeps
// (its handlers, mask, pending set, alternate stack and ITIMER_REAL), sending one, and delivering
// them on the way back to user mode: a default action, or a handler on Linux's riscv64 frame
// (lib/signal_frame.h) returning through the vDSO's rt_sigreturn. Processes are single-threaded:
// a signal for the process is its one task's.
#pragma once
#include <keel/abi/signal.h>
#include <keel/arch/riscv/trap.h>
#include <keel/lib/signal_frame.h>
#include <keel/lib/signals.h>
#include <stdint.h>

namespace keel::process {
struct Process;
}

namespace keel::signals {

// What a call returns when a signal cut it short (Linux's include/linux/errno.h). The way back to
// user mode turns it into -EINTR, or runs the call again, as the signal's handler says.
inline constexpr int64_t kRestartSys = -512;     // restart with SA_RESTART, else -EINTR
inline constexpr int64_t kRestartNoIntr = -513;  // always restart
inline constexpr int64_t kRestartNoHand = -514;  // restart unless a handler runs

// The parts of a siginfo that one pending signal carries.
struct Info {
    int32_t code = SI_USER;
    int32_t status = 0;  // SIGCHLD: the exit code or signal
    uint32_t pid = 0;    // the sender, or the child
    uint32_t uid = 0;
    uint64_t address = 0;  // a fault's address
    uint64_t value = 0;    // sigqueue's si_value
};

// Real-time signals queue (each sending is delivered, in order), up to this many at a time for a
// process (past it, the sending call gets -EAGAIN; Linux queues a kill's past its limit); a
// standard signal already pending is not sent again.
inline constexpr size_t kQueueCapacity = 32;
struct Queued {
    int signal;
    Info info;
};

// A process's signal state (under the process lock).
struct State {
    struct sigaction actions[kCount + 1] = {};  // by number
    uint64_t pending = 0;
    uint64_t blocked = 0;
    uint64_t saved_blocked = 0;  // sigsuspend's: the mask to put back once a handler is set up
    // While rt_sigtimedwait waits with its set unblocked: the mask from before (Linux's
    // real_blocked). A signal blocked there is not dropped as ignored when it comes, so that
    // sigwaitinfo(SIGCHLD) with SIGCHLD blocked gets its SIGCHLD.
    uint64_t real_blocked = 0;
    bool restore_blocked = false;
    // A stop signal was taken and its stop is to come: a SIGCONT meanwhile cancels it (Linux's
    // JOBCTL_STOP_DEQUEUED), so that a stop never outlives the continue sent after it.
    bool stop_dequeued = false;
    Info info[kSigRtMin] = {};          // a pending standard signal's
    Queued queue[kQueueCapacity] = {};  // pending real-time ones, oldest first
    size_t queued = 0;
    signal_frame::AltStack altstack;
    // ITIMER_REAL, in time CSR units: when it next fires (0: disarmed), and its period.
    uint64_t alarm_at = 0;
    uint64_t alarm_period = 0;
};

// With the process lock held: tells `p`'s task whether a signal waits for it now (its mask or
// pending set changed); it is woken for one.
void update_pending(process::Process& p);
// With the process lock held: sends `signal` to `p` (Linux's rules: SIGKILL ends it, SIGCONT
// continues it, an ignored signal is dropped, a standard one already pending is not queued
// again); its task is woken to take it. false only when a real-time signal found the queue full.
bool post(process::Process& p, int signal, const Info& info);
// With the process lock held: `signal` (pending) off the pending set, its info.
Info dequeue(State& state, int signal);
// `signal` to the calling process from itself (SIGPIPE for a write to a pipe nobody reads), if
// it is a process. Takes the process lock.
void raise_self(int signal);
// Whether `p` ignores `signal` (SIG_IGN, or SIG_DFL whose action is to ignore it).
bool ignores(const process::Process& p, int signal);
// fork: the child's state from its parent's (handlers, mask, alternate stack; nothing pending,
// no timer); execve: handlers back to SIG_DFL (ignored ones stay ignored), no alternate stack.
void inherit(State& child, const State& parent);
void reset_on_exec(State& state);

// ppoll's and pselect6's mask (at `address`, `size` bytes; none if address is 0): in force
// while the call waits, as rt_sigsuspend's; 0, -EINVAL or -EFAULT. end_temporary_mask() puts the
// old one back unless the call was cut short by a signal (then its handler's frame records it).
int64_t set_temporary_mask(process::Process& p, uint64_t address, uint64_t size);
void end_temporary_mask(process::Process& p, int64_t result);
// The calling process is on its way back to user mode with `frame`: every signal it may take
// now is delivered (a default action, or a handler's frame pushed), and a call that a signal cut
// short returns -EINTR or runs again. Interrupts on.
void deliver(process::Process& p, TrapFrame& frame);
// Sets up the handler of `action` for `signal`: its frame on the program's stack (or the
// alternate one), recording `frame_mask` and the registers of `frame`, which then enter the
// handler. false when the frame cannot be written (the process must die of SIGSEGV).
bool push_frame(process::Process& p, TrapFrame& frame, int signal, const struct sigaction& action,
                const Info& info, uint64_t frame_mask);
// rt_sigreturn: the frame at the program's sp back into `frame` (a bad one: SIGSEGV); the
// restored a0.
int64_t sigreturn(process::Process& p, TrapFrame& frame);
// The siginfo a handler (or rt_sigtimedwait) is given for `signal` with `info`.
signal_frame::SigInfo to_siginfo(int signal, const Info& info);
// A fault the program cannot go on from (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE) at `address`:
// delivered to its handler, or, blocked or ignored, it ends the process as the default does.
void force(process::Process& p, int signal, int code, uint64_t address);

}  // namespace keel::signals
