// SPDX-License-Identifier: MIT
// Unpacking an initramfs (a cpio newc archive, lib/cpio.h) into a file system, with the rules of
// Linux's init/initramfs.c. Each entry's name is a path from the root, walked as a path
// (lib/path_walk.h: symlinks on the way followed, a directory on the way missing refuses the
// entry); then, by the entry's type:
// - a directory is made, or the one there kept; either way it takes the entry's owner and mode,
//   and, once the whole archive is in, its time (adding names would move it);
// - a regular file replaces what is there of another type, or is truncated and rewritten;
// - a symbolic link replaces whatever is there;
// - a device node, fifo or socket is made unless one of its type is there.
// A name of nlink >= 2 whose (device, inode, type) was seen before becomes a hard link to that
// file (in newc the data comes with the last name; every name then shows it). Owner, mode and
// time are the entry's. A name ending in "." or ".." is refused. An entry that cannot be made is
// counted and skipped: the rest go on.
// Portable: the file system is reached through Tree.
#pragma once
#include <keel/lib/cpio.h>
#include <keel/lib/path_walk.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::unpack {

// What unpacking asks of a file system. Errors are Linux's -errno values.
class Tree {
public:
    // The walk's view of the same nodes (lookups, "..", symlink targets).
    virtual path::FileSystem& names() = 0;
    // The node's file type: its mode's S_IFMT bits.
    virtual uint32_t type(path::Node node) = 0;
    // Makes `name` in directory `dir`, a new node of `entry`'s type: an empty regular file, an
    // empty directory, a symlink to the entry's data, or a node for its rdev.
    virtual Result<path::Node, int> make(path::Node dir, StringView name,
                                         const cpio::Entry& entry) = 0;
    // A new name `name` in `dir` for the existing non-directory `node`.
    virtual int link(path::Node dir, StringView name, path::Node node) = 0;
    // Removes `name` (which is `node`) from `dir`: unlink, or rmdir when it is a directory
    // (-ENOTEMPTY when it holds names).
    virtual int remove(path::Node dir, StringView name, path::Node node) = 0;
    // Writes the entry's data at the start of regular file `file`, emptied first if `truncate`.
    virtual int write(path::Node file, const cpio::Entry& entry, bool truncate) = 0;
    // The entry's owner, permission bits (07777) and time (as modification and access time).
    virtual void set_attributes(path::Node node, const cpio::Entry& entry) = 0;

protected:
    ~Tree() = default;
};

// One file seen with nlink >= 2: the caller gives room for them (Linux's table has no bound;
// when this one is full, a further such file is refused).
struct Linked {
    uint32_t dev_major = 0;
    uint32_t dev_minor = 0;
    uint32_t ino = 0;
    uint32_t type = 0;
    path::Node node = nullptr;
};

struct Counts {
    size_t files = 0;
    size_t directories = 0;
    size_t symlinks = 0;
    size_t others = 0;   // devices, fifos, sockets
    size_t refused = 0;  // entries that could not be made (and are not counted above)
};

// Unpacks every entry of `archive` into `tree` below `root`; `linked` (of `capacity`) and
// `scratch` are the room it works in.
Counts unpack(const cpio::Archive& archive, Tree& tree, path::Node root, Linked* linked,
              size_t capacity, path::Scratch& scratch);

}  // namespace keel::unpack
