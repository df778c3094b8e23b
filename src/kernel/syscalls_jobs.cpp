// SPDX-License-Identifier: MIT
// Signals to processes (kill, tkill, tgkill) and job control's groups and sessions (setpgid,
// getpgid, setsid, getsid): the process tree's work (process_tree.h), Linux's errnos.
#include <keel/abi/errno.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>

namespace keel::syscalls {

using process::Process;

int64_t sys_kill(Process& p, TrapFrame& frame) {
    return process::kill(p, int_arg(frame, 0), int_arg(frame, 1), SI_USER);
}

// tkill(tid, signal) and tgkill(tgid, tid, signal): a thread's id is its process's here.
int64_t sys_tkill(Process& p, TrapFrame& frame) {
    const int32_t tid = int_arg(frame, 0);
    if (tid <= 0) return -EINVAL;
    return process::kill(p, tid, int_arg(frame, 1), SI_TKILL);
}

int64_t sys_tgkill(Process& p, TrapFrame& frame) {
    const int32_t tgid = int_arg(frame, 0);
    const int32_t tid = int_arg(frame, 1);
    if (tgid <= 0 || tid <= 0) return -EINVAL;
    if (tgid != tid) return -ESRCH;  // one thread per process: any other pairing names nobody
    return process::kill(p, tid, int_arg(frame, 2), SI_TKILL);
}

// rt_sigqueueinfo(pid, signal, info): a signal with the sender's own siginfo (sigqueue's
// SI_QUEUE and si_value); a program may not pose as the kernel or kill() to another process.
int64_t sys_rt_sigqueueinfo(Process& p, TrapFrame& frame) {
    const int32_t pid = int_arg(frame, 0);
    const int signal = int_arg(frame, 1);
    signal_frame::SigInfo given;
    if (!copy_from_user(p, &given, arg(frame, 2), sizeof given)) return -EFAULT;
    if ((given.si_code >= 0 || given.si_code == SI_TKILL) && static_cast<uint64_t>(pid) != p.pid)
        return -EPERM;
    signals::Info info;
    info.code = given.si_code;
    info.pid = static_cast<uint32_t>(given.sender.pid);
    info.uid = given.sender.uid;
    info.value = given.sender.value;
    return pid <= 0 ? -ESRCH : process::send(p, pid, signal, info);
}

int64_t sys_setpgid(Process& p, TrapFrame& frame) {
    return process::set_group(p, int_arg(frame, 0), int_arg(frame, 1));
}

int64_t sys_getpgid(Process& p, TrapFrame& frame) {
    return process::group_of(p, int_arg(frame, 0));
}

int64_t sys_setsid(Process& p, TrapFrame&) {
    return process::new_session(p);
}

int64_t sys_getsid(Process& p, TrapFrame& frame) {
    return process::session_of(p, int_arg(frame, 0));
}

}  // namespace keel::syscalls
