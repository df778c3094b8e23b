// SPDX-License-Identifier: MIT
// Open files and descriptors, as POSIX has them. A File is an open file description: the inode,
// the access mode and status flags (O_APPEND, O_NONBLOCK...), and the offset; dup'd descriptors and
// a forked child share one (a reference count). FileOps say what reading and writing one does: a
// regular file's bytes, a device's, a pipe's end. An FdTable is a process's descriptors: up to
// RLIMIT_NOFILE (1024) of them, each with its close-on-exec flag.
#pragma once
#include <keel/kernel/fs/inode.h>
#include <keel/kernel/fs/io.h>
#include <keel/lib/atomic.h>
#include <stdint.h>

namespace keel::fs {

class File;

// poll(2)'s readiness bits (include/uapi/asm-generic/poll.h).
inline constexpr unsigned kPollIn = 0x001;
inline constexpr unsigned kPollOut = 0x004;
inline constexpr unsigned kPollErr = 0x008;
inline constexpr unsigned kPollHup = 0x010;

class FileOps {
public:
    // `offset` is the file's own (read/write) or pread's; what moved, or -errno.
    virtual int64_t read(File& file, IoBuffer& buffer, uint64_t& offset) const;
    virtual int64_t write(File& file, IoBuffer& buffer, uint64_t& offset) const;
    // Whether a file of this kind has offsets (lseek, pread): pipes and terminals do not.
    virtual bool seekable() const { return true; }
    // The readiness poll(2) sees now.
    virtual unsigned poll(File& file) const;
    virtual int64_t ioctl(File& file, uint64_t request, uint64_t argument) const;
    // The last reference to the file is gone.
    virtual void release(File& file) const;

protected:
    ~FileOps() = default;
};

class File {
public:
    File(Inode* inode, const FileOps& ops, uint32_t flags)
        : inode(inode), ops(&ops), flags(flags) {}

    Inode* inode;  // (a reference held)
    const FileOps* ops;
    uint32_t flags;                // the access mode (O_ACCMODE) and status flags
    uint64_t offset = 0;           // read, write and lseek move it (under the file system lock)
    void* object = nullptr;        // what the ops keep for it (a pipe)
    Atomic<uint32_t> refs{1};      // descriptors, mappings and other holders
    File* next_dropped = nullptr;  // drop_mapped's list, once the last reference is gone

    bool readable() const;
    bool writable() const;
};

// A new open file of `inode` (its reference taken) with `flags`; nullptr when memory ran out.
File* open_file(Inode* inode, const FileOps& ops, uint32_t flags);
// Another holder of `file`; the last one gone releases it (its ops' release, the inode's ref).
File* hold(File* file);
void drop(File* file);
// drop() for a caller that holds the file system lock already (the loader's, /proc's): for a
// regular file, whose release takes nothing else.
void drop_locked(File* file);
// A mapping's drop (mm/regions.h's, from a program's region list, under its space's spinlock):
// the release the last reference needs takes the file system lock, which may not be taken there,
// so that file waits on a list until release_dropped, which whoever let go of a region calls
// from a task holding no lock (munmap, exit, execve).
void drop_mapped(File* file);
void release_dropped();

class FdTable {
public:
    static constexpr int kMax = 1024;  // RLIMIT_NOFILE: Linux's default soft limit, both here

    // A new, empty table; nullptr when memory ran out. free() drops every file and the table.
    static FdTable* make();
    void free();
    // A copy for a forked child (every file held again); nullptr when memory ran out.
    FdTable* copy() const;

    // The open file `fd` names (not held again: valid while the caller's table holds it), or
    // nullptr (EBADF).
    File* get(int fd) const;
    // Installs `file` (the table takes the caller's hold) at the lowest free descriptor >= `from`:
    // the descriptor, or -EMFILE (the hold then dropped).
    int install(File* file, int from, bool close_on_exec);
    // Puts `file` at `fd`, closing what was there (dup2/dup3).
    void replace(int fd, File* file, bool close_on_exec);
    // Closes `fd`: 0, or -EBADF.
    int close(int fd);
    bool close_on_exec(int fd) const;
    void set_close_on_exec(int fd, bool on);
    // Closes every descriptor marked close-on-exec (execve).
    void close_marked();
    // Open descriptors now, and the highest plus one.
    int count() const;
    int end() const;

private:
    FdTable() = default;
    // Makes descriptors up to `fd` part of [0, used_), closed.
    void use_through(int fd);

    // Only descriptors below used_ have ever been open here: only their slots are written (the
    // table's block is not zeroed), and a fork's copy and an exit's close look at no others.
    int used_ = 0;
    uint64_t cloexec_[kMax / 64] = {};  // (0 for every closed descriptor)
    File* files_[kMax];
};

}  // namespace keel::fs
