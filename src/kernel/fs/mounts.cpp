// SPDX-License-Identifier: MIT
// mount(2) and umount2(2) (include/keel/kernel/fs/mounts.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/kernel/fs/mounts.h>
#include <keel/kernel/fs/procfs.h>
#include <keel/kernel/fs/tmpfs.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>
#include <keel/lib/tmpfs_options.h>
#include <keel/mm/pages.h>

namespace keel::fs {
namespace {

// mount(2)'s flags (include/uapi/linux/mount.h).
constexpr uint64_t kMsRemount = 32;
constexpr uint64_t kMsBind = 4096;
constexpr uint64_t kMsMove = 8192;
constexpr uint64_t kMsPropagation = (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20);
// umount2's.
constexpr uint32_t kMntForce = 1;
constexpr uint32_t kMntDetach = 2;
constexpr uint32_t kMntExpire = 4;
constexpr uint32_t kUmountNofollow = 8;

// A directory's first entry (but "." and ".."): its name and inode.
struct Entry {
    char name[path::kNameMax + 1];
    size_t length = 0;
    Inode* child = nullptr;
    StringView view() const { return StringView{name, length}; }
};

class FirstEntry final : public DirectorySink {
public:
    FirstEntry(Inode& dir, Entry& out) : dir_(dir), out_(out) {}
    bool entry(StringView name, uint64_t, uint8_t, uint64_t) override {
        if (name.equals(StringView{".", 1}) || name.equals(StringView{"..", 2})) return true;
        memcpy(out_.name, name.data, name.size);
        out_.length = name.size;
        out_.child = dir_.lookup(name);
        return false;
    }

private:
    Inode& dir_;
    Entry& out_;
};

bool first_entry(Inode& dir, Entry& out) {
    out.child = nullptr;
    FirstEntry sink(dir, out);
    uint64_t position = 0;
    (void)dir.list(position, sink);
    return out.child != nullptr;
}

// Whether anything in the file system under `root` is held: open, a working directory, a mount
// point (the root's own hold by its mount aside). Directories past kMaxPending count as held.
bool in_use(Inode& root) {
    if (root.references > 1 || root.mounted != nullptr) return true;
    constexpr size_t kMaxPending = 64;
    Inode* pending[kMaxPending];
    size_t count = 0;
    pending[count++] = &root;
    struct Check final : DirectorySink {
        Inode* dir = nullptr;
        Inode** pending = nullptr;
        size_t* count = nullptr;
        bool held = false;
        bool entry(StringView name, uint64_t, uint8_t, uint64_t) override {
            if (name.equals(StringView{".", 1}) || name.equals(StringView{"..", 2})) return true;
            Inode* child = dir->lookup(name);
            if (child == nullptr) return true;
            if (child->references != 0 || child->mounted != nullptr) held = true;
            if (child->is_directory()) {
                if (*count == kMaxPending) held = true;
                if (!held) pending[(*count)++] = child;
            }
            return !held;
        }
    };
    while (count != 0) {
        Check check;
        check.dir = pending[--count];
        check.pending = pending;
        check.count = &count;
        uint64_t position = 0;
        (void)check.dir->list(position, check);
        if (check.held) return true;
    }
    return false;
}

// Every file under `root` unlinked (their pages go back), deepest first.
void empty(Inode& root) {
    Entry e;
    while (first_entry(root, e)) {
        Inode* dir = &root;
        while (e.child->is_directory() && e.child->has_entries()) {
            dir = e.child;
            if (!first_entry(*dir, e)) break;
        }
        (void)dir->unlink(e.view(), *e.child);
    }
}

// mount(2)'s data, with the lock held: up to a page of it (Linux's copy_mount_options), to its
// NUL or to where the program's memory ends; -EFAULT when not even its first byte can be read.
constinit char g_data[4096] = {};

Result<StringView, int> copy_data(uint64_t address) {
    if (address == 0) return StringView{};
    process::Process* p = process::current();
    size_t length = 0;
    for (; length < sizeof g_data; ++length) {
        if (!syscalls::copy_from_user(*p, g_data + length, address + length, 1)) {
            if (length == 0) return -EFAULT;
            break;
        }
        if (g_data[length] == '\0') break;
    }
    return StringView{g_data, length};
}

// A tmpfs as `data` asks (lib/tmpfs_options.h): by default half of RAM, its root sticky and
// writable by all, as Linux's. -EINVAL for an option it does not know or a bad value.
Result<FileSystem*, int> make_tmpfs_from(StringView data) {
    const uint64_t ram = pages::counters().total;
    tmpfs_options::Options options;
    options.max_pages = ram / 2;
    if (!tmpfs_options::parse(data, ram, options)) return -EINVAL;
    FileSystem* fs = make_tmpfs(options.max_pages, options.mode);
    if (fs == nullptr) return -ENOMEM;
    fs->root->uid = options.uid;
    fs->root->gid = options.gid;
    return fs;
}

Result<FileSystem*, int> make(StringView type, StringView data) {
    if (type.equals(StringView{"tmpfs", 5})) return make_tmpfs_from(data);
    if (!type.equals(StringView{"proc", 4})) return -ENODEV;
    FileSystem* fs = make_procfs();
    if (fs == nullptr) return -ENOMEM;
    return fs;
}

}  // namespace

int mount(At at, uint64_t, uint64_t target, uint64_t type, uint64_t flags, uint64_t data) {
    FsLock guard;
    StringView type_name;
    StringView options;
    if ((flags & (kMsRemount | kMsBind | kMsMove | kMsPropagation)) == 0) {
        const auto copied = user_path(type, 1);  // (the type's bytes, a path's rules)
        if (!copied.ok()) return copied.error() == -ENAMETOOLONG ? -ENODEV : copied.error();
        type_name = copied.value();
        const auto copied_data = copy_data(data);
        if (!copied_data.ok()) return copied_data.error();
        options = copied_data.value();
    }
    const auto found = resolve(at, target, 0);
    if (!found.ok()) return found.error();
    Inode& dir = *found.value();
    if ((flags & (kMsBind | kMsMove)) != 0) return -EINVAL;  // keel has neither
    // A remount or a change of propagation changes nothing keel has: a mount point is all it
    // takes.
    if ((flags & (kMsRemount | kMsPropagation)) != 0) return dir.covered != nullptr ? 0 : -EINVAL;
    const auto made = make(type_name, options);
    if (!made.ok()) return made.error();
    FileSystem& fs = *made.value();
    int error = !dir.is_directory() ? -ENOTDIR : 0;
    if (error == 0 && dir.fs().magic() == kProcSuperMagic) error = -EPERM;  // (proc's are made)
    if (error == 0) error = fs::mount(dir, fs);
    if (error == 0) return 0;
    if (fs.magic() == kProcSuperMagic) {
        (void)release_procfs(fs);
    } else {
        empty(*fs.root);
        release_tmpfs(fs);
    }
    return error;
}

int unmount(At at, uint64_t target, uint32_t flags) {
    if ((flags & ~(kMntForce | kMntDetach | kMntExpire | kUmountNofollow)) != 0) return -EINVAL;
    if ((flags & kMntExpire) != 0 && (flags & (kMntForce | kMntDetach)) != 0) return -EINVAL;
    FsLock guard;
    const auto found =
        resolve(at, target, (flags & kUmountNofollow) != 0 ? AT_SYMLINK_NOFOLLOW : 0);
    if (!found.ok()) return found.error();
    Inode& top = *found.value();
    if (&top == root() || &top == at.context.root) return -EBUSY;
    if (top.covered == nullptr) return -EINVAL;  // no mount point
    const bool is_proc = top.fs().magic() == kProcSuperMagic;
    if (is_proc ? false : in_use(top)) return -EBUSY;
    FileSystem& fs = top.fs();
    if (is_proc && !release_procfs(fs)) return -EBUSY;
    const auto detached = detach_mount(top);
    if (!detached.ok()) return detached.error();
    if (!is_proc) {
        empty(top);
        release_tmpfs(fs);
    }
    return 0;
}

}  // namespace keel::fs
