// SPDX-License-Identifier: MIT
// The calls about the process itself: its pid, what it is called (prctl), its limits, random
// bytes, its end; and the ones glibc asks for that keel refuses quietly.
#include <keel/abi/errno.h>
#include <keel/abi/prctl.h>
#include <keel/abi/random.h>
#include <keel/abi/resource.h>
#include <keel/kernel/cpus.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/random.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::syscalls {

using process::Process;

int64_t sys_getpid(Process& p, TrapFrame&) {
    return static_cast<int64_t>(p.pid);
}
int64_t sys_gettid(Process& p, TrapFrame&) {
    return static_cast<int64_t>(p.pid);  // one thread: its id is the process's
}
int64_t sys_set_tid_address(Process& p, TrapFrame& frame) {
    p.clear_tid = arg(frame, 0);
    return static_cast<int64_t>(p.pid);
}
int64_t sys_getppid(Process& p, TrapFrame&) {
    return static_cast<int64_t>(p.parent);
}
// No robust futex list to keep: there are no threads.
int64_t sys_set_robust_list(Process&, TrapFrame& frame) {
    return arg(frame, 1) == 24 ? 0 : -EINVAL;  // sizeof(struct robust_list_head), as Linux checks
}
// Refused without a word, as glibc expects of an older kernel: it does without them.
int64_t sys_rseq(Process&, TrapFrame&) {
    return -ENOSYS;
}

int64_t sys_exit(Process&, TrapFrame& frame) {
    process::exit_current(static_cast<int>((arg(frame, 0) & 0xff) << 8));
}
int64_t sys_exit_group(Process&, TrapFrame& frame) {
    process::exit_current(static_cast<int>((arg(frame, 0) & 0xff) << 8));
}

int64_t sys_sched_yield(Process&, TrapFrame&) {
    sched::yield();
    return 0;
}

// sched_getaffinity(pid, size, mask): every CPU (kernel/cpus.h) for any process: keel does not
// pin processes. As Linux: the size must hold every CPU and be whole longs; the mask is written
// as a cpumask of 128 bits (Debian's kernel's NR_CPUS), or less when the size is smaller, and
// its size in bytes comes back.
int64_t sys_sched_getaffinity(Process& p, TrapFrame& frame) {
    const int32_t pid = int_arg(frame, 0);
    const uint64_t size = uint_arg(frame, 1);  // (an unsigned int, as Linux's)
    if (size * 8 < cpus::count() || size % 8 != 0) return -EINVAL;
    if (pid != 0 && static_cast<uint64_t>(pid) != p.pid &&
        (pid < 0 || !sched::is_process(static_cast<sched::TaskId>(pid))))
        return -ESRCH;
    uint64_t mask[2] = {cpus::count() >= 64 ? ~uint64_t{0} : (uint64_t{1} << cpus::count()) - 1, 0};
    const uint64_t bytes = size < sizeof mask ? size : sizeof mask;
    return copy_to_user(p, arg(frame, 2), mask, bytes) ? static_cast<int64_t>(bytes) : -EFAULT;
}

// prctl: the name a process goes by (16 bytes with the NUL), and whether it adopts its
// descendants' orphans (not inherited by a fork, kept through execve); every other option is
// -EINVAL.
int64_t sys_prctl(Process& p, TrapFrame& frame) {
    const int32_t option = int_arg(frame, 0);
    const uint64_t argument = arg(frame, 1);
    if (option == PR_GET_NAME)
        return copy_to_user(p, argument, p.name, sizeof p.name) ? 0 : -EFAULT;
    if (option == PR_SET_CHILD_SUBREAPER) {
        process::TreeLock guard;
        p.child_subreaper = argument != 0;
        return 0;
    }
    if (option == PR_GET_CHILD_SUBREAPER) {
        const int32_t value = p.child_subreaper ? 1 : 0;
        return copy_to_user(p, argument, &value, sizeof value) ? 0 : -EFAULT;
    }
    if (option != PR_SET_NAME) return -EINVAL;
    char name[sizeof p.name] = {};
    for (size_t i = 0; i + 1 < sizeof name; ++i) {
        if (!copy_from_user(p, &name[i], argument + i, 1)) return -EFAULT;
        if (name[i] == '\0') break;
    }
    memcpy(p.name, name, sizeof p.name);
    sched::rename_current(p.name);  // ps shows it too, as Linux's comm
    return 0;
}

// prlimit64(pid, resource, new, old): the stack's 8 MiB and 1024 descriptors (Linux's default
// soft limits; the descriptors' hard limit is 1024 too, the table's size, where Linux's is 4096),
// the processes fork stops at (Linux's RLIMIT_NPROC, where fork says EAGAIN too), the rest
// unlimited. New limits are taken and change nothing. Linux's order of checks: the new
// limit read (-EFAULT), the process found (-ESRCH), then the resource and the new limit (-EINVAL).
int64_t sys_prlimit64(Process& p, TrapFrame& frame) {
    const int32_t pid = int_arg(frame, 0);
    const uint32_t resource = uint_arg(frame, 1);
    const uint64_t wanted = arg(frame, 2);
    struct rlimit asked = {};
    if (wanted != 0 && !copy_from_user(p, &asked, wanted, sizeof asked)) return -EFAULT;
    if (pid != 0 && static_cast<uint64_t>(pid) != p.pid &&
        (pid < 0 || !sched::is_process(static_cast<sched::TaskId>(pid))))
        return -ESRCH;
    if (resource >= RLIM_NLIMITS) return -EINVAL;
    if (wanted != 0 && asked.rlim_cur > asked.rlim_max) return -EINVAL;
    struct rlimit limit = {RLIM_INFINITY, RLIM_INFINITY};
    if (resource == RLIMIT_STACK) limit.rlim_cur = process::kStackLimit;
    if (resource == RLIMIT_NOFILE) limit = {fs::FdTable::kMax, fs::FdTable::kMax};
    if (resource == RLIMIT_NPROC) limit = {sched::kMaxProcessTasks, sched::kMaxProcessTasks};
    const uint64_t old_limit = arg(frame, 3);
    if (old_limit != 0 && !copy_to_user(p, old_limit, &limit, sizeof limit)) return -EFAULT;
    return 0;
}

int64_t sys_getrandom(Process& p, TrapFrame& frame) {
    const uint64_t buffer = arg(frame, 0);
    const uint64_t size = arg(frame, 1) < kMaxRwCount ? arg(frame, 1) : kMaxRwCount;
    const uint32_t flags = uint_arg(frame, 2);
    if ((flags & ~uint32_t{GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE}) != 0) return -EINVAL;
    if ((flags & GRND_RANDOM) != 0 && (flags & GRND_INSECURE) != 0) return -EINVAL;
    // (Linux's import_ubuf: the length cut to MAX_RW_COUNT, then the range checked.)
    if (!in_user_space(buffer, size)) return -EFAULT;
    uint8_t chunk[512];
    for (uint64_t done = 0; done < size;) {
        const uint64_t n = size - done < sizeof chunk ? size - done : sizeof chunk;
        random::bytes(chunk, n);
        const uint64_t given = copy_some_to_user(p, buffer + done, chunk, n);
        done += given;
        if (given < n) return done != 0 ? static_cast<int64_t>(done) : -EFAULT;
    }
    return static_cast<int64_t>(size);
}

int64_t sys_umask(Process& p, TrapFrame& frame) {
    const uint32_t old = p.fs.umask;
    p.fs.umask = uint_arg(frame, 0) & 0777;
    return old;
}

}  // namespace keel::syscalls
