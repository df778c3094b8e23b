// SPDX-License-Identifier: MIT
// Inodes: the files of keel's file systems, whatever they are (directories, regular files,
// symbolic links, devices, pipes), as Linux's VFS sees them. A file system (tmpfs, proc)
// derives from Inode and answers the operations its files have; the VFS (fs/vfs.h) walks paths,
// keeps the mount table and the rules the calls share. Everything here is guarded by the one file
// system lock (vfs.h: fs::Lock), which every operation holds; nothing in here sleeps but for it.
#pragma once
#include <keel/abi/stat.h>
#include <keel/kernel/clock.h>
#include <keel/lib/result.h>
#include <keel/lib/string_view.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::fs {

class Inode;
class IoBuffer;
class Pipe;

using clock::Time;

// A file system instance: what statfs says of it, and st_dev for its files.
class FileSystem {
public:
    constexpr FileSystem(const char* name, uint64_t device, uint64_t magic)
        : name_(name), device_(device), magic_(magic) {}
    const char* name() const { return name_; }
    uint64_t device() const { return device_; }
    uint64_t magic() const { return magic_; }  // statfs's f_type (TMPFS_MAGIC...)
    // Blocks (4 KiB) in all and free, for statfs.
    virtual uint64_t total_blocks() const { return 0; }
    virtual uint64_t free_blocks() const { return 0; }
    // Whether a name it does not have can be made (false for /proc, where Linux's lookup of a
    // missing name fails at once: every call that would make one says ENOENT).
    virtual bool makes_names() const { return true; }
    Inode* root = nullptr;

protected:
    ~FileSystem() = default;

private:
    const char* name_;
    uint64_t device_;
    uint64_t magic_;
};

// Whoever lists a directory: called once per entry with its name, inode number, DT_ type and the
// position to resume after it; returns false when it has no room for the entry (the listing stops
// there, and resumes at that entry next time).
class DirectorySink {
public:
    virtual bool entry(StringView name, uint64_t inode, uint8_t type, uint64_t next) = 0;

protected:
    ~DirectorySink() = default;
};

class Inode {
public:
    Inode(FileSystem& fs, uint64_t ino, uint32_t mode) : fs_(&fs), ino(ino), mode(mode) {}
    Inode(const Inode&) = delete;
    Inode& operator=(const Inode&) = delete;

    FileSystem& fs() const { return *fs_; }
    uint32_t type() const { return mode & S_IFMT; }
    bool is_directory() const { return type() == S_IFDIR; }
    bool is_regular() const { return type() == S_IFREG; }
    bool is_symlink() const { return type() == S_IFLNK; }

    // Directories. The entry `name` names, nullptr when there is none.
    virtual Inode* lookup(StringView name);
    // A new entry `name` for a new file of `mode` (with `rdev` for a device): the file, or -errno
    // (EEXIST is the caller's check; ENOSPC when memory runs out).
    virtual Result<Inode*, int> create(StringView name, uint32_t mode, uint64_t rdev);
    virtual Result<Inode*, int> create_symlink(StringView name, StringView target);
    // Another name for `target` here (a hard link).
    virtual int link(StringView name, Inode& target);
    // Takes the entry `name` (which names `child`) out; the child loses a link.
    virtual int unlink(StringView name, Inode& child);
    // Moves the entry `name` here to `new_name` in `to` (a directory of the same file system),
    // replacing the file there, if any (the VFS has checked it may); with `whiteout`, a 0:0
    // character device takes its place here (RENAME_WHITEOUT). All of it, or nothing.
    virtual int move(StringView name, Inode& to, StringView new_name, bool whiteout);
    // Swaps the files the entries `name` here and `other` in `to` name (RENAME_EXCHANGE; both
    // there, of the same file system).
    virtual int exchange(StringView name, Inode& to, StringView other);
    // Lists entries from `position` (0: the start, with "." and ".."); returns -errno or 0.
    virtual int list(uint64_t& position, DirectorySink& sink);
    // Whether the directory holds anything but "." and "..".
    virtual bool has_entries() const { return false; }
    // The directory's parent in its file system (its root's is itself).
    virtual Inode* parent() { return this; }

    // Regular files: bytes at `offset`, through `buffer`; what was moved, or -errno.
    virtual int64_t read(uint64_t offset, IoBuffer& buffer);
    virtual int64_t write(uint64_t offset, IoBuffer& buffer);
    virtual int resize(uint64_t new_size);
    // A mapping's page (mmap, execve): the page holding the file's bytes from index * 4 KiB, with
    // an owner of its own for the mapping, which lets go of it with pages::release. A hole is
    // filled first. -ERANGE past the end of the file (the program's SIGBUS), -ENOSPC when no
    // page is left for a hole or the file system is full (SIGBUS too), -ENOMEM, -ENODEV for a
    // file that cannot be mapped (the default). From a page fault: it may not take the file
    // system lock, which the faulting task may hold already (a read() into a mapping).
    virtual Result<uint64_t, int> map_page(uint64_t index);
    // Whether map_page can give this file's pages (what mmap asks before it maps one).
    virtual bool mappable() const { return false; }
    // Symbolic links: the target's bytes, at most `capacity`; its length.
    virtual Result<size_t, int> read_link(char* buffer, size_t capacity);

    // References (open files, working directories, mounts): an inode whose links and references
    // are all gone goes, its memory with it.
    void get() { ++references; }
    void put();
    // For a file system that took a link away: it goes if that was the last of everything.
    void forget_if_unused();
    // Linux's `struct stat` of it.
    void stat(struct stat& out) const;
    // Data pages it holds (st_blocks: 512-byte units of them).
    virtual uint64_t pages() const { return 0; }

protected:
    virtual ~Inode() = default;
    // Frees the inode (its memory belongs to its file system).
    virtual void destroy() = 0;

private:
    FileSystem* fs_;

public:
    uint64_t ino;
    uint32_t mode;
    uint32_t nlink = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t size = 0;
    uint64_t rdev = 0;  // a device file's: major << 8 | minor (Linux's old encoding for < 256)
    Time atime;
    Time mtime;
    Time ctime;
    uint32_t references = 0;   // open files, working directories, mounts: not links
    Inode* mounted = nullptr;  // the root of the file system mounted on this directory
    Inode* covered = nullptr;  // a file system's root: the directory it is mounted on
    Pipe* pipe = nullptr;      // a FIFO's buffer, while anyone has it open (fs/pipe.cpp)
};

// Linux's device numbers for keel's devices (Documentation/admin-guide/devices.txt).
constexpr uint64_t device_number(uint32_t major, uint32_t minor) {
    return uint64_t{major} << 8 | minor;
}

}  // namespace keel::fs
