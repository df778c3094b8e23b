// SPDX-License-Identifier: MIT
// What every inode does the same way (include/keel/kernel/fs/inode.h): the operations a kind of
// file lacks refuse as Linux does, a link-less unreferenced inode goes, and stat.
#include <keel/abi/errno.h>
#include <keel/kernel/fs/inode.h>
#include <keel/lib/memory.h>

namespace keel::fs {

// Directory operations on a non-directory: ENOTDIR (the VFS checks first; these are the floor).
Inode* Inode::lookup(StringView) {
    return nullptr;
}
Result<Inode*, int> Inode::create(StringView, uint32_t, uint64_t) {
    return -ENOTDIR;
}
Result<Inode*, int> Inode::create_symlink(StringView, StringView) {
    return -ENOTDIR;
}
int Inode::link(StringView, Inode&) {
    return -ENOTDIR;
}
int Inode::unlink(StringView, Inode&) {
    return -EPERM;  // a directory whose file system removes nothing (/proc)
}
int Inode::move(StringView, Inode&, StringView, bool) {
    return -EPERM;  // Linux's answer where a file system cannot rename
}
int Inode::exchange(StringView, Inode&, StringView) {
    return -EPERM;
}
int Inode::list(uint64_t&, DirectorySink&) {
    return -ENOTDIR;
}
int64_t Inode::read(uint64_t, IoBuffer&) {
    return -EINVAL;
}
int64_t Inode::write(uint64_t, IoBuffer&) {
    return -EINVAL;
}
int Inode::resize(uint64_t) {
    return -EINVAL;
}
Result<size_t, int> Inode::read_link(char*, size_t) {
    return -EINVAL;
}
Result<uint64_t, int> Inode::map_page(uint64_t) {
    return -ENODEV;
}

void Inode::put() {
    --references;
    forget_if_unused();
}

void Inode::forget_if_unused() {
    if (references == 0 && nlink == 0) destroy();
}

void Inode::stat(struct stat& out) const {
    memset(&out, 0, sizeof out);
    out.st_dev = fs_->device();
    out.st_ino = ino;
    out.st_mode = mode;
    out.st_nlink = nlink;
    out.st_uid = uid;
    out.st_gid = gid;
    out.st_rdev = rdev;
    out.st_size = static_cast<int64_t>(size);
    out.st_blksize = 4096;
    out.st_blocks = static_cast<int64_t>(pages() * 8);
    out.st_atime = atime.seconds;
    out.st_atime_nsec = static_cast<uint64_t>(atime.nanoseconds);
    out.st_mtime = mtime.seconds;
    out.st_mtime_nsec = static_cast<uint64_t>(mtime.nanoseconds);
    out.st_ctime = ctime.seconds;
    out.st_ctime_nsec = static_cast<uint64_t>(ctime.nanoseconds);
}

}  // namespace keel::fs
