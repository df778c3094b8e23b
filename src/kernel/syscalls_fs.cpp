// SPDX-License-Identifier: MIT
// The calls that name files by path: each hands its arguments to the VFS (fs/namei.h), which
// holds Linux's rules; what comes back out goes to the program.
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/kernel/fs/namei.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>

namespace keel::syscalls {
namespace {

using process::Process;

fs::At at(Process& p, int32_t dirfd) {
    return fs::At{p.fs, *p.fds, dirfd};
}

template <typename T>
int64_t give(Process& p, uint64_t to, const T& value) {
    return copy_to_user(p, to, &value, sizeof value) ? 0 : -EFAULT;
}

}  // namespace

int64_t sys_openat(Process& p, TrapFrame& frame) {
    const uint32_t flags = uint_arg(frame, 2);
    const auto opened =
        fs::open(at(p, int_arg(frame, 0)), arg(frame, 1), flags, uint_arg(frame, 3));
    if (!opened.ok()) return opened.error();
    return p.fds->install(opened.value(), 0, (flags & O_CLOEXEC) != 0);
}

int64_t sys_mknodat(Process& p, TrapFrame& frame) {
    return fs::make_node(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2),
                         uint_arg(frame, 3));
}

int64_t sys_mkdirat(Process& p, TrapFrame& frame) {
    return fs::make_directory(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2));
}

int64_t sys_unlinkat(Process& p, TrapFrame& frame) {
    return fs::remove(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2));
}

int64_t sys_symlinkat(Process& p, TrapFrame& frame) {
    return fs::symlink(arg(frame, 0), at(p, int_arg(frame, 1)), arg(frame, 2));
}

int64_t sys_linkat(Process& p, TrapFrame& frame) {
    return fs::link(at(p, int_arg(frame, 0)), arg(frame, 1), at(p, int_arg(frame, 2)),
                    arg(frame, 3), uint_arg(frame, 4));
}

int64_t sys_renameat2(Process& p, TrapFrame& frame) {
    return fs::rename(at(p, int_arg(frame, 0)), arg(frame, 1), at(p, int_arg(frame, 2)),
                      arg(frame, 3), uint_arg(frame, 4));
}

int64_t sys_readlinkat(Process& p, TrapFrame& frame) {
    fs::IoBuffer out = fs::IoBuffer::user(arg(frame, 2), static_cast<uint64_t>(int_arg(frame, 3)));
    return fs::read_link(at(p, int_arg(frame, 0)), arg(frame, 1), out);
}

int64_t sys_newfstatat(Process& p, TrapFrame& frame) {
    struct stat st;
    const int error = fs::stat(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 3), st);
    return error != 0 ? error : give(p, arg(frame, 2), st);
}

int64_t sys_statx(Process& p, TrapFrame& frame) {
    struct statx stx;
    const int error = fs::statx(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2),
                                uint_arg(frame, 3), stx);
    return error != 0 ? error : give(p, arg(frame, 4), stx);
}

int64_t sys_faccessat(Process& p, TrapFrame& frame) {
    return fs::access(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2), 0);
}

int64_t sys_faccessat2(Process& p, TrapFrame& frame) {
    return fs::access(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2),
                      uint_arg(frame, 3));
}

int64_t sys_fchmodat(Process& p, TrapFrame& frame) {
    return fs::change_mode(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2), 0);
}

int64_t sys_fchownat(Process& p, TrapFrame& frame) {
    return fs::change_owner(at(p, int_arg(frame, 0)), arg(frame, 1), uint_arg(frame, 2),
                            uint_arg(frame, 3), uint_arg(frame, 4));
}

int64_t sys_utimensat(Process& p, TrapFrame& frame) {
    return fs::set_times(at(p, int_arg(frame, 0)), arg(frame, 1), arg(frame, 2),
                         uint_arg(frame, 3));
}

int64_t sys_truncate(Process& p, TrapFrame& frame) {
    return fs::truncate(at(p, fs::kAtFdcwd), arg(frame, 0), static_cast<int64_t>(arg(frame, 1)));
}

int64_t sys_chdir(Process& p, TrapFrame& frame) {
    return fs::change_directory(p.fs, *p.fds, arg(frame, 0));
}

int64_t sys_fchdir(Process& p, TrapFrame& frame) {
    fs::File* file = p.fds->get(int_arg(frame, 0));
    return file != nullptr ? fs::change_directory(p.fs, *file) : -EBADF;
}

int64_t sys_getcwd(Process& p, TrapFrame& frame) {
    char path[4096];
    const uint64_t size = arg(frame, 1);
    int64_t length;
    {
        fs::FsLock guard;
        length = fs::path_of(p.fs, *p.fs.cwd, path, size < sizeof path ? size : sizeof path);
    }
    if (length < 0) return length;
    return copy_to_user(p, arg(frame, 0), path, static_cast<uint64_t>(length)) ? length : -EFAULT;
}

int64_t sys_statfs(Process& p, TrapFrame& frame) {
    struct statfs st;
    const int error = fs::file_system_stat(at(p, fs::kAtFdcwd), arg(frame, 0), st);
    return error != 0 ? error : give(p, arg(frame, 1), st);
}

}  // namespace keel::syscalls
