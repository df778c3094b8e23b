// SPDX-License-Identifier: MIT
// tmpfs (include/keel/kernel/fs/tmpfs.h), its names half: instances, inodes, directories and their
// entries, links; a regular file's data is tmpfs_data.cpp's. Called with the file system lock held
// (fs/vfs.h).
#include <keel/abi/errno.h>
#include <keel/kernel/fs/tmpfs.h>
#include <keel/lib/memory.h>
#include <keel/mm/object_cache.h>
#include <keel/mm/pages.h>

#include "tmpfs_inode.h"

namespace keel::fs {
namespace tmpfs {
namespace {

constexpr uint64_t kDirentSize = 20;  // a directory grows by this per name (BOGO_DIRENT_SIZE)

constinit mm::ObjectCache<TmpInode> g_inodes{"tmpfs inode"};
constinit mm::ObjectCache<Entry> g_entries{"tmpfs entry"};
constinit mm::ObjectCache<Tmpfs> g_instances{"tmpfs"};
constinit uint64_t g_next_device = 1;  // tmpfs instances are anonymous devices 0:N, as on Linux

}  // namespace

TmpInode* Tmpfs::new_inode(uint32_t mode) {
    TmpInode* inode = g_inodes.make(*this, next_ino_, mode);
    if (inode != nullptr) ++next_ino_;
    return inode;
}

TmpInode::TmpInode(Tmpfs& fs, uint64_t ino, uint32_t mode)
    : Inode(fs, ino, mode), data_(table_source(), memlayout::kDirectMap, data_owners(fs)) {
    atime = mtime = ctime = clock::realtime();
    if (is_directory()) size = 2 * kDirentSize;  // "." and ".."
}

Tmpfs& TmpInode::tmpfs() const {
    return static_cast<Tmpfs&>(fs());
}

void TmpInode::touch() {
    mtime = ctime = clock::realtime();
}

Entry* TmpInode::find(StringView name, Entry** before) const {
    Entry* previous = nullptr;
    for (Entry* e = first_; e != nullptr; previous = e, e = e->next) {
        if (e->view().equals(name)) {
            if (before != nullptr) *before = previous;
            return e;
        }
    }
    return nullptr;
}

Inode* TmpInode::lookup(StringView name) {
    const Entry* e = find(name);
    return e != nullptr ? e->inode : nullptr;
}

int TmpInode::add(StringView name, Inode& inode) {
    if (name.size > path::kNameMax) return -ENAMETOOLONG;
    Entry* e = g_entries.make();
    if (e == nullptr) return -ENOSPC;
    memcpy(e->name, name.data, name.size);
    e->length = static_cast<uint16_t>(name.size);
    e->inode = &inode;
    e->cookie = next_cookie_++;
    if (last_ != nullptr) {
        last_->next = e;
    } else {
        first_ = e;
    }
    last_ = e;
    size += kDirentSize;
    touch();
    return 0;
}

Result<Inode*, int> TmpInode::create(StringView name, uint32_t mode, uint64_t rdev) {
    TmpInode* child = tmpfs().new_inode(mode);
    if (child == nullptr) return -ENOSPC;
    child->rdev = rdev;
    child->nlink = child->is_directory() ? 2 : 1;
    if (const int error = add(name, *child); error != 0) {
        child->nlink = 0;
        child->forget_if_unused();
        return error;
    }
    if (child->is_directory()) {
        child->parent_ = this;
        ++nlink;
    }
    return static_cast<Inode*>(child);
}

int TmpInode::set_target(StringView target) {
    char* place = inline_target_;
    if (target.size > kInlineTarget) {
        target_page_ = tmpfs().take_page();
        if (target_page_ == 0) return -ENOSPC;
        place = memlayout::to_pointer<char>(target_page_);
    }
    memcpy(place, target.data, target.size);
    size = target.size;
    return 0;
}

Result<Inode*, int> TmpInode::create_symlink(StringView name, StringView target) {
    const auto made = create(name, S_IFLNK | 0777, 0);
    if (!made.ok()) return made;
    auto* link = static_cast<TmpInode*>(made.value());
    if (const int error = link->set_target(target); error != 0) {
        (void)unlink(name, *link);
        return error;
    }
    return made;
}

int TmpInode::link(StringView name, Inode& target) {
    if (const int error = add(name, target); error != 0) return error;
    ++target.nlink;
    target.ctime = clock::realtime();
    return 0;
}

// Takes the entry `name` (naming `child`) out of the list, changing no link count.
bool TmpInode::detach(StringView name, const Inode& child) {
    Entry* before = nullptr;
    Entry* e = find(name, &before);
    if (e == nullptr || e->inode != &child) return false;
    (before != nullptr ? before->next : first_) = e->next;
    if (last_ == e) last_ = before;
    g_entries.destroy(e);
    size -= kDirentSize;
    touch();
    return true;
}

// `child` has lost its name here: a link fewer (a directory, the last), gone if that was all.
void TmpInode::lose(Inode& child) {
    if (child.is_directory()) {
        --nlink;          // its ".." is gone
        child.nlink = 0;  // and its "." with its name
    } else {
        --child.nlink;
    }
    child.ctime = clock::realtime();
    child.forget_if_unused();
}

int TmpInode::unlink(StringView name, Inode& child) {
    if (!detach(name, child)) return -ENOENT;
    lose(child);
    return 0;
}

// What can fail (a whiteout's inode, a new entry) comes first: a failure changes nothing. The
// file in the way loses its name last, as Linux's shmem_rename2 has it.
int TmpInode::move(StringView name, Inode& to, StringView new_name, bool whiteout) {
    Entry* from = find(name);
    if (from == nullptr) return -ENOENT;
    Inode* child = from->inode;
    auto& target = static_cast<TmpInode&>(to);
    Entry* in_way = target.find(new_name);
    TmpInode* mark = whiteout ? tmpfs().new_inode(S_IFCHR) : nullptr;
    if (whiteout && mark == nullptr) return -ENOSPC;
    if (in_way == nullptr) {
        if (const int error = target.add(new_name, *child); error != 0) {
            if (mark != nullptr) mark->forget_if_unused();  // (no link yet)
            return error;
        }
    }
    Inode* replaced = in_way != nullptr ? in_way->inode : nullptr;
    if (in_way != nullptr) {
        in_way->inode = child;
        target.touch();
    }
    if (mark != nullptr) {
        mark->nlink = 1;
        from->inode = mark;
        touch();
    } else {
        (void)detach(name, *child);
    }
    if (child->is_directory() && &target != this) {
        static_cast<TmpInode*>(child)->parent_ = &target;  // its ".." moves with it
        --nlink;
        ++target.nlink;
    }
    child->ctime = clock::realtime();
    if (replaced != nullptr) target.lose(*replaced);
    return 0;
}

// Each entry names the other's file; a directory's ".." follows it to its new parent.
int TmpInode::exchange(StringView name, Inode& to, StringView other) {
    auto& target = static_cast<TmpInode&>(to);
    Entry* here = find(name);
    Entry* there = target.find(other);
    if (here == nullptr || there == nullptr) return -ENOENT;
    Inode* const mine = here->inode;
    here->inode = there->inode;
    there->inode = mine;
    if (&target != this) {
        Entry* const swapped[] = {here, there};
        for (Entry* e : swapped) {
            if (!e->inode->is_directory()) continue;
            auto* directory = static_cast<TmpInode*>(e->inode);
            TmpInode& parent = e == here ? *this : target;
            --directory->parent_->nlink;
            directory->parent_ = &parent;
            ++parent.nlink;
        }
    }
    touch();
    target.touch();
    here->inode->ctime = there->inode->ctime = clock::realtime();
    return 0;
}

int TmpInode::list(uint64_t& position, DirectorySink& sink) {
    if (!is_directory()) return -ENOTDIR;
    if (position == 0) {
        if (!sink.entry(StringView{".", 1}, ino, 4 /* DT_DIR */, 1)) return 0;
        position = 1;
    }
    if (position == 1) {
        if (!sink.entry(StringView{"..", 2}, parent()->ino, 4, 2)) return 0;
        position = 2;
    }
    for (const Entry* e = first_; e != nullptr; e = e->next) {
        if (e->cookie < position) continue;
        const uint8_t type =
            static_cast<uint8_t>((e->inode->mode & S_IFMT) >> 12);  // DT_* = S_IF* >> 12
        if (!sink.entry(e->view(), e->inode->ino, type, e->cookie + 1)) return 0;
        position = e->cookie + 1;
    }
    position = next_cookie_;
    return 0;
}

Result<size_t, int> TmpInode::read_link(char* buffer, size_t capacity) {
    if (!is_symlink()) return -EINVAL;
    const char* target =
        target_page_ != 0 ? memlayout::to_pointer<const char>(target_page_) : inline_target_;
    memcpy(buffer, target, size < capacity ? size : capacity);
    return static_cast<size_t>(size);
}

void TmpInode::destroy() {
    Tmpfs& fs = tmpfs();
    drop_data();
    if (target_page_ != 0) fs.give_page(target_page_);
    while (first_ != nullptr) {  // a directory dies empty; a whole file system may not
        Entry* e = first_;
        first_ = e->next;
        g_entries.destroy(e);
    }
    g_inodes.destroy(this);
}

}  // namespace tmpfs

using tmpfs::Tmpfs;
using tmpfs::TmpInode;

FileSystem* make_tmpfs(uint64_t max_pages, uint32_t mode) {
    Tmpfs* fs = tmpfs::g_instances.make(
        device_number(0, static_cast<uint32_t>(tmpfs::g_next_device)), max_pages);
    if (fs == nullptr) return nullptr;
    TmpInode* root = fs->new_inode(S_IFDIR | (mode & 07777));
    if (root == nullptr) {
        tmpfs::g_instances.destroy(fs);
        return nullptr;
    }
    ++tmpfs::g_next_device;
    root->nlink = 2;
    root->get();  // the mount holds it
    fs->root = root;
    return fs;
}

void release_tmpfs(FileSystem& fs) {
    Inode* root = fs.root;
    root->nlink = 0;
    root->put();  // the mount's hold: the root goes
    tmpfs::g_instances.destroy(static_cast<Tmpfs*>(&fs));
}

}  // namespace keel::fs
