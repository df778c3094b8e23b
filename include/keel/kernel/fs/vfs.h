// SPDX-License-Identifier: MIT
// The VFS: one tree of names over the mounted file systems, as Linux's. `/` is a tmpfs the
// initramfs is unpacked into at boot; /dev holds the devices. Paths are walked with Linux's rules
// (lib/path_walk.h) from a process's root and working directory, or a directory descriptor.
//
// One lock, a sleeping mutex, guards every name, inode and offset of every file system; each
// operation here takes it for its whole length (copying from and to the program included). It is
// never held while a task waits for something else (a pipe, the terminal).
#pragma once
#include <keel/kernel/fs/file.h>
#include <keel/kernel/sync.h>
#include <keel/lib/cpio.h>
#include <keel/lib/path_walk.h>

namespace keel::fs {

sched::Mutex& lock();
class FsLock {
public:
    FsLock() { lock().lock(KEEL_HERE); }
    ~FsLock() { lock().unlock(KEEL_HERE); }
    FsLock(const FsLock&) = delete;
    FsLock& operator=(const FsLock&) = delete;
};

// A process's place in the tree: its root (/), its working directory, its umask.
struct Context {
    Inode* root = nullptr;  // (references held)
    Inode* cwd = nullptr;
    uint32_t umask = 022;

    // A copy for a child (references taken); release() drops them.
    Context copy() const;
    void release();
};

// Boot: the root tmpfs and /dev in it, then the initramfs unpacked there (a line says what).
// From a task (the lock sleeps). Returns the first process's context.
Context init(const cpio::Archive* archive);
Inode* root();
void set_root(Inode* root);  // init's

// The path walk's view of the tree (mount points crossed both ways), for walks the kernel makes.
path::FileSystem& walker();
// The first of the lock's two walk scratches (for a kernel walk with the lock held).
path::Scratch& walk_scratch();

// Where a walk starts: AT_FDCWD (the working directory), or a directory descriptor's directory.
inline constexpr int kAtFdcwd = -100;

// A path from the calling program's memory: into one of the lock's two path buffers (`slot`: 0
// or 1, for the calls that take two paths). -EFAULT, -ENAMETOOLONG (4096 bytes or more).
// An empty path is returned as such (the caller decides: ENOENT, or AT_EMPTY_PATH).
Result<StringView, int> user_path(uint64_t address, int slot);

// Walks `path` for the calling process from `dirfd` (with the lock held). `slot` picks the
// scratch the result's names live in (as for user_path).
Result<path::Walked, int> walk(const Context& context, const FdTable& fds, int dirfd,
                               StringView path, path::Flags flags, int slot);

// What `path` (absolute, or from `context`'s working directory) names, with the lock held: the
// inode, or -errno (ENOENT when it does not exist). For the kernel's own lookups.
Result<Inode*, int> walk_path(const Context& context, StringView path, bool follow);

// The inode a descriptor names for the *at calls: ENOENT/EBADF/ENOTDIR as Linux says.
Result<Inode*, int> directory_of(const Context& context, const FdTable& fds, int dirfd);

// Mounts: `fs`'s root over directory `at` (held); the root of what is mounted at `at` is what
// walks see there from then on.
int mount(Inode& at, FileSystem& fs);
// Takes the file system whose root is `top` (the topmost at its mount point) off the tree: it,
// or -EINVAL when `top` is no mounted root. Its inodes are the caller's to free.
Result<FileSystem*, int> detach_mount(Inode& top);
// For /proc/mounts and friends: calls visit(mount point, file system) for each mount.
void for_each_mount(void (*visit)(Inode& at, FileSystem& fs, void* context), void* context);

// The absolute path of directory `dir` as the process at `context` sees it, into `buffer`;
// its length (with the NUL), or -ERANGE / -ENOENT (unlinked).
int64_t path_of(const Context& context, Inode& dir, char* buffer, size_t capacity);

}  // namespace keel::fs
