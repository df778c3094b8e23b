// SPDX-License-Identifier: MIT
// tmpfs (include/keel/kernel/fs/tmpfs.h). Called with the file system lock held (fs/vfs.h).
#include <keel/abi/errno.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/fs/io.h>
#include <keel/kernel/fs/tmpfs.h>
#include <keel/lib/memory.h>
#include <keel/lib/path_walk.h>
#include <keel/mm/object_cache.h>
#include <keel/mm/page_index.h>
#include <keel/mm/pages.h>

namespace keel::fs {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kTmpfsMagic = 0x01021994;  // TMPFS_MAGIC (include/uapi/linux/magic.h)
constexpr size_t kInlineTarget = 48;          // symlink targets this short live in the inode
constexpr uint64_t kDirentSize = 20;  // a directory grows by this per name (BOGO_DIRENT_SIZE)
constexpr uint64_t kMaxSize = mm::PageIndex::kLimit * kPage;  // 512 GiB

class Tmpfs;

// One name in a directory. `cookie` orders a listing: it never changes while the entry lives,
// so a listing resumes after the entry it stopped at, whatever was removed meanwhile.
struct Entry {
    Entry* next = nullptr;
    Inode* inode = nullptr;
    uint64_t cookie = 0;
    uint16_t length = 0;
    char name[path::kNameMax + 1] = {};

    StringView view() const { return StringView{name, length}; }
};

uint64_t table_page(void*) {
    const auto page = pages::allocate(0);
    return page.ok() ? page.value() : 0;
}

void release_table_page(uint64_t physical, void*) {
    pages::free(physical, 0);
}

class TmpInode final : public Inode {
public:
    TmpInode(Tmpfs& fs, uint64_t ino, uint32_t mode);

    Inode* lookup(StringView name) override;
    Result<Inode*, int> create(StringView name, uint32_t mode, uint64_t rdev) override;
    Result<Inode*, int> create_symlink(StringView name, StringView target) override;
    int link(StringView name, Inode& target) override;
    int unlink(StringView name, Inode& child) override;
    int move(StringView name, Inode& to, StringView new_name) override;
    int list(uint64_t& position, DirectorySink& sink) override;
    bool has_entries() const override { return first_ != nullptr; }
    Inode* parent() override { return parent_ != nullptr ? parent_ : this; }
    int64_t read(uint64_t offset, IoBuffer& buffer) override;
    int64_t write(uint64_t offset, IoBuffer& buffer) override;
    int resize(uint64_t new_size) override;
    Result<size_t, int> read_link(char* buffer, size_t capacity) override;
    uint64_t pages() const override { return data_.count(); }
    int set_target(StringView target);

protected:
    void destroy() override;

private:
    Tmpfs& tmpfs() const;
    Entry* find(StringView name, Entry** before = nullptr) const;
    bool detach(StringView name, const Inode& child);
    int add(StringView name, Inode& inode);
    void touch();
    uint64_t page_for_write(uint64_t index, int& error);

    // Directories.
    Entry* first_ = nullptr;
    Entry* last_ = nullptr;
    uint64_t next_cookie_ = 2;  // 0 and 1 list "." and ".."
    TmpInode* parent_ = nullptr;
    // Regular files.
    mm::PageIndex data_{mm::PageSource{&table_page, nullptr, &release_table_page},
                        memlayout::kDirectMap};
    // Symbolic links.
    char inline_target_[kInlineTarget] = {};
    uint64_t target_page_ = 0;  // a page for a longer target
};

class Tmpfs final : public FileSystem {
public:
    Tmpfs(uint64_t device, uint64_t max_pages)
        : FileSystem("tmpfs", device, kTmpfsMagic), max_pages_(max_pages) {}
    // With no limit, statfs says 0 of each (as Linux's tmpfs).
    uint64_t total_blocks() const override { return max_pages_; }
    uint64_t free_blocks() const override { return max_pages_ != 0 ? max_pages_ - used_pages_ : 0; }
    // A data page, counted against the limit; 0 at the limit or with no page left.
    uint64_t take_page();
    void give_page(uint64_t physical);
    TmpInode* new_inode(uint32_t mode);

private:
    uint64_t max_pages_;
    uint64_t used_pages_ = 0;
    uint64_t next_ino_ = 1;
};

constinit mm::ObjectCache<TmpInode> g_inodes{"tmpfs inode"};
constinit mm::ObjectCache<Entry> g_entries{"tmpfs entry"};
constinit mm::ObjectCache<Tmpfs> g_instances{"tmpfs"};
constinit uint64_t g_next_device = 1;  // tmpfs instances are anonymous devices 0:N, as on Linux

uint64_t Tmpfs::take_page() {
    if (max_pages_ != 0 && used_pages_ >= max_pages_) return 0;
    const auto page = pages::allocate(0);
    if (!page.ok()) return 0;
    ++used_pages_;
    return page.value();
}

void Tmpfs::give_page(uint64_t physical) {
    pages::free(physical, 0);
    --used_pages_;
}

TmpInode* Tmpfs::new_inode(uint32_t mode) {
    TmpInode* inode = g_inodes.make(*this, next_ino_, mode);
    if (inode != nullptr) ++next_ino_;
    return inode;
}

TmpInode::TmpInode(Tmpfs& fs, uint64_t ino, uint32_t mode) : Inode(fs, ino, mode) {
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

int TmpInode::unlink(StringView name, Inode& child) {
    if (!detach(name, child)) return -ENOENT;
    if (child.is_directory()) {
        --nlink;          // its ".." is gone
        child.nlink = 0;  // and its "." with its name
    } else {
        --child.nlink;
    }
    child.ctime = clock::realtime();
    child.forget_if_unused();
    return 0;
}

int TmpInode::move(StringView name, Inode& to, StringView new_name) {
    Inode* child = lookup(name);
    if (child == nullptr) return -ENOENT;
    auto& target = static_cast<TmpInode&>(to);
    if (const int error = target.add(new_name, *child); error != 0) return error;
    (void)detach(name, *child);
    if (child->is_directory() && &target != this) {
        static_cast<TmpInode*>(child)->parent_ = &target;  // its ".." moves with it
        --nlink;
        ++target.nlink;
    }
    child->ctime = clock::realtime();
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

int64_t TmpInode::read(uint64_t offset, IoBuffer& buffer) {
    if (offset >= size) return 0;
    const uint64_t n = buffer.size() < size - offset ? buffer.size() : size - offset;
    uint64_t done = 0;
    while (done < n) {
        const uint64_t at = offset + done;
        const uint64_t in_page = at % kPage;
        const uint64_t chunk = kPage - in_page < n - done ? kPage - in_page : n - done;
        const uint64_t page = data_.get(at / kPage);
        const bool copied =
            page == 0 ? buffer.zero(done, chunk)
                      : buffer.give(done, memlayout::to_pointer<char>(page) + in_page, chunk);
        if (!copied) return partial(done, -EFAULT);
        done += chunk;
    }
    atime = clock::realtime();
    return static_cast<int64_t>(n);
}

uint64_t TmpInode::page_for_write(uint64_t index, int& error) {
    if (const uint64_t page = data_.get(index); page != 0) return page;
    const uint64_t page = tmpfs().take_page();
    if (page == 0) {
        error = -ENOSPC;
        return 0;
    }
    if (!data_.set(index, page).ok()) {
        tmpfs().give_page(page);
        error = -ENOSPC;
        return 0;
    }
    return page;
}

int64_t TmpInode::write(uint64_t offset, IoBuffer& buffer) {
    if (offset >= kMaxSize) return -EFBIG;
    const uint64_t n = buffer.size() < kMaxSize - offset ? buffer.size() : kMaxSize - offset;
    if (n == 0) return 0;  // nothing to write is no fault (as Linux: checked before the buffer)
    uint64_t done = 0;
    int error = -EFAULT;
    while (done < n) {
        const uint64_t at = offset + done;
        const uint64_t in_page = at % kPage;
        const uint64_t chunk = kPage - in_page < n - done ? kPage - in_page : n - done;
        const uint64_t page = page_for_write(at / kPage, error);
        if (page == 0 || !buffer.take(done, memlayout::to_pointer<char>(page) + in_page, chunk))
            break;
        done += chunk;
    }
    if (offset + done > size) size = offset + done;
    if (done != 0) touch();
    return partial(done, error);
}

int TmpInode::resize(uint64_t new_size) {
    if (new_size > kMaxSize) return -EFBIG;
    if (new_size < size) {
        // Whole pages past the end go back; the kept part of the last page is zeroed past it, so
        // that growing again reads zeros there.
        const uint64_t kept = (new_size + kPage - 1) / kPage;
        data_.truncate(
            kept, [](uint64_t page, void* fs) { static_cast<Tmpfs*>(fs)->give_page(page); },
            &tmpfs());
        if (new_size % kPage != 0) {
            if (const uint64_t page = data_.get(new_size / kPage); page != 0) {
                memset(memlayout::to_pointer<char>(page) + new_size % kPage, 0,
                       kPage - new_size % kPage);
            }
        }
    }
    size = new_size;
    touch();
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
    data_.truncate(
        0, [](uint64_t page, void* owner) { static_cast<Tmpfs*>(owner)->give_page(page); }, &fs);
    if (target_page_ != 0) fs.give_page(target_page_);
    while (first_ != nullptr) {  // a directory dies empty; a whole file system may not
        Entry* e = first_;
        first_ = e->next;
        g_entries.destroy(e);
    }
    g_inodes.destroy(this);
}

}  // namespace

FileSystem* make_tmpfs(uint64_t max_pages, uint32_t mode) {
    Tmpfs* fs = g_instances.make(device_number(0, static_cast<uint32_t>(g_next_device)), max_pages);
    if (fs == nullptr) return nullptr;
    TmpInode* root = fs->new_inode(S_IFDIR | (mode & 07777));
    if (root == nullptr) {
        g_instances.destroy(fs);
        return nullptr;
    }
    ++g_next_device;
    root->nlink = 2;
    root->get();  // the mount holds it
    fs->root = root;
    return fs;
}

void release_tmpfs(FileSystem& fs) {
    Inode* root = fs.root;
    root->nlink = 0;
    root->put();  // the mount's hold: the root goes
    g_instances.destroy(static_cast<Tmpfs*>(&fs));
}

}  // namespace keel::fs
