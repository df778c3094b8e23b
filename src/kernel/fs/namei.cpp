// SPDX-License-Identifier: MIT
// The calls that name files by path (include/keel/kernel/fs/namei.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/namei.h>
#include <keel/kernel/fs/regular.h>

namespace keel::fs {
namespace {

bool is_dot(StringView name) {
    return name.size == 1 && name.data[0] == '.';
}
bool is_dot_dot(StringView name) {
    return name.size == 2 && name.data[0] == '.' && name.data[1] == '.';
}
// A name that is no entry of its own: ".", "..", or "" (the path "/").
bool is_special(StringView name) {
    return name.empty() || is_dot(name) || is_dot_dot(name);
}
bool busy(const Inode& inode) {
    return inode.mounted != nullptr || inode.covered != nullptr || &inode == root();
}

// `path` from the program, walked from `at` (the lock held), into scratch `slot`.
Result<path::Walked, int> walk_user(At at, uint64_t path, bool follow, int slot) {
    const auto text = user_path(path, slot);
    if (!text.ok()) return text.error();
    if (text.value().empty()) return -ENOENT;
    return walk(at.context, at.fds, at.dirfd, text.value(), path::Flags{follow, false}, slot);
}

// For the calls that make or remove the last name: it is looked up, never followed, and a
// trailing slash is each call's to judge (Linux's filename_parentat).
Result<path::Walked, int> walk_parent(At at, uint64_t path, int slot) {
    const auto text = user_path(path, slot);
    if (!text.ok()) return text.error();
    if (text.value().empty()) return -ENOENT;
    return walk(at.context, at.fds, at.dirfd, text.value(), path::Flags{false, true}, slot);
}

Inode* node_of(const path::Walked& walked) {
    return static_cast<Inode*>(walked.node);
}
Inode* parent_of(const path::Walked& walked) {
    return static_cast<Inode*>(walked.parent);
}

// The file an O_CREAT open makes: a regular file in the walked parent.
Result<Inode*, int> create_file(At at, const path::Walked& walked, uint32_t mode) {
    if (walked.trailing_slash) return -EISDIR;
    Inode* parent = parent_of(walked);
    if (parent->nlink == 0) return -ENOENT;  // a removed directory takes no new names
    return parent->create(walked.last, S_IFREG | (mode & 07777 & ~at.context.umask), 0);
}

// An existing file opened with `flags`: the checks Linux makes, then O_TRUNC.
int check_open(Inode& node, uint32_t flags) {
    const uint32_t access = flags & O_ACCMODE;
    if ((flags & O_PATH) != 0)
        return (flags & O_DIRECTORY) != 0 && !node.is_directory() ? -ENOTDIR : 0;
    if (node.is_symlink()) return -ELOOP;  // O_NOFOLLOW met one
    if ((flags & O_DIRECTORY) != 0 && !node.is_directory()) return -ENOTDIR;
    if (node.is_directory() && (access != O_RDONLY || (flags & O_CREAT) != 0)) return -EISDIR;
    if ((flags & O_TRUNC) != 0 && node.is_regular()) return node.resize(0);
    return 0;
}

}  // namespace

Result<File*, int> open(At at, uint64_t path, uint32_t flags, uint32_t mode) {
    if ((flags & O_CREAT) != 0 && (flags & O_DIRECTORY) != 0) return -EINVAL;
    if ((flags & O_PATH) != 0) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    const bool exclusive = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
    FsLock guard;
    // O_CREAT|O_EXCL never follows a last symlink: whatever is there is in the way.
    const auto walked = walk_user(at, path, (flags & O_NOFOLLOW) == 0 && !exclusive, 0);
    if (!walked.ok()) return walked.error();
    Inode* node = node_of(walked.value());
    if (node == nullptr) {
        if ((flags & O_CREAT) == 0) return -ENOENT;
        const auto made = create_file(at, walked.value(), mode);
        if (!made.ok()) return made.error();
        node = made.value();
    } else if (exclusive) {
        return -EEXIST;
    } else if (const int error = check_open(*node, flags); error != 0) {
        return error;
    }
    const FileOps* ops = (flags & O_PATH) != 0 ? &path_ops() : ops_for(*node);
    if (ops == nullptr) return -ENXIO;  // a device keel does not have, a fifo, a socket
    // A 64-bit kernel opens every file O_LARGEFILE (fcntl F_GETFL shows it).
    File* file = open_file(
        node, *ops, (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE);
    if (file == nullptr) return -ENFILE;
    return file;
}

int make_node(At at, uint64_t path, uint32_t mode, uint64_t device) {
    uint32_t type = mode & S_IFMT;
    if (type == 0) type = S_IFREG;
    if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
        type != S_IFSOCK && type != S_IFDIR)
        return -EINVAL;
    FsLock guard;
    const auto walked = walk_parent(at, path, 0);
    if (!walked.ok()) return walked.error();
    if (node_of(walked.value()) != nullptr || is_special(walked.value().last)) return -EEXIST;
    if (walked.value().trailing_slash && type != S_IFDIR) return -ENOENT;
    Inode* parent = parent_of(walked.value());
    if (parent->nlink == 0) return -ENOENT;
    const uint32_t bits = mode & (type == S_IFDIR ? 01777 : 07777) & ~at.context.umask;
    const auto made = parent->create(walked.value().last, type | bits, device);
    return made.ok() ? 0 : made.error();
}

int make_directory(At at, uint64_t path, uint32_t mode) {
    return make_node(at, path, S_IFDIR | (mode & 01777), 0);
}

int remove(At at, uint64_t path, uint32_t flags) {
    if ((flags & ~uint32_t{AT_REMOVEDIR}) != 0) return -EINVAL;
    const bool directory = (flags & AT_REMOVEDIR) != 0;
    FsLock guard;
    const auto walked = walk_parent(at, path, 0);
    if (!walked.ok()) return walked.error();
    const StringView last = walked.value().last;
    Inode* node = node_of(walked.value());
    if (directory) {
        if (last.empty()) return -EBUSY;  // "/"
        if (is_dot(last)) return -EINVAL;
        if (is_dot_dot(last)) return -ENOTEMPTY;
        if (node == nullptr) return -ENOENT;
        if (!node->is_directory()) return -ENOTDIR;
        if (busy(*node)) return -EBUSY;
        if (node->has_entries()) return -ENOTEMPTY;
    } else {
        if (node == nullptr) return -ENOENT;
        if (node->is_directory()) return -EISDIR;
        if (walked.value().trailing_slash) return -ENOTDIR;  // "file/" names no directory
    }
    return parent_of(walked.value())->unlink(last, *node);
}

namespace {

// Whether `dir` is `ancestor` or lies under it.
bool under(Inode* dir, Inode* ancestor) {
    for (Inode* at = dir;; at = at->parent()) {
        if (at == ancestor) return true;
        if (at->parent() == at) return false;
    }
}

int check_rename(const path::Walked& from, const path::Walked& to, Inode* node, Inode* target,
                 uint32_t flags) {
    if (is_special(from.last) || is_special(to.last)) return -EBUSY;
    if (node == nullptr) return -ENOENT;
    if (&node->fs() != &parent_of(to)->fs()) return -EXDEV;
    if (busy(*node) || (target != nullptr && busy(*target))) return -EBUSY;
    if (node->is_directory() && under(parent_of(to), node)) return -EINVAL;
    if (parent_of(to)->nlink == 0) return -ENOENT;
    if (target == nullptr) return (to.trailing_slash && !node->is_directory()) ? -ENOTDIR : 0;
    if ((flags & RENAME_NOREPLACE) != 0) return -EEXIST;
    if (node->is_directory() && !target->is_directory()) return -ENOTDIR;
    if (!node->is_directory() && target->is_directory()) return -EISDIR;
    if (target->is_directory() && target->has_entries()) return -ENOTEMPTY;
    return 0;
}

}  // namespace

int rename(At from, uint64_t from_path, At to, uint64_t to_path, uint32_t flags) {
    if ((flags & ~uint32_t{RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT}) != 0)
        return -EINVAL;
    if ((flags & RENAME_NOREPLACE) != 0 && (flags & RENAME_EXCHANGE) != 0) return -EINVAL;
    if ((flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) return -EINVAL;  // not yet
    FsLock guard;
    const auto source = walk_parent(from, from_path, 0);
    if (!source.ok()) return source.error();
    const auto destination = walk_parent(to, to_path, 1);
    if (!destination.ok()) return destination.error();
    Inode* node = node_of(source.value());
    Inode* target = node_of(destination.value());
    if (node != nullptr && node == target) return 0;  // the same file: nothing to do
    if (const int error = check_rename(source.value(), destination.value(), node, target, flags);
        error != 0)
        return error;
    Inode* new_parent = parent_of(destination.value());
    if (target != nullptr) {
        target->get();  // the entry goes first; the inode may outlive it only as long as we look
        const int removed = new_parent->unlink(destination.value().last, *target);
        target->put();
        if (removed != 0) return removed;
    }
    return parent_of(source.value())
        ->move(source.value().last, *new_parent, destination.value().last);
}

int link(At from, uint64_t from_path, At to, uint64_t to_path, uint32_t flags) {
    if ((flags & ~uint32_t{AT_SYMLINK_FOLLOW | AT_EMPTY_PATH}) != 0) return -EINVAL;
    FsLock guard;
    const auto source = walk_user(from, from_path, (flags & AT_SYMLINK_FOLLOW) != 0, 0);
    if (!source.ok()) return source.error();
    Inode* node = node_of(source.value());
    if (node == nullptr) return -ENOENT;
    if (node->is_directory()) return -EPERM;
    const auto destination = walk_parent(to, to_path, 1);
    if (!destination.ok()) return destination.error();
    if (node_of(destination.value()) != nullptr || is_special(destination.value().last))
        return -EEXIST;
    Inode* parent = parent_of(destination.value());
    if (&parent->fs() != &node->fs()) return -EXDEV;
    if (parent->nlink == 0) return -ENOENT;
    return parent->link(destination.value().last, *node);
}

int symlink(uint64_t target, At at, uint64_t path) {
    FsLock guard;
    const auto text = user_path(target, 0);
    if (!text.ok()) return text.error();
    if (text.value().empty()) return -ENOENT;
    const auto walked = walk_parent(at, path, 1);
    if (!walked.ok()) return walked.error();
    if (node_of(walked.value()) != nullptr || is_special(walked.value().last)) return -EEXIST;
    Inode* parent = parent_of(walked.value());
    if (parent->nlink == 0) return -ENOENT;
    const auto made = parent->create_symlink(walked.value().last, text.value());
    return made.ok() ? 0 : made.error();
}

int64_t read_link(At at, uint64_t path, IoBuffer& out) {
    if (static_cast<int64_t>(out.size()) <= 0) return -EINVAL;
    FsLock guard;
    const auto walked = walk_user(at, path, false, 0);
    if (!walked.ok()) return walked.error();
    Inode* node = node_of(walked.value());
    if (node == nullptr) return -ENOENT;
    if (!node->is_symlink()) return -EINVAL;
    char target[path::kPathMax];
    const auto read = node->read_link(target, sizeof target);
    if (!read.ok()) return read.error();
    const uint64_t n = read.value() < out.size() ? read.value() : out.size();
    return out.give(0, target, n) ? static_cast<int64_t>(n) : -EFAULT;
}

int truncate(At at, uint64_t path, int64_t length) {
    if (length < 0) return -EINVAL;
    FsLock guard;
    const auto walked = walk_user(at, path, true, 0);
    if (!walked.ok()) return walked.error();
    Inode* node = node_of(walked.value());
    if (node == nullptr) return -ENOENT;
    if (node->is_directory()) return -EISDIR;
    if (!node->is_regular()) return -EINVAL;
    return node->resize(static_cast<uint64_t>(length));
}

int change_directory(Context& context, const FdTable& fds, uint64_t path) {
    FsLock guard;
    const auto walked = walk_user(At{context, fds, kAtFdcwd}, path, true, 0);
    if (!walked.ok()) return walked.error();
    Inode* node = node_of(walked.value());
    if (node == nullptr) return -ENOENT;
    if (!node->is_directory()) return -ENOTDIR;
    node->get();
    context.cwd->put();
    context.cwd = node;
    return 0;
}

int change_directory(Context& context, File& file) {
    FsLock guard;
    if (file.inode == nullptr || !file.inode->is_directory()) return -ENOTDIR;
    file.inode->get();
    context.cwd->put();
    context.cwd = file.inode;
    return 0;
}

}  // namespace keel::fs
