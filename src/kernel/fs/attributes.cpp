// SPDX-License-Identifier: MIT
// A file's attributes by path or by inode (include/keel/kernel/fs/namei.h): stat, statx, access,
// modes, owners, times, statfs. keel has one user, root, who may do all of it (but execute a file
// with no execute bit, as Linux's root).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/stat.h>
#include <keel/abi/time.h>
#include <keel/kernel/fs/io.h>
#include <keel/kernel/fs/namei.h>
#include <keel/lib/memory.h>

namespace keel::fs {
namespace {

// resolve(), or for utimensat's NULL path (with a dirfd; with AT_FDCWD it is EFAULT, as Linux's),
// the dirfd's own file.
Result<Inode*, int> target(At at, uint64_t path, uint32_t flags, bool null_is_self = false) {
    if (path == 0 && null_is_self && at.dirfd != kAtFdcwd) {
        if (flags != 0) return -EINVAL;
        const File* file = at.fds.get(at.dirfd);
        return file != nullptr ? Result<Inode*, int>(file->inode) : Result<Inode*, int>(-EBADF);
    }
    return resolve(at, path, flags);
}

void copy_time(struct statx_timestamp& out, const Time& t) {
    out.tv_sec = t.seconds;
    out.tv_nsec = static_cast<uint32_t>(t.nanoseconds);
}

// A struct timespec of utimensat: UTIME_NOW, UTIME_OMIT, or a time; -EINVAL otherwise.
int time_of(const struct timespec& given, Time now, Time& out, bool& set) {
    set = given.tv_nsec != UTIME_OMIT;
    if (given.tv_nsec == UTIME_NOW) {
        out = now;
        return 0;
    }
    if (!set) return 0;
    if (given.tv_nsec < 0 || given.tv_nsec >= 1'000'000'000) return -EINVAL;
    out = Time{given.tv_sec, given.tv_nsec};
    return 0;
}

}  // namespace

Result<Inode*, int> resolve(At at, uint64_t path, uint32_t flags) {
    const auto text = user_path(path, 0);
    if (!text.ok()) return text.error();
    if (text.value().empty()) {
        if ((flags & AT_EMPTY_PATH) == 0) return -ENOENT;
        if (at.dirfd == kAtFdcwd) return at.context.cwd;
        const File* file = at.fds.get(at.dirfd);
        if (file == nullptr) return -EBADF;
        return file->inode;
    }
    const auto walked = walk(at.context, at.fds, at.dirfd, text.value(),
                             path::Flags{(flags & AT_SYMLINK_NOFOLLOW) == 0, false}, 0);
    if (!walked.ok()) return walked.error();
    if (walked.value().node == nullptr) return -ENOENT;
    return static_cast<Inode*>(walked.value().node);
}

int stat(At at, uint64_t path, uint32_t flags, struct stat& out) {
    // (vfs_statx's flags: the sync ones too, whatever they say, as Linux's newfstatat.)
    constexpr uint32_t kKnown =
        AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE;
    if ((flags & ~kKnown) != 0) return -EINVAL;
    FsLock guard;
    const auto inode = target(at, path, flags);
    if (!inode.ok()) return inode.error();
    inode.value()->stat(out);
    return 0;
}

int statx(At at, uint64_t path, uint32_t flags, uint32_t mask, struct statx& out) {
    constexpr uint32_t kSync = AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC;
    if ((mask & STATX__RESERVED) != 0) return -EINVAL;
    if ((flags & ~uint32_t{AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | kSync}) != 0 ||
        (flags & kSync) == kSync)
        return -EINVAL;
    FsLock guard;
    const auto inode = target(at, path, flags);
    if (!inode.ok()) return inode.error();
    struct stat st;
    inode.value()->stat(st);
    memset(&out, 0, sizeof out);
    out.stx_mask = STATX_BASIC_STATS;
    out.stx_blksize = static_cast<uint32_t>(st.st_blksize);
    out.stx_nlink = st.st_nlink;
    out.stx_uid = st.st_uid;
    out.stx_gid = st.st_gid;
    out.stx_mode = static_cast<uint16_t>(st.st_mode);
    out.stx_ino = st.st_ino;
    out.stx_size = static_cast<uint64_t>(st.st_size);
    out.stx_blocks = static_cast<uint64_t>(st.st_blocks);
    copy_time(out.stx_atime, inode.value()->atime);
    copy_time(out.stx_mtime, inode.value()->mtime);
    copy_time(out.stx_ctime, inode.value()->ctime);
    out.stx_rdev_major = static_cast<uint32_t>(st.st_rdev >> 8);
    out.stx_rdev_minor = static_cast<uint32_t>(st.st_rdev & 0xff);
    out.stx_dev_major = static_cast<uint32_t>(st.st_dev >> 8);
    out.stx_dev_minor = static_cast<uint32_t>(st.st_dev & 0xff);
    return 0;
}

int access(At at, uint64_t path, uint32_t mode, uint32_t flags) {
    if ((mode & ~uint32_t{F_OK | R_OK | W_OK | X_OK}) != 0) return -EINVAL;
    if ((flags & ~uint32_t{AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH}) != 0) return -EINVAL;
    FsLock guard;
    const auto inode = target(at, path, flags);
    if (!inode.ok()) return inode.error();
    // Root reads and writes anything; it executes what has an execute bit, and searches any
    // directory.
    const Inode& node = *inode.value();
    if ((mode & X_OK) != 0 && !node.is_directory() && (node.mode & 0111) == 0) return -EACCES;
    return 0;
}

int change_mode(Inode& inode, uint32_t mode) {
    inode.mode = (inode.mode & S_IFMT) | (mode & 07777);
    inode.ctime = clock::realtime();
    return 0;
}

int change_owner(Inode& inode, uint32_t uid, uint32_t gid) {
    if (uid != ~0u) inode.uid = uid;
    if (gid != ~0u) inode.gid = gid;
    // As Linux: a change of owner takes setuid (and setgid with group execute) off a file.
    if (!inode.is_directory()) {
        inode.mode &= ~uint32_t{S_ISUID};
        if ((inode.mode & S_IXGRP) != 0) inode.mode &= ~uint32_t{S_ISGID};
    }
    inode.ctime = clock::realtime();
    return 0;
}

int change_mode(At at, uint64_t path, uint32_t mode, uint32_t flags) {
    if ((flags & ~uint32_t{AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH}) != 0) return -EINVAL;
    FsLock guard;
    const auto inode = target(at, path, flags);
    if (!inode.ok()) return inode.error();
    return change_mode(*inode.value(), mode);
}

int change_owner(At at, uint64_t path, uint32_t uid, uint32_t gid, uint32_t flags) {
    if ((flags & ~uint32_t{AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH}) != 0) return -EINVAL;
    FsLock guard;
    const auto inode = target(at, path, flags);
    if (!inode.ok()) return inode.error();
    return change_owner(*inode.value(), uid, gid);
}

int set_times(At at, uint64_t path, uint64_t times, uint32_t flags) {
    struct timespec given[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    if (times != 0) {
        IoBuffer in = IoBuffer::user(times, sizeof given);
        if (!in.take(0, given, sizeof given)) return -EFAULT;
    }
    // Both UTIME_OMIT: nothing to do, and (as Linux) neither the flags nor the path are looked at.
    if (times != 0 && given[0].tv_nsec == UTIME_OMIT && given[1].tv_nsec == UTIME_OMIT) return 0;
    if ((flags & ~uint32_t{AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH}) != 0) return -EINVAL;
    const Time now = clock::realtime();
    Time access_time, modify_time;
    bool set_access, set_modify;
    if (const int error = time_of(given[0], now, access_time, set_access); error != 0) return error;
    if (const int error = time_of(given[1], now, modify_time, set_modify); error != 0) return error;
    FsLock guard;
    const auto inode = target(at, path, flags, true);
    if (!inode.ok()) return inode.error();
    if (set_access) inode.value()->atime = access_time;
    if (set_modify) inode.value()->mtime = modify_time;
    inode.value()->ctime = now;
    return 0;
}

void file_system_stat(const Inode& inode, struct statfs& out) {
    memset(&out, 0, sizeof out);
    const FileSystem& fs = inode.fs();
    out.f_type = static_cast<int64_t>(fs.magic());
    out.f_bsize = 4096;
    out.f_frsize = 4096;
    out.f_blocks = static_cast<int64_t>(fs.total_blocks());
    out.f_bfree = static_cast<int64_t>(fs.free_blocks());
    out.f_bavail = out.f_bfree;
    out.f_namelen = 255;
}

int file_system_stat(At at, uint64_t path, struct statfs& out) {
    FsLock guard;
    const auto inode = target(at, path, 0);
    if (!inode.ok()) return inode.error();
    file_system_stat(*inode.value(), out);
    return 0;
}

}  // namespace keel::fs
