// SPDX-License-Identifier: MIT
// clone (with fork's semantics only), wait4, execve, kill: making, waiting for, replacing and
// ending processes.
#include <keel/abi/errno.h>
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/kernel/loader.h>
#include <keel/kernel/process_state.h>
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

constexpr uint64_t kSigchld = 17;
constexpr uint64_t kCloneParentSettid = 0x00100000;
constexpr uint64_t kCloneChildCleartid = 0x00200000;
constexpr uint64_t kCloneChildSettid = 0x01000000;
constexpr uint64_t kWnohang = 1;

}  // namespace

int64_t do_clone(Process& p, const TrapFrame& frame, uint64_t flags, uint64_t stack,
                 uint64_t parent_tid, uint64_t child_tid) {
    // fork() only: glibc passes SIGCHLD with CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID; anything
    // that would share the address space (a thread) is refused.
    const uint64_t allowed = 0xff | kCloneParentSettid | kCloneChildCleartid | kCloneChildSettid;
    if ((flags & ~allowed) != 0 || (flags & 0xff) != kSigchld || stack != 0) return -EINVAL;
    uint64_t* free_slot = nullptr;
    for (uint64_t& slot : p.children)
        free_slot = slot == 0 && free_slot == nullptr ? &slot : free_slot;
    if (free_slot == nullptr) return -EAGAIN;
    Process* child = process::new_process(StringView::of(p.name));
    if (child == nullptr) return -ENOMEM;
    if (child->memory.copy_from(p.memory) != process::FaultResult::kMapped) {
        process::release(child);
        return -ENOMEM;
    }
    child->entry = p.entry;
    child->fds = p.fds->copy();
    if (child->fds == nullptr) {
        process::release(child);
        return -ENOMEM;
    }
    child->fs = p.fs.copy();
    child->start_frame = frame;
    child->start_frame.regs[10] = 0;  // fork() returns 0 in the child
    if ((flags & kCloneChildCleartid) != 0) child->clear_tid = child_tid;
    if ((flags & kCloneChildSettid) != 0) child->set_tid = child_tid;
    keel_fp_save(child->fp);  // the parent's floating-point registers, as they are now
    sched::SpawnOptions options;
    options.process = child;
    options.satp = child->memory.satp();
    options.job = sched::job_of(sched::current_id());
    const auto task = sched::spawn(child->name, &process::run, child, options);
    if (!task.ok()) {
        process::release(child);
        return -EAGAIN;
    }
    const uint64_t pid = task.value();  // (the child may be running, even gone, from here on)
    if ((flags & kCloneParentSettid) != 0) {
        const uint32_t tid = static_cast<uint32_t>(pid);
        (void)copy_to_user(p, parent_tid, &tid, 4);
    }
    *free_slot = pid;
    return static_cast<int64_t>(pid);
}

int64_t do_wait4(Process& p, int64_t pid, uint64_t status, uint64_t options) {
    // WNOHANG, and the ones that change nothing without stopped processes or threads: WUNTRACED,
    // WCONTINUED, __WNOTHREAD, __WALL, __WCLONE.
    constexpr uint64_t kWclone = 0x80000000;
    constexpr uint64_t kWall = 0x40000000;
    constexpr uint64_t kKnown = kWnohang | 2 | 8 | 0x20000000 | kWall | kWclone;
    if ((options & ~kKnown) != 0) return -EINVAL;
    if ((options & kWclone) != 0 && (options & kWall) == 0) return -ECHILD;  // only clone()s
    for (;;) {
        bool any = false;
        for (uint64_t& child : p.children) {
            if (child == 0 || (pid > 0 && child != static_cast<uint64_t>(pid))) continue;
            any = true;
            // One given child, waited for: block until it ends (no polling).
            const bool block = pid > 0 && (options & kWnohang) == 0;
            const auto joined = block ? sched::join(child) : sched::try_join(child);
            if (!joined.ok() && joined.error() == sched::JoinError::kRunning) continue;
            if (!joined.ok() && joined.error() == sched::JoinError::kKilled) return -EINTR;
            const uint64_t reaped = child;
            child = 0;
            const int32_t value = joined.ok() ? static_cast<int32_t>(joined.value()) : 0;
            if (status != 0 && !copy_to_user(p, status, &value, 4)) return -EFAULT;
            return static_cast<int64_t>(reaped);
        }
        if (!any) return -ECHILD;
        if ((options & kWnohang) != 0) return 0;
        sched::sleep_ms(5);  // any child: its end is seen within a few ms
    }
}

int64_t do_execve(Process& p, TrapFrame& frame, uint64_t path, uint64_t argv, uint64_t envp) {
    process::ExecArgs args;
    if (const int error = args.add_user_vector(argv, false); error != 0) return error;
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
    p.memory.take(memory);
    p.entry = image.entry;
    p.stack_pointer = image.stack_pointer;
    memcpy(p.name, name, sizeof p.name);
    p.fds->close_marked();
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

int64_t do_kill(Process& p, int64_t pid, int64_t signal) {
    (void)p;
    if (pid <= 0 || signal < 0 || signal > 64) return -EINVAL;  // no process groups
    // Programs reach processes only, never the kernel's own tasks.
    if (!sched::is_process(static_cast<sched::TaskId>(pid))) return -ESRCH;
    if (signal == 0) return 0;  // "is it there?"
    const auto killed = sched::kill(static_cast<sched::TaskId>(pid));
    if (!killed.ok()) return killed.error() == sched::KillError::kNoSuchTask ? -ESRCH : -EPERM;
    return 0;  // every other signal terminates (there are no handlers)
}

int64_t sys_clone(Process& p, TrapFrame& frame) {
    return do_clone(p, frame, arg(frame, 0), arg(frame, 1), arg(frame, 2), arg(frame, 4));
}
int64_t sys_wait4(Process& p, TrapFrame& frame) {
    return do_wait4(p, int_arg(frame, 0), arg(frame, 1), uint_arg(frame, 2));
}
int64_t sys_execve(Process& p, TrapFrame& frame) {
    return do_execve(p, frame, arg(frame, 0), arg(frame, 1), arg(frame, 2));
}
int64_t sys_kill(Process& p, TrapFrame& frame) {
    return do_kill(p, int_arg(frame, 0), int_arg(frame, 1));
}

}  // namespace keel::syscalls
