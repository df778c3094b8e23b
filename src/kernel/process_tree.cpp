// SPDX-License-Identifier: MIT
// The process tree (include/keel/kernel/process_tree.h): family, groups, sessions, and ends.
#include <keel/abi/errno.h>
#include <keel/abi/wait.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/task.h>

namespace keel::process {
namespace {

constinit Lock g_lock;
constinit IntrusiveList<Process, &Process::all_link> g_all;
constinit sched::Event g_shell_event;  // a process keel's shell started ended or stopped
constinit uint64_t g_shell = 0;        // keel's shell's task id: what an orphan's getppid says

// A zombie is still in its group (as on Linux, until it is reaped): the second process of a
// pipeline may join the group of a first that has already ended.
bool in_group(const Process& p, uint64_t pgid) {
    return p.pgid == pgid;
}

// Whether `parent` keeps `child`'s group from being orphaned: it is outside that group, in the
// same session.
bool links_group(const Process& parent, const Process& child) {
    return parent.pgid != child.pgid && parent.sid == child.sid;
}

// POSIX's orphaned process group: no member has a parent in another group of the same session
// (keel's shell counts as one for the program it waits for). `leaving` is counted out (a process
// on its way out).
bool orphaned(uint64_t pgid, const Process* leaving) {
    bool orphan = true;
    g_all.for_each([&](const Process& p) {
        if (&p == leaving || !in_group(p, pgid) || p.life == Life::kZombie) return;
        // keel's shell waiting for the program it started is that program's parent outside its
        // group: so Ctrl-Z stops a program run from keel>.
        if (p.parent_process == nullptr) {
            if (p.shell_waits) orphan = false;
            return;
        }
        if (p.parent_process == leaving) return;  // a parent on its way out links nothing
        if (links_group(*p.parent_process, p)) orphan = false;
    });
    return orphan;
}

// A group newly orphaned by `leaving`'s end (`leaving` was its link to the session): if a member
// is stopped, SIGHUP then SIGCONT to each (POSIX: nobody could continue them otherwise). A group
// orphaned before, or one `leaving` did not link, is left alone, as Linux's kill_orphaned_pgrp.
void hang_up_if_orphaned(uint64_t pgid, const Process* leaving) {
    if (!orphaned(pgid, leaving)) return;
    bool any_stopped = false;
    g_all.for_each([&](const Process& p) {
        if (&p != leaving && in_group(p, pgid) && p.life == Life::kStopped) any_stopped = true;
    });
    if (!any_stopped) return;
    signals::Info info;
    info.code = SI_KERNEL;
    (void)signal_group(pgid, SIGHUP, info);
    (void)signal_group(pgid, SIGCONT, info);
}

// A process block goes back, and its task with it. The task may still be on its way out of its
// exit: a reaper that can wait (`join`) has every page back when this returns; otherwise the task
// is detached and frees itself as it ends.
void bury(Process* p, bool join) {
    const uint64_t pid = p->pid;
    free_block(p);
    if (!join || !sched::join(pid).ok()) (void)sched::detach(pid);
}

void unlink(Process& p) {
    if (p.parent_process != nullptr) p.parent_process->children.remove(p);
    g_all.remove(p);
}

// The child `p` of a parent that ignores SIGCHLD or said SA_NOCLDWAIT is reaped at its end
// (with SA_NOCLDWAIT, its handler still hears of it: Linux's do_notify_parent).
bool parent_reaps_at_once(const Process& parent) {
    const struct sigaction& action = parent.signals.actions[SIGCHLD];
    return action.sa_handler == SIG_IGN || (action.sa_flags & SA_NOCLDWAIT) != 0;
}

// What `p`'s parent hears of its end: SIGCHLD (unless the parent reaps at once), and a wake of
// its wait4. Whether `p` is freed now instead of becoming a zombie.
bool tell_parent(Process& p, int32_t status) {
    Process* parent = p.parent_process;
    if (parent == nullptr) {
        if (p.shell_waits) g_shell_event.notify();
        return !p.shell_waits;
    }
    parent->children_changed.notify();
    signals::Info info;
    info.pid = static_cast<uint32_t>(p.pid);
    info.code = (status & 0x7f) == 0 ? CLD_EXITED : (status & 0x80) != 0 ? CLD_DUMPED : CLD_KILLED;
    info.status = (status & 0x7f) == 0 ? (status >> 8 & 0xff) : (status & 0x7f);
    (void)signals::post(*parent, SIGCHLD, info);  // (dropped when it ignores SIGCHLD)
    return parent_reaps_at_once(*parent);
}

// The nearest ancestor of `p` that asked to adopt orphans (PR_SET_CHILD_SUBREAPER) and has not
// ended, or nullptr.
Process* subreaper_of(const Process& p) {
    for (Process* at = p.parent_process; at != nullptr; at = at->parent_process) {
        if (at->child_subreaper && at->life != Life::kZombie && at->task != nullptr) return at;
    }
    return nullptr;
}

// `p`'s children lose their parent: the nearest subreaper above it adopts them (hearing of a
// zombie among them as of a child's end, as Linux's reparent_leader), or else keel's shell (a
// zombie is freed, the others are when they end); groups this orphans are hung up. The zombies
// freed go onto `dead`.
void orphan_children(Process& p, IntrusiveList<Process, &Process::all_link>& dead) {
    Process* reaper = subreaper_of(p);
    while (Process* child = p.children.front()) {
        p.children.remove(*child);
        child->parent_process = reaper;
        child->parent = reaper != nullptr ? reaper->pid : g_shell;  // as Linux's go to init
        child->shell_waits = false;
        if (reaper != nullptr) reaper->children.push_back(*child);
        if (child->life == Life::kZombie) {
            if (reaper == nullptr || tell_parent(*child, child->wait_status)) {
                unlink(*child);
                dead.push_back(*child);
            }
        } else if (links_group(p, *child)) {
            hang_up_if_orphaned(child->pgid, &p);
        }
    }
}

}  // namespace

Lock& tree_lock() {
    return g_lock;
}

Process* find(uint64_t pid) {
    Process* found = nullptr;
    g_all.for_each([&](Process& p) {
        if (p.pid == pid) found = &p;
    });
    return found;
}

void for_each(void (*visit)(Process& p, void* context), void* context) {
    g_all.for_each([&](Process& p) { visit(p, context); });
}

bool group_exists(uint64_t pgid, uint64_t sid) {
    bool exists = false;
    g_all.for_each([&](const Process& p) {
        if (in_group(p, pgid) && (sid == 0 || p.sid == sid)) exists = true;
    });
    return exists;
}

size_t signal_group(uint64_t pgid, int signal, const signals::Info& info) {
    size_t count = 0;
    g_all.for_each([&](Process& p) {
        if (!in_group(p, pgid)) return;
        if (signal != 0) (void)signals::post(p, signal, info);
        ++count;
    });
    return count;
}

bool orphaned_group(uint64_t pgid) {
    return orphaned(pgid, nullptr);
}

size_t signal_all(const Process* except, int signal, const signals::Info& info) {
    size_t count = 0;
    g_all.for_each([&](Process& p) {
        if (&p == except || p.life == Life::kZombie) return;
        if (signal != 0) (void)signals::post(p, signal, info);
        ++count;
    });
    return count;
}

bool link(Process& child, Process* parent) {
    TreeLock guard;
    if (parent != nullptr) {
        if ((parent->signals.pending & ~parent->signals.blocked) != 0) return false;
        child.parent_process = parent;
        child.parent = parent->pid;
        child.pgid = parent->pgid;
        child.sid = parent->sid;
        parent->children.push_back(child);
    } else {
        child.pgid = child.sid = child.pid;
        g_shell = child.parent;  // (new_process made the shell's task its parent)
    }
    g_all.push_back(child);
    return true;
}

void end(Process& p, int32_t status) {
    IntrusiveList<Process, &Process::all_link> dead;
    {
        TreeLock guard;
        p.task = nullptr;
        orphan_children(p, dead);
        const bool linked =
            p.parent_process != nullptr ? links_group(*p.parent_process, p) : p.shell_waits;
        if (linked) hang_up_if_orphaned(p.pgid, &p);
        p.life = Life::kZombie;
        p.wait_status = status;
        p.resumed.notify();
        if (tell_parent(p, status)) {
            unlink(p);
            dead.push_back(p);
        }
    }
    while (Process* gone = dead.front()) {
        dead.remove(*gone);
        bury(gone, false);  // (its own task among them, which is still running)
    }
}

namespace {

bool matches(const Process& parent, const Process& child, int64_t pid) {
    if (pid > 0) return child.pid == static_cast<uint64_t>(pid);
    if (pid == 0) return child.pgid == parent.pgid;
    if (pid == -1) return true;
    return child.pgid == static_cast<uint64_t>(-pid);
}

// One look at `p`'s children for wait4: the pid of one to report (its status in `status`, its
// CPU times with its children's in `usage`; a zombie is unlinked onto `dead`, its times added to
// `p`'s children's), 0 if none yet, -ECHILD if none matches.
int64_t look(Process& p, int64_t pid, uint64_t options, int32_t& status, CpuTimes& usage,
             Process*& dead) {
    TreeLock guard;
    bool any = false;
    int64_t found = 0;
    p.children.for_each([&](Process& child) {
        if (found != 0 || !matches(p, child, pid)) return;
        any = true;
        if (child.life == Life::kZombie) {
            status = child.wait_status;
            dead = &child;
        } else if ((options & WUNTRACED) != 0 && child.report == Report::kStopped) {
            status = W_STOPCODE(child.stop_signal);
        } else if ((options & WCONTINUED) != 0 && child.report == Report::kContinued) {
            status = __W_CONTINUED;
        } else {
            return;
        }
        child.report = Report::kNone;
        found = static_cast<int64_t>(child.pid);
        usage = cpu_times(child);
    });
    if (dead != nullptr) {
        unlink(*dead);
        add_child_times(p, *dead);
    }
    return any ? found : -ECHILD;
}

}  // namespace

int64_t wait(Process& p, int64_t pid, uint64_t options, int32_t& status, CpuTimes& usage) {
    for (;;) {
        const uint64_t seen = p.children_changed.count();
        Process* dead = nullptr;
        const int64_t found = look(p, pid, options, status, usage, dead);
        if (dead != nullptr) bury(dead, true);
        if (found != 0 || (options & WNOHANG) != 0) return found;
        if (p.children_changed.wait(seen) == sched::WaitResult::kInterrupted)
            return signals::kRestartSys;
    }
}

int32_t wait_started(uint64_t pid) {
    for (;;) {
        const uint64_t seen = g_shell_event.count();
        Process* dead = nullptr;
        int32_t status = 0;
        {
            TreeLock guard;
            Process* p = find(pid);
            if (p == nullptr) return W_EXITCODE(0, SIGKILL);  // (it cannot be gone: we wait)
            if (p->life == Life::kZombie) {
                status = p->wait_status;
                unlink(*p);
                dead = p;
            } else if (p->report == Report::kStopped) {
                p->report = Report::kNone;
                p->shell_waits = false;
                return W_STOPCODE(p->stop_signal);
            }
        }
        if (dead != nullptr) {
            bury(dead, true);
            return status;
        }
        (void)g_shell_event.wait(seen);
    }
}

void tell_stopped_or_continued(Process& p) {
    if (p.parent_process == nullptr) {
        g_shell_event.notify();
        return;
    }
    Process& parent = *p.parent_process;
    parent.children_changed.notify();
    if ((parent.signals.actions[SIGCHLD].sa_flags & SA_NOCLDSTOP) != 0) return;
    signals::Info info;
    info.pid = static_cast<uint32_t>(p.pid);
    info.code = p.report == Report::kStopped ? CLD_STOPPED : CLD_CONTINUED;
    info.status = p.report == Report::kStopped ? p.stop_signal : SIGCONT;
    (void)signals::post(parent, SIGCHLD, info);
}

}  // namespace keel::process
