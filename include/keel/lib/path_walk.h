// SPDX-License-Identifier: MIT
// The path walk of keel's VFS, with Linux's rules (path_resolution(7), fs/namei.c): from the root
// or a start directory, name by name, through symlinks, to the node a path names and the directory
// its last name lies in. Generic over the file system (FileSystem below): the kernel plugs its
// inodes in, the host tests a fake tree. Portable: no heap and no reference counts, because the
// kernel walks with its file-system lock held, so no node goes away under a walk.
#pragma once
#include <keel/lib/result.h>
#include <keel/lib/string_view.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::path {

inline constexpr size_t kNameMax = 255;       // NAME_MAX (include/uapi/linux/limits.h)
inline constexpr size_t kPathMax = 4096;      // PATH_MAX, counting the NUL
inline constexpr unsigned kMaxSymlinks = 40;  // MAXSYMLINKS (include/linux/namei.h)

// Linux's errno values (include/uapi/asm-generic/errno-base.h, errno.h), positive: the kernel
// returns -static_cast<int64_t>(error). These are the walk's own; a FileSystem may return any
// other (Errno{13}, EACCES), which the walk passes through unchanged.
enum class Errno : int {
    kEnoent = 2,         // ENOENT: an empty path or symlink, a directory on the way missing
    kEnotdir = 20,       // ENOTDIR: a non-directory on the way, or before a trailing slash
    kEnametoolong = 36,  // ENAMETOOLONG: a name over kNameMax; a path or expansion of kPathMax
    kEloop = 40,         // ELOOP: more than kMaxSymlinks symlinks followed in one walk
};

enum class Kind : uint8_t { kDirectory, kSymlink, kOther };

using Node = void*;  // opaque to the walk: the kernel's Inode*

// What the walk asks of a file system. It asks may_search, lookup and parent only of directories
// and read_link only of symlinks, and never looks up "", ".", "..", a name holding '/', or one
// longer than kNameMax.
class FileSystem {
public:
    virtual Kind kind(Node node) = 0;
    // Whether the walk may look names up in `dir` (search permission, MAY_EXEC), asked before
    // every name in it, "." and ".." too, as Linux's may_lookup: nothing, or an errno (EACCES).
    // By default every search is allowed: a file system with permissions overrides it.
    virtual Result<void, Errno> may_search(Node dir) {
        (void)dir;
        return {};
    }
    // The node `name` names in directory `dir`, mount points already crossed; nullptr when there
    // is none. Or an errno (EIO, ...).
    virtual Result<Node, Errno> lookup(Node dir, StringView name) = 0;
    // The directory `dir` lies in (".."), crossing back over a mount point; the file system's
    // top directory is its own parent. The walk itself keeps ".." of its root at the root.
    virtual Node parent(Node dir) = 0;
    // A symlink's target: its first `capacity` bytes (at most) copied into `buffer`, and its whole
    // length, which the walk refuses (ENAMETOOLONG) when it is over `capacity`. Or an errno.
    virtual Result<size_t, Errno> read_link(Node link, char* buffer, size_t capacity) = 0;

protected:
    ~FileSystem() = default;
};

struct Flags {
    // Follow a symlink named last; a trailing slash follows it anyway (open, stat). O_NOFOLLOW,
    // AT_SYMLINK_NOFOLLOW and O_CREAT|O_EXCL clear it.
    bool follow_last = true;
    // For the calls that make or remove the last name (mkdir, mknod, symlink, link's and rename's
    // names, unlink, rmdir: Linux's LOOKUP_PARENT walk, filename_parentat): the last name is
    // looked up but never followed, trailing slash or not, and is not checked against a trailing
    // slash, which each call judges by its own rule (mkdir("file/") is EEXIST, unlink("link/")
    // ENOTDIR, rmdir("link/") ENOTDIR rather than removing the link's target).
    bool parent_walk = false;
};

struct Walked {
    Node parent = nullptr;  // the directory `last` was looked up in
    Node node = nullptr;    // what the path names; nullptr when `last` does not exist (creation)
    // The last name as the walk met it, inside the Scratch: the path's own, or a followed symlink
    // target's. "" for "/", and may be "." or ".." (which unlink, rmdir and rename refuse).
    StringView last;
    bool trailing_slash = false;  // '/' followed `last`: it must be, or be made, a directory
};

// Where the walk keeps the path and its symlink expansions: the text being walked in one half,
// the next expansion (a target and the rest of that text, below kPathMax together) in the other.
// 8 KiB, too much for a kernel stack: the caller allocates it. Walked::last points into it.
struct Scratch {
    char halves[2][kPathMax];
};

// Resolves `path`: from `root` when it starts with '/', from `start` (the cwd, or a dirfd's
// directory: ENOTDIR when it is not one) otherwise. ".." never climbs above `root`. Symlinks on
// the way are always followed, the last name's as `flags` say. `last` missing is no error
// (Walked::node is nullptr); a directory on the way missing is ENOENT. An empty path is ENOENT
// (the caller deals with AT_EMPTY_PATH first).
Result<Walked, Errno> walk(FileSystem& fs, Node root, Node start, StringView path, Flags flags,
                           Scratch& scratch);

}  // namespace keel::path
