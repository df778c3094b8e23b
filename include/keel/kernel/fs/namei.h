// SPDX-License-Identifier: MIT
// The calls that name files by path, with Linux's rules and errnos (fs/namei.c, fs/open.c,
// fs/stat.c): each takes a process's Context and descriptors, a directory descriptor (or AT_FDCWD)
// and a path in the program's memory, and takes the file system lock for its whole length.
// Each returns 0 (or a value) or -errno.
#pragma once
#include <keel/kernel/fs/file.h>
#include <keel/kernel/fs/vfs.h>

namespace keel::fs {

// Where a path-based call looks: the process's context and table, and the *at call's dirfd.
struct At {
    const Context& context;
    const FdTable& fds;
    int dirfd;
};

// openat(2): the new open file, or -errno. `umask` applies to a file O_CREAT makes.
Result<File*, int> open(At at, uint64_t path, uint32_t flags, uint32_t mode);
int make_directory(At at, uint64_t path, uint32_t mode);
int make_node(At at, uint64_t path, uint32_t mode, uint64_t device);
int remove(At at, uint64_t path, uint32_t flags);  // unlinkat: AT_REMOVEDIR
int rename(At from, uint64_t from_path, At to, uint64_t to_path, uint32_t flags);
int link(At from, uint64_t from_path, At to, uint64_t to_path, uint32_t flags);
int symlink(uint64_t target, At at, uint64_t path);
int64_t read_link(At at, uint64_t path, IoBuffer& out);
int truncate(At at, uint64_t path, int64_t length);
// chdir(2) and fchdir(2) change `context`'s working directory.
int change_directory(Context& context, const FdTable& fds, uint64_t path);
int change_directory(Context& context, File& file);

// Attributes (fs/attributes.cpp). An empty `path` with AT_EMPTY_PATH (or utimensat's NULL)
// means the dirfd's own file.

// What `path` names from `at`, with the lock held: the last symlink followed unless
// AT_SYMLINK_NOFOLLOW; an empty path is the dirfd's own file with AT_EMPTY_PATH, else ENOENT.
Result<Inode*, int> resolve(At at, uint64_t path, uint32_t flags);
int stat(At at, uint64_t path, uint32_t flags, struct stat& out);
int statx(At at, uint64_t path, uint32_t flags, uint32_t mask, struct statx& out);
int access(At at, uint64_t path, uint32_t mode, uint32_t flags);
int change_mode(At at, uint64_t path, uint32_t mode, uint32_t flags);
int change_owner(At at, uint64_t path, uint32_t uid, uint32_t gid, uint32_t flags);
int set_times(At at, uint64_t path, uint64_t times, uint32_t flags);
int file_system_stat(At at, uint64_t path, struct statfs& out);

// The same on an open file's inode (fstat, fchmod, fchown, fstatfs, futimens), with the lock.
int change_mode(Inode& inode, uint32_t mode);
int change_owner(Inode& inode, uint32_t uid, uint32_t gid);
void file_system_stat(const Inode& inode, struct statfs& out);

}  // namespace keel::fs
