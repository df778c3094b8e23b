// SPDX-License-Identifier: MIT
// The calls that name files by path (include/keel/kernel/fs/namei.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/namei.h>
#include <keel/kernel/fs/pipe.h>
#include <keel/kernel/fs/regular.h>
#include <keel/lib/name_rules.h>

namespace keel::fs {
namespace {

bool busy(const Inode& inode) {
    return inode.mounted != nullptr || inode.covered != nullptr || &inode == root();
}

names::Type type_of(const Inode* inode) {
    if (inode == nullptr) return names::Type::kNone;
    if (inode->is_directory()) return names::Type::kDirectory;
    if (inode->is_regular()) return names::Type::kRegular;
    return inode->is_symlink() ? names::Type::kSymlink : names::Type::kOther;
}

// What the rules (lib/name_rules.h) need to know of a walked name.
names::Found found(const path::Walked& walked) {
    const auto* node = static_cast<const Inode*>(walked.node);
    const auto* parent = static_cast<const Inode*>(walked.parent);
    names::Found f;
    f.last = walked.last;
    f.trailing_slash = walked.trailing_slash;
    f.type = type_of(node);
    f.busy = node != nullptr && busy(*node);
    f.has_entries = node != nullptr && node->has_entries();
    f.parent_removed = parent != nullptr && parent->nlink == 0;
    f.fixed = parent != nullptr && !parent->fs().makes_names();
    return f;
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
    if (const int error = names::create_file(found(walked)); error != 0) return -error;
    return parent_of(walked)->create(walked.last, S_IFREG | (mode & 07777 & ~at.context.umask), 0);
}

// An existing file opened with `flags`: the checks Linux makes, then O_TRUNC.
int check_open(Inode& node, uint32_t flags) {
    names::OpenHow how;
    how.path_only = (flags & O_PATH) != 0;
    how.directory = (flags & O_DIRECTORY) != 0;
    how.create = (flags & O_CREAT) != 0;
    how.writes = (flags & O_ACCMODE) != O_RDONLY;
    if (const int error = names::open_existing(type_of(&node), how); error != 0) return -error;
    if (!how.path_only && (flags & O_TRUNC) != 0 && node.is_regular()) return node.resize(0);
    return 0;
}

// open(2) but for a FIFO's wait for a partner: the new open file, with the lock held.
Result<File*, int> open_locked(At at, uint64_t path, uint32_t flags, uint32_t mode) {
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
    if (ops == nullptr) return -ENXIO;  // a device keel does not have, a socket
    // A 64-bit kernel opens every file O_LARGEFILE (fcntl F_GETFL shows it).
    File* file = open_file(
        node, *ops, (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE);
    if (file == nullptr) return -ENFILE;
    return file;
}

}  // namespace

Result<File*, int> open(At at, uint64_t path, uint32_t flags, uint32_t mode) {
    if ((flags & O_CREAT) != 0 && (flags & O_DIRECTORY) != 0) return -EINVAL;
    if ((flags & O_PATH) != 0) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    const auto opened = open_locked(at, path, flags, mode);
    if (!opened.ok()) return opened;
    File* file = opened.value();
    // A FIFO's opener may wait for the other side (fifo(7)): never with the lock held.
    if ((flags & O_PATH) == 0 && file->inode->type() == S_IFIFO) {
        if (const int error = open_fifo(*file); error != 0) {
            drop(file);
            return error;
        }
    }
    return file;
}

namespace {

// A new name of `type` (S_IFMT bits) with permission `bits` (before the umask) at `path`.
int make(At at, uint64_t path, uint32_t type, uint32_t bits, uint64_t device) {
    FsLock guard;
    const auto walked = walk_parent(at, path, 0);
    if (!walked.ok()) return walked.error();
    const names::Type made_type = type == S_IFDIR ? names::Type::kDirectory : names::Type::kOther;
    if (const int error = names::make(found(walked.value()), made_type); error != 0) return -error;
    const auto made = parent_of(walked.value())
                          ->create(walked.value().last, type | (bits & ~at.context.umask), device);
    return made.ok() ? 0 : made.error();
}

}  // namespace

int make_node(At at, uint64_t path, uint32_t mode, uint64_t device) {
    // As Linux's may_mknod: the file kinds mknod makes (0: a regular file); a directory is
    // mkdir's (EPERM), anything else EINVAL.
    uint32_t type = mode & S_IFMT;
    if (type == 0) type = S_IFREG;
    if (type == S_IFDIR) return -EPERM;
    if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
        type != S_IFSOCK)
        return -EINVAL;
    return make(at, path, type, mode & 07777, device);
}

int make_directory(At at, uint64_t path, uint32_t mode) {
    return make(at, path, S_IFDIR, mode & 01777, 0);
}

int remove(At at, uint64_t path, uint32_t flags) {
    if ((flags & ~uint32_t{AT_REMOVEDIR}) != 0) return -EINVAL;
    const bool directory = (flags & AT_REMOVEDIR) != 0;
    FsLock guard;
    const auto walked = walk_parent(at, path, 0);
    if (!walked.ok()) return walked.error();
    if (const int error = names::remove(found(walked.value()), directory); error != 0)
        return -error;
    return parent_of(walked.value())->unlink(walked.value().last, *node_of(walked.value()));
}

namespace {

// Whether `dir` is `ancestor` or lies under it.
bool under(Inode* dir, Inode* ancestor) {
    for (Inode* at = dir;; at = at->parent()) {
        if (at == ancestor) return true;
        if (at->parent() == at) return false;
    }
}

int check_rename(const path::Walked& from, const path::Walked& to, uint32_t flags) {
    Inode* node = node_of(from);
    Inode* target = node_of(to);
    names::RenameHow how;
    how.same_file_system = &parent_of(from)->fs() == &parent_of(to)->fs();
    how.into_itself = node != nullptr && node->is_directory() && under(parent_of(to), node);
    how.no_replace = (flags & RENAME_NOREPLACE) != 0;
    how.exchange = (flags & RENAME_EXCHANGE) != 0;
    how.holds_source =
        target != nullptr && target->is_directory() && under(parent_of(from), target);
    how.same_file = node != nullptr && node == target;
    return -names::rename(found(from), found(to), how);
}

}  // namespace

int rename(At from, uint64_t from_path, At to, uint64_t to_path, uint32_t flags) {
    if ((flags & ~uint32_t{RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT}) != 0)
        return -EINVAL;
    if ((flags & RENAME_EXCHANGE) != 0 && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0)
        return -EINVAL;
    FsLock guard;
    const auto source = walk_parent(from, from_path, 0);
    if (!source.ok()) return source.error();
    const auto destination = walk_parent(to, to_path, 1);
    if (!destination.ok()) return destination.error();
    if (const int error = check_rename(source.value(), destination.value(), flags); error != 0)
        return error;
    if (node_of(source.value()) == node_of(destination.value())) return 0;  // one file, two names
    Inode* old_parent = parent_of(source.value());
    Inode* new_parent = parent_of(destination.value());
    const StringView name = source.value().last;
    const StringView new_name = destination.value().last;
    if ((flags & RENAME_EXCHANGE) != 0) return old_parent->exchange(name, *new_parent, new_name);
    return old_parent->move(name, *new_parent, new_name, (flags & RENAME_WHITEOUT) != 0);
}

int link(At from, uint64_t from_path, At to, uint64_t to_path, uint32_t flags) {
    if ((flags & ~uint32_t{AT_SYMLINK_FOLLOW | AT_EMPTY_PATH}) != 0) return -EINVAL;
    FsLock guard;
    // The existing file: a path (its last symlink followed with AT_SYMLINK_FOLLOW only), or with
    // AT_EMPTY_PATH the dirfd's own file, which must still have a name (ENOENT, as Linux).
    const uint32_t how =
        (flags & AT_EMPTY_PATH) | ((flags & AT_SYMLINK_FOLLOW) != 0 ? 0 : AT_SYMLINK_NOFOLLOW);
    const auto source = resolve(from, from_path, how);
    if (!source.ok()) return source.error();
    Inode* node = source.value();
    const auto destination = walk_parent(to, to_path, 1);
    if (!destination.ok()) return destination.error();
    // In Linux's order: the new name (filename_create, which takes no trailing slash for a link,
    // whatever the file), the mounts, then the file (vfs_link).
    if (const int error = names::make(found(destination.value()), names::Type::kRegular);
        error != 0)
        return -error;
    Inode* parent = parent_of(destination.value());
    if (&parent->fs() != &node->fs()) return -EXDEV;
    if (const int error = names::link_source(type_of(node)); error != 0) return -error;
    if (node->nlink == 0) return -ENOENT;
    return parent->link(destination.value().last, *node);
}

int symlink(uint64_t target, At at, uint64_t path) {
    FsLock guard;
    const auto text = user_path(target, 0);
    if (!text.ok()) return text.error();
    if (text.value().empty()) return -ENOENT;
    const auto walked = walk_parent(at, path, 1);
    if (!walked.ok()) return walked.error();
    if (const int error = names::make(found(walked.value()), names::Type::kSymlink); error != 0)
        return -error;
    const auto made = parent_of(walked.value())->create_symlink(walked.value().last, text.value());
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
