// SPDX-License-Identifier: MIT
// The root file system at boot (fs::init): a tmpfs at "/", the initramfs unpacked into it as
// Linux's init/initramfs.c does (directories, files, symbolic links, device nodes and fifos, with
// their modes, owners and times; a hard-linked file's names share one inode), then /dev's nodes.
#include <keel/abi/errno.h>
#include <keel/core/console.h>
#include <keel/core/panic.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/tmpfs.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/lib/cpio.h>
#include <keel/mm/pages.h>

namespace keel::fs {
namespace {

struct Counts {
    size_t files = 0;
    size_t directories = 0;
    size_t links = 0;
    size_t others = 0;
    size_t failed = 0;
};

// Hard-linked files seen so far: (device, inode) in the archive -> the inode made for it.
struct Linked {
    uint32_t dev_major, dev_minor, ino;
    Inode* inode;
};
constexpr size_t kMaxLinked = 256;

// The directory `path`'s parent names, made where missing (archives need not list them), and
// the last component.
Inode* parent_of(Inode* root, StringView path, StringView& last) {
    Inode* dir = root;
    size_t start = 0;
    for (size_t i = 0; i <= path.size; ++i) {
        if (i < path.size && path.data[i] != '/') continue;
        const StringView part{path.data + start, i - start};
        start = i + 1;
        if (i == path.size) {
            last = part;
            return dir;
        }
        if (part.empty()) continue;
        Inode* next = dir->lookup(part);
        if (next == nullptr) {
            const auto made = dir->create(part, S_IFDIR | 0755, 0);
            if (!made.ok()) return nullptr;
            next = made.value();
        }
        if (!next->is_directory()) return nullptr;
        dir = next;
    }
    return dir;
}

// A regular file's data, written through an IoBuffer over the archive's bytes.
bool fill(Inode& file, const cpio::Entry& entry) {
    if (entry.size == 0) return true;
    IoBuffer data = IoBuffer::kernel(const_cast<uint8_t*>(entry.data), entry.size);
    return file.resize(0) == 0 && file.write(0, data) == static_cast<int64_t>(entry.size);
}

Inode* make_regular(Inode& dir, StringView name, const cpio::Entry& entry, Linked* linked,
                    size_t& linked_count) {
    for (size_t i = 0; entry.nlink > 1 && i < linked_count; ++i) {
        const Linked& l = linked[i];
        if (l.ino != entry.ino || l.dev_major != entry.dev_major || l.dev_minor != entry.dev_minor)
            continue;
        if (dir.link(name, *l.inode) != 0) return nullptr;
        return fill(*l.inode, entry) ? l.inode : nullptr;  // the data comes with the last name
    }
    const auto made = dir.create(name, entry.mode, 0);
    if (!made.ok()) return nullptr;
    if (entry.nlink > 1 && linked_count < kMaxLinked)
        linked[linked_count++] = Linked{entry.dev_major, entry.dev_minor, entry.ino, made.value()};
    return fill(*made.value(), entry) ? made.value() : nullptr;
}

Inode* make_entry(Inode& dir, StringView name, const cpio::Entry& entry, Linked* linked,
                  size_t& linked_count, Counts& counts) {
    const uint32_t type = entry.mode & S_IFMT;
    if (type == S_IFDIR) {
        ++counts.directories;
        if (Inode* existing = dir.lookup(name); existing != nullptr && existing->is_directory()) {
            existing->mode = entry.mode;
            return existing;
        }
        const auto made = dir.create(name, entry.mode, 0);
        return made.ok() ? made.value() : nullptr;
    }
    if (dir.lookup(name) != nullptr) return nullptr;  // a second entry of one name: the first stays
    if (type == S_IFREG) {
        ++counts.files;
        return make_regular(dir, name, entry, linked, linked_count);
    }
    if (type == S_IFLNK) {
        ++counts.links;
        const auto made = dir.create_symlink(
            name, StringView{reinterpret_cast<const char*>(entry.data), entry.size});
        return made.ok() ? made.value() : nullptr;
    }
    ++counts.others;  // devices, fifos, sockets: nodes only
    const auto made =
        dir.create(name, entry.mode, device_number(entry.rdev_major, entry.rdev_minor));
    return made.ok() ? made.value() : nullptr;
}

void unpack(Inode* root, const cpio::Archive& archive, Counts& counts) {
    Linked linked[kMaxLinked];
    size_t linked_count = 0;
    archive.for_each([&](const cpio::Entry& entry) {
        if (entry.name.empty()) return;  // "." : the root itself
        StringView last;
        Inode* dir = parent_of(root, entry.name, last);
        Inode* made = dir != nullptr && !last.empty()
                          ? make_entry(*dir, last, entry, linked, linked_count, counts)
                          : nullptr;
        if (made == nullptr) {
            ++counts.failed;
            return;
        }
        made->uid = entry.uid;
        made->gid = entry.gid;
        made->mode = (made->mode & S_IFMT) | (entry.mode & 07777);
        made->mtime = made->atime = made->ctime = Time{static_cast<int64_t>(entry.mtime), 0};
    });
}

}  // namespace

Context init(const cpio::Archive* archive) {
    FsLock guard;
    // Linux's tmpfs default: at most half of RAM for file data.
    FileSystem* fs = make_tmpfs(pages::counters().total / 2, 0755);
    if (fs == nullptr) panic("no memory for the root file system");
    set_root(fs->root);
    Counts counts;
    if (archive != nullptr) unpack(fs->root, *archive, counts);
    make_device_nodes(*fs->root);
    console::print(
        "rootfs: tmpfs at /, {} files, {} directories, {} symlinks, {} other nodes "
        "unpacked from the initramfs{}\n",
        counts.files, counts.directories, counts.links, counts.others,
        counts.failed != 0 ? " (some entries refused)" : "");
    fs->root->get();  // the context's root
    fs->root->get();  // and working directory
    return Context{fs->root, fs->root, 022};
}

}  // namespace keel::fs
