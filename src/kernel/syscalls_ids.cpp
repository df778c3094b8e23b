// SPDX-License-Identifier: MIT
// Who a process is: keel has one user, root. Every real, effective, saved and file-system id is 0
// and there are no supplementary groups. Root may "change" to root (nothing changes); any other id
// is one keel's single user namespace cannot map, which is Linux's EINVAL.
#include <keel/abi/errno.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>

namespace keel::syscalls {
namespace {

using process::Process;

constexpr uint32_t kUnchanged = 0xffffffff;  // (uid_t)-1: "leave this one as it is"

// Whether a set*id call's ids are all root's (or left as they are).
bool all_root(const TrapFrame& frame, unsigned count, bool may_leave) {
    for (unsigned i = 0; i < count; ++i) {
        const uint32_t id = uint_arg(frame, i);
        if (id != 0 && !(may_leave && id == kUnchanged)) return false;
    }
    return true;
}

// getresuid/getresgid(real, effective, saved): three zeros.
int64_t three_zeros(Process& p, const TrapFrame& frame) {
    const uint32_t zero = 0;
    for (unsigned i = 0; i < 3; ++i)
        if (!copy_to_user(p, arg(frame, i), &zero, sizeof zero)) return -EFAULT;
    return 0;
}

}  // namespace

int64_t sys_getuid(Process&, TrapFrame&) {
    return 0;
}
int64_t sys_geteuid(Process&, TrapFrame&) {
    return 0;
}
int64_t sys_getgid(Process&, TrapFrame&) {
    return 0;
}
int64_t sys_getegid(Process&, TrapFrame&) {
    return 0;
}
int64_t sys_getresuid(Process& p, TrapFrame& frame) {
    return three_zeros(p, frame);
}
int64_t sys_getresgid(Process& p, TrapFrame& frame) {
    return three_zeros(p, frame);
}

int64_t sys_setuid(Process&, TrapFrame& frame) {
    return all_root(frame, 1, false) ? 0 : -EINVAL;
}
int64_t sys_setgid(Process&, TrapFrame& frame) {
    return all_root(frame, 1, false) ? 0 : -EINVAL;
}
int64_t sys_setreuid(Process&, TrapFrame& frame) {
    return all_root(frame, 2, true) ? 0 : -EINVAL;
}
int64_t sys_setregid(Process&, TrapFrame& frame) {
    return all_root(frame, 2, true) ? 0 : -EINVAL;
}
int64_t sys_setresuid(Process&, TrapFrame& frame) {
    return all_root(frame, 3, true) ? 0 : -EINVAL;
}
int64_t sys_setresgid(Process&, TrapFrame& frame) {
    return all_root(frame, 3, true) ? 0 : -EINVAL;
}
// setfsuid/setfsgid answer the id as it was, whether or not they change it (they cannot fail).
int64_t sys_setfsuid(Process&, TrapFrame&) {
    return 0;
}
int64_t sys_setfsgid(Process&, TrapFrame&) {
    return 0;
}

// getgroups(size, list): no supplementary groups (size 0 asks only how many: none).
int64_t sys_getgroups(Process&, TrapFrame& frame) {
    return int_arg(frame, 0) < 0 ? -EINVAL : 0;
}
// setgroups(size, list): root's groups are root's (gid 0), at most Linux's NGROUPS_MAX. keel keeps
// none: getgroups answers none after it, as it did before.
int64_t sys_setgroups(Process& p, TrapFrame& frame) {
    constexpr int32_t kNgroupsMax = 65536;
    const int32_t size = int_arg(frame, 0);
    if (size < 0 || size > kNgroupsMax) return -EINVAL;
    for (int32_t i = 0; i < size; ++i) {
        uint32_t gid;
        if (!copy_from_user(p, &gid, arg(frame, 1) + 4 * static_cast<uint64_t>(i), sizeof gid))
            return -EFAULT;
        if (gid != 0) return -EINVAL;
    }
    return 0;
}

}  // namespace keel::syscalls
