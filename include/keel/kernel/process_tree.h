// SPDX-License-Identifier: MIT
// The process tree: every process, its parent and children, process groups and sessions, and the
// end of a process (a zombie until its parent's wait4, or freed at once when nobody will wait).
// Processes keel's shell starts have no parent process: the shell waits for them itself
// (wait_started), and a process whose parent ends is orphaned to it (freed at its end).
#pragma once
#include <keel/core/lock.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/signals.h>
#include <stdint.h>

namespace keel::process {

// The process lock: the tree (every process's family, group, session and life) and every
// process's signal state. A spinlock, interrupts off (Ctrl-C sends a signal from the console's
// interrupt); taken before the scheduler's lock, never after it.
Lock& tree_lock();
class TreeLock {
public:
    TreeLock() { tree_lock().lock(KEEL_HERE); }
    ~TreeLock() { tree_lock().unlock(); }
    TreeLock(const TreeLock&) = delete;
    TreeLock& operator=(const TreeLock&) = delete;
};

// With the lock held: the process `pid` (a zombie too), or nullptr.
Process* find(uint64_t pid);
// With the lock held: `visit(p, context)` for every process (zombies too).
void for_each(void (*visit)(Process& p, void* context), void* context);
// With the lock held: whether a process is in group `pgid` (of session `sid`, unless 0).
bool group_exists(uint64_t pgid, uint64_t sid = 0);
// With the lock held: whether group `pgid` is orphaned (POSIX: no member has a parent in another
// group of its session), so that its stops from the terminal are dropped.
bool orphaned_group(uint64_t pgid);
// With the lock held: `signal` to every process of group `pgid`; how many got it.
size_t signal_group(uint64_t pgid, int signal, const signals::Info& info);
// With the lock held: `signal` to every live process but `except`; how many got it.
size_t signal_all(const Process* except, int signal, const signals::Info& info);

// A new process `child` joins the tree: `parent`'s child, in its group and session; without a
// parent (keel's shell starts it), the leader of a session and group of its own. false (nothing
// done) when `parent` has a signal to take first: the fork is restarted after it, so that a
// group's kill never misses a child forked meanwhile.
bool link(Process& child, Process* parent);
// The calling process's task ends with wait status `status`: its children are orphaned, its
// parent is told (SIGCHLD, wait4), and it becomes a zombie, or is freed now when nobody will wait
// for it. `p` must not be touched after.
void end(Process& p, int32_t status);

// wait4(pid, options) for `p`: the child's pid, its status in `status` and its CPU times (with
// its reaped children's) in `usage`, 0 (WNOHANG), or -errno (ECHILD), or signals::kRestartSys
// when a signal came first. A zombie's times join `p`'s children's.
int64_t wait(Process& p, int64_t pid, uint64_t options, int32_t& status, CpuTimes& usage);

// kill(pid, signal) from `sender` as Linux reads pid: > 0 one process, 0 the sender's group,
// -1 every process but the sender, < -1 group -pid. 0, or -EINVAL / -ESRCH.
int64_t kill(Process& sender, int64_t pid, int signal, int32_t code);
// kill with the siginfo `info` (rt_sigqueueinfo's); a real-time signal finding the queue full is
// -EAGAIN.
int64_t send(Process& sender, int64_t pid, int signal, const signals::Info& info);

// setpgid, getpgid, setsid, getsid: Linux's errnos.
int64_t set_group(Process& caller, int64_t pid, int64_t pgid);
int64_t group_of(Process& caller, int64_t pid);
int64_t new_session(Process& caller);
int64_t session_of(Process& caller, int64_t pid);

// With the lock held: `p` stopped or continued (its report says which): its parent (or keel's
// shell) is told, by SIGCHLD unless SA_NOCLDSTOP, and wait4 looks again.
void tell_stopped_or_continued(Process& p);

}  // namespace keel::process
