// SPDX-License-Identifier: MIT
// The root file system at boot (fs::init): a tmpfs at "/", the initramfs unpacked into it by
// Linux's rules (lib/unpack.h: directories, files, symbolic links, device nodes and fifos, with
// their modes, owners and times; a hard-linked file's names share one inode), then /dev's nodes.
#include <keel/abi/errno.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/core/panic.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/procfs.h>
#include <keel/kernel/fs/tmpfs.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/lib/cpio.h>
#include <keel/lib/unpack.h>
#include <keel/mm/pages.h>

namespace keel::fs {
namespace {

Inode* inode(path::Node node) {
    return static_cast<Inode*>(node);
}

// The unpacker's view of the root tmpfs (lib/unpack.h).
class Unpacking final : public unpack::Tree {
public:
    path::FileSystem& names() override { return walker(); }
    uint32_t type(path::Node node) override { return inode(node)->mode & S_IFMT; }
    Result<path::Node, int> make(path::Node dir, StringView name,
                                 const cpio::Entry& entry) override {
        const auto made =
            (entry.mode & S_IFMT) == S_IFLNK
                ? inode(dir)->create_symlink(
                      name, StringView{reinterpret_cast<const char*>(entry.data), entry.size})
                : inode(dir)->create(name, entry.mode,
                                     device_number(entry.rdev_major, entry.rdev_minor));
        if (!made.ok()) return made.error();
        return static_cast<path::Node>(made.value());
    }
    int link(path::Node dir, StringView name, path::Node node) override {
        return inode(dir)->link(name, *inode(node));
    }
    int remove(path::Node dir, StringView name, path::Node node) override {
        if (inode(node)->has_entries()) return -ENOTEMPTY;
        return inode(dir)->unlink(name, *inode(node));
    }
    int write(path::Node file, const cpio::Entry& entry, bool truncate) override {
        if (truncate) {
            if (const int error = inode(file)->resize(0); error != 0) return error;
        }
        if (entry.size == 0) return 0;
        IoBuffer data = IoBuffer::kernel(const_cast<uint8_t*>(entry.data), entry.size);
        const int64_t written = inode(file)->write(0, data);
        if (written < 0) return static_cast<int>(written);
        return static_cast<uint64_t>(written) == entry.size ? 0 : -ENOSPC;
    }
    void set_attributes(path::Node node, const cpio::Entry& entry) override {
        Inode& made = *inode(node);
        made.uid = entry.uid;
        made.gid = entry.gid;
        if (!made.is_symlink()) made.mode = (made.mode & S_IFMT) | (entry.mode & 07777);
        made.mtime = made.atime = Time{static_cast<int64_t>(entry.mtime), 0};
    }
};

constexpr size_t kLinkedPages = 2;  // room for 340 hard-linked files

unpack::Counts unpack_archive(Inode* root, const cpio::Archive& archive) {
    Unpacking tree;
    const auto room = pages::allocate(1);  // order 1: kLinkedPages
    unpack::Counts counts;
    if (!room.ok()) {
        counts.refused = archive.count();
        return counts;
    }
    auto* linked = memlayout::to_pointer<unpack::Linked>(room.value());
    path::Scratch& scratch = walk_scratch();
    counts = unpack::unpack(archive, tree, root, linked,
                            kLinkedPages * 4096 / sizeof(unpack::Linked), scratch);
    pages::free(room.value(), 1);
    return counts;
}

// /proc, made where missing, with a proc mounted on it (as an init mounts it on Linux).
void mount_proc(Inode& root) {
    Inode* dir = root.lookup(StringView{"proc", 4});
    if (dir == nullptr) {
        const auto made = root.create(StringView{"proc", 4}, S_IFDIR | 0555, 0);
        if (!made.ok()) return;
        dir = made.value();
    }
    FileSystem* proc = make_procfs();
    if (proc != nullptr && mount(*dir, *proc) != 0) (void)release_procfs(*proc);
}

}  // namespace

Context init(const cpio::Archive* archive) {
    FsLock guard;
    // Linux's tmpfs default: at most half of RAM for file data.
    FileSystem* fs = make_tmpfs(pages::counters().total / 2, 0755);
    if (fs == nullptr) panic("no memory for the root file system");
    set_root(fs->root);
    unpack::Counts counts;
    if (archive != nullptr) counts = unpack_archive(fs->root, *archive);
    make_device_nodes(*fs->root);
    mount_proc(*fs->root);
    console::print(
        "rootfs: tmpfs at /, {} file{}, {} director{}, {} symlink{}, {} other node{} "
        "unpacked from the initramfs",
        counts.files, plural(counts.files), counts.directories,
        plural(counts.directories, "y", "ies"), counts.symlinks, plural(counts.symlinks),
        counts.others, plural(counts.others));
    if (counts.refused != 0)
        console::print("; {} entr{} refused", counts.refused, plural(counts.refused, "y", "ies"));
    console::print("\n");
    fs->root->get();  // the context's root
    fs->root->get();  // and working directory
    return Context{fs->root, fs->root, 022};
}

}  // namespace keel::fs
