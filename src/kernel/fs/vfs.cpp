// SPDX-License-Identifier: MIT
// The VFS (include/keel/kernel/fs/vfs.h): the lock, the mount table, walking paths for processes.
#include <keel/abi/errno.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::fs {
namespace {

constinit sched::Mutex g_lock;
constinit Inode* g_root = nullptr;

struct Mount {
    Inode* at;
    FileSystem* fs;
};
constexpr size_t kMaxMounts = 16;
constinit Mount g_mounts[kMaxMounts] = {};
constinit size_t g_mount_count = 0;

// The lock's buffers: two user paths, two walks' scratch (the calls with two paths use both).
constinit char g_paths[2][path::kPathMax] = {};
constinit path::Scratch g_scratch[2] = {};

// What is seen at `inode`: the root of whatever is mounted there (mounts can stack).
Inode* crossed(Inode* inode) {
    while (inode != nullptr && inode->mounted != nullptr) inode = inode->mounted;
    return inode;
}

// The walk's view of keel's inodes (lib/path_walk.h).
class Walker final : public path::FileSystem {
public:
    path::Kind kind(path::Node node) override {
        const auto* inode = static_cast<Inode*>(node);
        if (inode->is_directory()) return path::Kind::kDirectory;
        return inode->is_symlink() ? path::Kind::kSymlink : path::Kind::kOther;
    }
    Result<path::Node, path::Errno> lookup(path::Node dir, StringView name) override {
        return static_cast<path::Node>(crossed(static_cast<Inode*>(dir)->lookup(name)));
    }
    path::Node parent(path::Node dir) override {
        auto* inode = static_cast<Inode*>(dir);
        // At a mounted file system's root, ".." is the parent of the directory it covers.
        while (inode->covered != nullptr && inode->parent() == inode) inode = inode->covered;
        return crossed(inode->parent());
    }
    Result<size_t, path::Errno> read_link(path::Node link, char* buffer, size_t capacity) override {
        const auto read = static_cast<Inode*>(link)->read_link(buffer, capacity);
        if (!read.ok()) return path::Errno::kEnoent;
        return read.value();
    }
};
constinit Walker g_walker;

}  // namespace

path::FileSystem& walker() {
    return g_walker;
}

path::Scratch& walk_scratch() {
    return g_scratch[0];
}

sched::Mutex& lock() {
    return g_lock;
}

Inode* root() {
    return g_root;
}

void set_root(Inode* inode) {
    g_root = inode;
}

Context Context::copy() const {
    FsLock guard;
    if (root != nullptr) root->get();
    if (cwd != nullptr) cwd->get();
    return *this;
}

void Context::release() {
    FsLock guard;
    if (root != nullptr) root->put();
    if (cwd != nullptr) cwd->put();
    root = cwd = nullptr;
}

int mount(Inode& at, FileSystem& fs) {
    if (!at.is_directory()) return -ENOTDIR;
    if (g_mount_count == kMaxMounts) return -ENOMEM;
    Inode* top = crossed(&at);
    top->mounted = fs.root;
    fs.root->covered = top;
    top->get();
    g_mounts[g_mount_count++] = Mount{&at, &fs};
    return 0;
}

Result<FileSystem*, int> detach_mount(Inode& top) {
    if (top.covered == nullptr || top.mounted != nullptr) return -EINVAL;
    for (size_t i = 0; i < g_mount_count; ++i) {
        FileSystem& fs = *g_mounts[i].fs;
        if (fs.root != &top) continue;
        top.covered->mounted = nullptr;
        top.covered->put();  // the mount's hold on the directory under it
        top.covered = nullptr;
        for (size_t j = i; j + 1 < g_mount_count; ++j) g_mounts[j] = g_mounts[j + 1];
        --g_mount_count;  // (the others kept in mount order)
        return &fs;
    }
    return -EINVAL;
}

void for_each_mount(void (*visit)(Inode& at, FileSystem& fs, void* context), void* context) {
    for (size_t i = 0; i < g_mount_count; ++i) visit(*g_mounts[i].at, *g_mounts[i].fs, context);
}

Result<StringView, int> user_path(uint64_t address, int slot) {
    char* buffer = g_paths[slot];
    // A byte at a time: a path may end right before a page the program has not mapped.
    for (size_t i = 0; i < path::kPathMax; ++i) {
        process::Process* p = process::current();
        if (!syscalls::copy_from_user(*p, buffer + i, address + i, 1)) return -EFAULT;
        if (buffer[i] == '\0') return StringView{buffer, i};
    }
    return -ENAMETOOLONG;
}

Result<Inode*, int> directory_of(const Context& context, const FdTable& fds, int dirfd) {
    if (dirfd == kAtFdcwd) return context.cwd;
    const File* file = fds.get(dirfd);
    if (file == nullptr) return -EBADF;
    if (file->inode == nullptr || !file->inode->is_directory()) return -ENOTDIR;
    return file->inode;
}

Result<path::Walked, int> walk(const Context& context, const FdTable& fds, int dirfd,
                               StringView path, path::Flags flags, int slot) {
    Inode* start = context.cwd;
    if (path.empty() || path.data[0] != '/') {
        const auto dir = directory_of(context, fds, dirfd);
        if (!dir.ok()) return dir.error();
        start = dir.value();
    }
    const auto walked = path::walk(g_walker, context.root, start, path, flags, g_scratch[slot]);
    if (!walked.ok()) return -static_cast<int>(walked.error());
    return walked.value();
}

Result<Inode*, int> walk_path(const Context& context, StringView path, bool follow) {
    if (path.empty()) return -ENOENT;
    const auto walked = path::walk(g_walker, context.root, context.cwd, path,
                                   path::Flags{follow, false}, g_scratch[0]);
    if (!walked.ok()) return -static_cast<int>(walked.error());
    if (walked.value().node == nullptr) return -ENOENT;
    return static_cast<Inode*>(walked.value().node);
}

int64_t path_of(const Context& context, Inode& dir, char* buffer, size_t capacity) {
    // Up through "..", each step's name found in its parent, written from the end backwards.
    size_t at = capacity;
    auto put = [&](const char* text, size_t length) {
        if (length > at) return false;
        at -= length;
        memcpy(buffer + at, text, length);
        return true;
    };
    if (!put("", 1)) return -ERANGE;
    Inode* here = crossed(&dir);
    if (here->nlink == 0) return -ENOENT;  // a removed working directory: Linux says so too
    while (here != context.root) {
        auto* parent = static_cast<Inode*>(g_walker.parent(here));
        if (parent == nullptr) return -ENOENT;
        if (parent == here) break;  // the top of the tree, outside the process's root
        struct Finder final : DirectorySink {
            Inode* wanted;
            Inode* parent;
            char name[path::kNameMax + 1];
            size_t length = 0;
            bool entry(StringView n, uint64_t, uint8_t, uint64_t) override {
                if (length == 0 && n.size <= path::kNameMax &&
                    crossed(parent->lookup(n)) == wanted && !n.equals(StringView{".", 1}) &&
                    !n.equals(StringView{"..", 2})) {
                    memcpy(name, n.data, n.size);
                    length = n.size;
                }
                return true;
            }
        } finder;
        finder.wanted = here;
        finder.parent = parent;
        uint64_t position = 0;
        (void)parent->list(position, finder);
        if (finder.length == 0 || !put(finder.name, finder.length) || !put("/", 1)) return -ERANGE;
        here = parent;
    }
    if (at == capacity - 1 && !put("/", 1)) return -ERANGE;
    const size_t length = capacity - at;
    memmove(buffer, buffer + at, length);
    return static_cast<int64_t>(length);
}

}  // namespace keel::fs
