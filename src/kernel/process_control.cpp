// SPDX-License-Identifier: MIT
// clone (fork, and vfork's child in its parent's memory), wait4 and execve: making, waiting for
// and replacing processes (kill is in syscalls_jobs.cpp).
#include <keel/abi/errno.h>
#include <keel/abi/sched.h>
#include <keel/abi/wait.h>
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/kernel/loader.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using process::kPage;
using process::Process;
using process::TreeLock;

constexpr uint64_t kSigchld = SIGCHLD;

// A new child of `p` as clone's flags say; nullptr (and -errno in `error`) when there is none.
Process* make_child(Process& p, uint64_t flags, int& error) {
    Process* child = process::new_process(StringView::of(p.name));
    error = -ENOMEM;
    if (child == nullptr) return nullptr;
    if ((flags & CLONE_VFORK) != 0) child->vfork_parent = &p;  // which waits for its execve or end
    if ((flags & CLONE_VM) != 0) {
        child->borrowed = &p.space();  // (a vfork child of a vfork child borrows the same)
    } else if (child->memory.copy_from(p.space()) != process::FaultResult::kMapped) {
        process::release(child);
        return nullptr;
    }
    child->fds = p.fds->copy();
    if (child->fds == nullptr) {
        process::release(child);
        return nullptr;
    }
    child->fs = p.fs.copy();
    child->entry = p.entry;
    {
        TreeLock guard;
        signals::inherit(child->signals, p.signals);
    }
    error = 0;
    return child;
}

// A vfork parent waits until its child has let go of its memory. A kill waits too: the child
// still runs in this memory (a kill of the job ends the child as well).
void wait_for_vfork(Process& p) {
    for (;;) {
        const uint64_t seen = p.vfork_done.count();
        if (p.vfork_waiting.load() == 0) return;
        p.vfork_done.wait_through_kill(seen);
    }
}

}  // namespace

int64_t do_clone(Process& p, const TrapFrame& frame, uint64_t flags, uint64_t stack,
                 uint64_t parent_tid, uint64_t child_tid) {
    // A process of its own (fork: glibc passes SIGCHLD with CLONE_CHILD_SETTID |
    // CLONE_CHILD_CLEARTID), or a vfork child in its parent's memory (CLONE_VM|CLONE_VFORK); a
    // thread (CLONE_VM without CLONE_VFORK, CLONE_THREAD...) is refused.
    const uint64_t allowed = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID |
                             CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
    if ((flags & ~allowed) != 0 || (flags & CSIGNAL) != kSigchld) return -EINVAL;
    if ((flags & CLONE_VM) != 0 && (flags & CLONE_VFORK) == 0) return -EINVAL;
    int error = 0;
    Process* child = make_child(p, flags, error);
    if (child == nullptr) return error;
    child->start_frame = frame;
    child->start_frame.regs[10] = 0;                     // clone returns 0 in the child
    if (stack != 0) child->start_frame.regs[2] = stack;  // on the stack it was given
    if ((flags & CLONE_CHILD_CLEARTID) != 0) child->clear_tid = child_tid;
    if ((flags & CLONE_CHILD_SETTID) != 0) child->set_tid = child_tid;
    keel_fp_save(child->fp);  // the parent's floating-point registers, as they are now
    const bool vfork = (flags & CLONE_VFORK) != 0;
    if (vfork) p.vfork_waiting.store(1);
    sched::SpawnOptions options;
    options.process = child;
    options.satp = child->space().satp();
    // Joined by whoever reaps the process, or detached at its end if nobody will (process_tree).
    options.prepare = &process::join_tree;
    const auto task = sched::spawn(child->name, &process::run, child, options);
    if (!task.ok()) {
        p.vfork_waiting.store(0);
        process::release(child);
        // A signal for the parent came first: it is taken, then the fork runs again.
        return task.error() == sched::SpawnError::kRefused ? signals::kRestartNoIntr : -EAGAIN;
    }
    const uint64_t pid = task.value();  // (the child may be running, even gone, from here on)
    if ((flags & CLONE_PARENT_SETTID) != 0) {
        const uint32_t tid = static_cast<uint32_t>(pid);
        (void)copy_to_user(p, parent_tid, &tid, 4);
    }
    if (vfork) wait_for_vfork(p);
    return static_cast<int64_t>(pid);
}

int64_t do_wait4(Process& p, int64_t pid, uint64_t status, uint64_t options, uint64_t usage) {
    // __WNOTHREAD and __WALL change nothing without threads; __WCLONE alone waits for clone()s
    // that report with another signal than SIGCHLD, which keel has none of.
    constexpr uint64_t kKnown = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE;
    if ((options & ~kKnown) != 0) return -EINVAL;
    if (pid == INT32_MIN) return -ESRCH;  // Linux: -INT_MIN is no group
    if ((options & __WCLONE) != 0 && (options & __WALL) == 0) return -ECHILD;
    int32_t value = 0;
    process::CpuTimes times;
    const int64_t found = process::wait(p, pid, options, value, times);
    if (found <= 0) return found;
    if (status != 0 && !copy_to_user(p, status, &value, 4)) return -EFAULT;
    if (usage != 0) {  // the child's times with its own reaped children's, as Linux's
        const uint64_t largest = times.max_resident_kib > times.children_max_resident_kib
                                     ? times.max_resident_kib
                                     : times.children_max_resident_kib;
        const struct rusage child = rusage_of(times.user + times.children_user,
                                              times.system + times.children_system, largest);
        if (!copy_to_user(p, usage, &child, sizeof child)) return -EFAULT;
    }
    return found;
}

int64_t do_execve(Process& p, TrapFrame& frame, uint64_t path, uint64_t argv, uint64_t envp) {
    process::ExecArgs args;
    if (const int error = args.add_user_vector(argv, false); error != 0) return error;
    // An empty argv gets "" as argv[0], as Linux (since 5.18) gives it: argc is never 0.
    if (args.argc() == 0) {
        if (const int error = args.add_argument(StringView{"", 0}); error != 0) return error;
    }
    if (const int error = args.add_user_vector(envp, true); error != 0) return error;
    // The new image in a space of its own: only once it is whole does the old one go.
    process::AddressSpace memory;
    if (!memory.create()) return -ENOMEM;
    process::Image image;
    char name[sizeof p.name] = {};
    int error;
    {
        fs::FsLock guard;
        const auto file = fs::user_path(path, 0);
        error = file.ok() ? 0 : file.error();
        if (error == 0)
            error = process::load(p.fs, *p.fds, file.value(), args, memory, image, name, false);
    }
    if (error != 0) {
        memory.destroy();
        return error;
    }
    // Off the old tables before they go back, onto the new ones.
    sched::enter_address_space(memory.satp(), &p);
    {
        // /proc (under this lock, then the space's) sees the old program or the new one, whole:
        // its memory, arguments and name.
        TreeLock guard;
        p.memory.take(memory);
        memcpy(p.name, name, sizeof p.name);
        process::remember_image(p, image);
    }
    sched::rename_current(p.name);  // ps names the program, not what was spawned
    memory.destroy();               // the old image's, nobody's now
    process::release_borrowed(p);   // a vfork child's parent goes on
    p.entry = image.entry;
    p.stack_pointer = image.stack_pointer;
    p.fds->close_marked();
    {
        TreeLock guard;
        signals::reset_on_exec(p.signals);
        p.exec_done = true;
    }
    // As Linux's exec: the tid word of a fork (CLONE_CHILD_CLEARTID) was the old image's and is
    // forgotten (its exit would write 0 into the new image's memory), and the floating-point
    // registers start from zero.
    p.clear_tid = 0;
    const uint64_t no_fp[33] = {};
    keel_fp_restore(no_fp);
    // Back to user mode at the new entry: every register cleared, sp at the new stack.
    const uint64_t sstatus = frame.sstatus;
    frame = TrapFrame{};
    frame.sstatus = sstatus;
    frame.regs[2] = p.stack_pointer;
    frame.sepc = p.entry;
    return 0;
}

int64_t sys_clone(Process& p, TrapFrame& frame) {
    // (Linux takes the flags' lower 32 bits: clone3 is where the upper ones are read.)
    return do_clone(p, frame, uint_arg(frame, 0), arg(frame, 1), arg(frame, 2), arg(frame, 4));
}
// clone3: clone's work, its arguments in a struct clone_args of the given size (a newer, larger
// one must be zero past what keel knows: E2BIG otherwise, as Linux).
int64_t sys_clone3(Process& p, TrapFrame& frame) {
    const uint64_t size = arg(frame, 1);
    if (size > kPage) return -E2BIG;
    if (size < CLONE_ARGS_SIZE_VER0) return -EINVAL;
    struct clone_args a = {};
    const uint64_t known = size < sizeof a ? size : sizeof a;
    if (!copy_from_user(p, &a, arg(frame, 0), known)) return -EFAULT;
    for (uint64_t at = known; at < size; ++at) {
        uint8_t byte = 0;
        if (!copy_from_user(p, &byte, arg(frame, 0) + at, 1)) return -EFAULT;
        if (byte != 0) return -E2BIG;
    }
    if ((a.flags & CSIGNAL) != 0 || a.exit_signal > CSIGNAL) return -EINVAL;
    if ((a.stack == 0) != (a.stack_size == 0) || a.set_tid_size != 0) return -EINVAL;
    const uint64_t stack_top = a.stack != 0 ? a.stack + a.stack_size : 0;
    return do_clone(p, frame, a.flags | a.exit_signal, stack_top, a.parent_tid, a.child_tid);
}
int64_t sys_wait4(Process& p, TrapFrame& frame) {
    return do_wait4(p, int_arg(frame, 0), arg(frame, 1), uint_arg(frame, 2), arg(frame, 3));
}
int64_t sys_execve(Process& p, TrapFrame& frame) {
    return do_execve(p, frame, arg(frame, 0), arg(frame, 1), arg(frame, 2));
}

}  // namespace keel::syscalls
