// SPDX-License-Identifier: MIT
// Signals to processes and groups, and setpgid, getpgid, setsid, getsid
// (include/keel/kernel/process_tree.h), with Linux's errnos.
#include <keel/abi/errno.h>
#include <keel/kernel/process_tree.h>

namespace keel::process {
namespace {

signals::Info sent_by(const Process* sender, int32_t code) {
    signals::Info info;
    info.code = code;
    info.pid = sender != nullptr ? static_cast<uint32_t>(sender->pid) : 0;
    return info;
}

}  // namespace

int64_t kill(Process& sender, int64_t pid, int signal, int32_t code) {
    return send(sender, pid, signal, sent_by(&sender, code));
}

int64_t send(Process& sender, int64_t pid, int signal, const signals::Info& info) {
    // As Linux: the targets are found first (-ESRCH when there are none), then the signal is
    // checked for each (-EINVAL); an invalid one only counts them, as signal 0 does.
    const bool valid = signal >= 0 && signal <= signals::kCount;
    const int sent = valid ? signal : 0;
    TreeLock guard;
    if (pid > 0) {
        Process* target = find(static_cast<uint64_t>(pid));
        if (target == nullptr) return -ESRCH;
        if (!valid) return -EINVAL;
        if (signal != 0 && !signals::post(*target, signal, info)) return -EAGAIN;
        return 0;
    }
    const uint64_t pgid = pid == 0 ? sender.pgid : static_cast<uint64_t>(-pid);
    // pid -1: every process it may signal, but itself.
    const size_t count =
        pid == -1 ? signal_all(&sender, sent, info) : signal_group(pgid, sent, info);
    if (count == 0) return -ESRCH;
    return valid ? 0 : -EINVAL;
}

bool kill_from_kernel(uint64_t pid, int signal) {
    TreeLock guard;
    Process* target = find(pid);
    if (target == nullptr || target->life == Life::kZombie) return false;
    (void)signals::post(*target, signal, sent_by(nullptr, SI_KERNEL));
    return true;
}

bool kill_group_from_kernel(uint64_t pgid, int signal) {
    TreeLock guard;
    return signal_group(pgid, signal, sent_by(nullptr, SI_KERNEL)) > 0;
}

int64_t set_group(Process& caller, int64_t pid, int64_t pgid) {
    if (pid < 0 || pgid < 0) return -EINVAL;
    TreeLock guard;
    Process* target = pid == 0 || static_cast<uint64_t>(pid) == caller.pid
                          ? &caller
                          : find(static_cast<uint64_t>(pid));
    if (target == nullptr || (target != &caller && target->parent_process != &caller))
        return -ESRCH;
    if (target != &caller && target->sid != caller.sid) return -EPERM;
    if (target != &caller && target->exec_done) return -EACCES;
    if (target->sid == target->pid) return -EPERM;  // a session leader stays where it is
    const uint64_t group = pgid == 0 ? target->pid : static_cast<uint64_t>(pgid);
    if (group != target->pid && !group_exists(group, caller.sid)) return -EPERM;
    target->pgid = group;
    return 0;
}

int64_t group_of(Process& caller, int64_t pid) {
    if (pid < 0) return -ESRCH;
    TreeLock guard;
    const Process* target = pid == 0 ? &caller : find(static_cast<uint64_t>(pid));
    return target != nullptr ? static_cast<int64_t>(target->pgid) : -ESRCH;
}

int64_t session_of(Process& caller, int64_t pid) {
    if (pid < 0) return -ESRCH;
    TreeLock guard;
    const Process* target = pid == 0 ? &caller : find(static_cast<uint64_t>(pid));
    return target != nullptr ? static_cast<int64_t>(target->sid) : -ESRCH;
}

int64_t new_session(Process& caller) {
    TreeLock guard;
    if (group_exists(caller.pid)) return -EPERM;  // a group leader cannot leave its group
    caller.sid = caller.pgid = caller.pid;
    return static_cast<int64_t>(caller.pid);
}

}  // namespace keel::process
