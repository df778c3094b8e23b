// SPDX-License-Identifier: MIT
// ITIMER_REAL (setitimer, getitimer; glibc's alarm() is setitimer): SIGALRM when a process's
// timer comes due, again every period. One kernel task sleeps until the earliest timer of any
// process, woken early when one is set; nothing polls.
#include <keel/abi/errno.h>
#include <keel/abi/time.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>

namespace keel::syscalls {
namespace {

using process::Process;
using process::TreeLock;

constinit sched::Event g_changed;  // a timer was set: the alarm task looks again
constinit bool g_started = false;  // the alarm task runs

struct Sweep {
    uint64_t now;
    uint64_t next;  // the earliest timer still to come
};

// With the lock: SIGALRM to each process whose timer is due (set again for its period).
void fire_due(Process& p, void* context) {
    auto& sweep = *static_cast<Sweep*>(context);
    signals::State& s = p.signals;
    if (s.alarm_at == 0 || p.life == process::Life::kZombie) return;
    if (s.alarm_at <= sweep.now) {
        signals::Info info;
        info.code = SI_KERNEL;
        (void)signals::post(p, SIGALRM, info);
        s.alarm_at = s.alarm_period != 0 ? sweep.now + s.alarm_period : 0;
    }
    if (s.alarm_at != 0 && s.alarm_at < sweep.next) sweep.next = s.alarm_at;
}

int64_t alarm_task(void*) {
    for (;;) {
        const uint64_t seen = g_changed.count();
        Sweep sweep{csr::time(), sched::kNoDeadline};
        {
            TreeLock guard;
            process::for_each(&fire_due, &sweep);
        }
        (void)g_changed.wait(seen, sweep.next);
    }
}

uint64_t ticks_of(const struct timeval& t) {
    const uint64_t hz = timer::frequency();
    return static_cast<uint64_t>(t.tv_sec) * hz + static_cast<uint64_t>(t.tv_usec) * hz / 1'000'000;
}

struct timeval timeval_of(uint64_t ticks) {
    const uint64_t hz = timer::frequency();
    // Rounded up to a microsecond, so that a timer still to come never reads as zero.
    const uint64_t us = (ticks * 1'000'000 + hz - 1) / hz;
    return {static_cast<int64_t>(us / 1'000'000), static_cast<int64_t>(us % 1'000'000)};
}

// With the lock: the timer as getitimer reports it.
struct itimerval current(const Process& p) {
    const signals::State& s = p.signals;
    const uint64_t now = csr::time();
    struct itimerval value = {};
    value.it_interval = timeval_of(s.alarm_period);
    if (s.alarm_at != 0) value.it_value = timeval_of(s.alarm_at > now ? s.alarm_at - now : 1);
    return value;
}

bool valid(const struct timeval& t) {
    return t.tv_sec >= 0 && t.tv_usec >= 0 && t.tv_usec < 1'000'000 && t.tv_sec < (1LL << 31);
}

}  // namespace

void start_alarms() {
    sched::SpawnOptions options;
    options.detached = true;
    options.protect = true;
    g_started = sched::spawn("itimers", &alarm_task, nullptr, options).ok();
}

int64_t sys_getitimer(Process& p, TrapFrame& frame) {
    const int which = int_arg(frame, 0);
    if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
    struct itimerval value = {};
    if (which == ITIMER_REAL) {
        TreeLock guard;
        value = current(p);
    }
    return copy_to_user(p, arg(frame, 1), &value, sizeof value) ? 0 : -EFAULT;
}

// setitimer(which, new, old): ITIMER_REAL only; the CPU-time timers (ITIMER_VIRTUAL,
// ITIMER_PROF) are not kept: -EINVAL (getitimer reads them as never set).
int64_t sys_setitimer(Process& p, TrapFrame& frame) {
    const int which = int_arg(frame, 0);
    if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
    struct itimerval wanted = {};  // NULL: disarm (Linux, with a warning)
    if (arg(frame, 1) != 0 && !copy_from_user(p, &wanted, arg(frame, 1), sizeof wanted))
        return -EFAULT;
    if (!valid(wanted.it_value) || !valid(wanted.it_interval)) return -EINVAL;
    if (which != ITIMER_REAL) return -EINVAL;
    if (!g_started) return -ENOMEM;  // (no task for the alarms at boot)
    struct itimerval before;
    {
        TreeLock guard;
        before = current(p);
        const bool armed = wanted.it_value.tv_sec != 0 || wanted.it_value.tv_usec != 0;
        const uint64_t value = ticks_of(wanted.it_value);
        p.signals.alarm_at = armed ? csr::time() + (value != 0 ? value : 1) : 0;
        p.signals.alarm_period = armed ? ticks_of(wanted.it_interval) : 0;
    }
    g_changed.notify();
    if (arg(frame, 2) != 0 && !copy_to_user(p, arg(frame, 2), &before, sizeof before))
        return -EFAULT;
    return 0;
}

}  // namespace keel::syscalls
