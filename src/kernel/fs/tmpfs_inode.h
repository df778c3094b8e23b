// SPDX-License-Identifier: MIT
// tmpfs's inside (include/keel/kernel/fs/tmpfs.h): an instance and its inodes, shared by its names
// half (tmpfs.cpp: directories, links, instances) and its data half (tmpfs_data.cpp: a regular
// file's pages, read, written, resized and mapped). Private to src/kernel/fs.
//
// A regular file's pages are a FilePages (mm/file_pages.h), guarded by the file system lock for
// everything but a page fault's lookup, which may come from a program that holds no lock, or from
// a call that holds it already (a read() into a mapping): the instance's spinlock `cache` guards
// the index, and a change to a file's size, against both.
#pragma once
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/lock.h>
#include <keel/kernel/fs/inode.h>
#include <keel/lib/atomic.h>
#include <keel/lib/path_walk.h>
#include <keel/mm/file_pages.h>

namespace keel::fs::tmpfs {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kMaxSize = mm::PageIndex::kLimit * kPage;  // 512 GiB
constexpr size_t kInlineTarget = 48;  // symlink targets this short live in the inode

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

// Where a file's pages and their index's tables come from (tmpfs_data.cpp).
mm::PageSource table_source();
mm::PageOwners data_owners(Tmpfs& fs);

class TmpInode final : public Inode {
public:
    TmpInode(Tmpfs& fs, uint64_t ino, uint32_t mode);

    Inode* lookup(StringView name) override;
    Result<Inode*, int> create(StringView name, uint32_t mode, uint64_t rdev) override;
    Result<Inode*, int> create_symlink(StringView name, StringView target) override;
    int link(StringView name, Inode& target) override;
    int unlink(StringView name, Inode& child) override;
    int move(StringView name, Inode& to, StringView new_name, bool whiteout) override;
    int exchange(StringView name, Inode& to, StringView other) override;
    int list(uint64_t& position, DirectorySink& sink) override;
    bool has_entries() const override { return first_ != nullptr; }
    Inode* parent() override { return parent_ != nullptr ? parent_ : this; }
    int64_t read(uint64_t offset, IoBuffer& buffer) override;
    int64_t write(uint64_t offset, IoBuffer& buffer) override;
    int resize(uint64_t new_size) override;
    Result<uint64_t, int> map_page(uint64_t index) override;
    bool mappable() const override { return is_regular(); }
    Result<size_t, int> read_link(char* buffer, size_t capacity) override;
    uint64_t pages() const override { return data_.count(); }
    int set_target(StringView target);

protected:
    void destroy() override;

private:
    Tmpfs& tmpfs() const;
    Entry* find(StringView name, Entry** before = nullptr) const;
    bool detach(StringView name, const Inode& child);
    void lose(Inode& child);
    int add(StringView name, Inode& inode);
    void touch();
    uint64_t page_for_read(uint64_t index) const;
    uint64_t page_for_write(uint64_t index, int& error);
    void drop_data();

    // Directories.
    Entry* first_ = nullptr;
    Entry* last_ = nullptr;
    uint64_t next_cookie_ = 2;  // 0 and 1 list "." and ".."
    TmpInode* parent_ = nullptr;
    // Regular files.
    mm::FilePages data_;
    // Symbolic links.
    char inline_target_[kInlineTarget] = {};
    uint64_t target_page_ = 0;  // a page for a longer target
};

class Tmpfs final : public FileSystem {
public:
    static constexpr uint64_t kMagic = 0x01021994;  // TMPFS_MAGIC (include/uapi/linux/magic.h)

    Tmpfs(uint64_t device, uint64_t max_pages)
        : FileSystem("tmpfs", device, kMagic), max_pages_(max_pages) {}
    // With no limit, statfs says 0 of each (as Linux's tmpfs).
    uint64_t total_blocks() const override { return max_pages_; }
    uint64_t free_blocks() const override {
        return max_pages_ != 0 ? max_pages_ - used_pages_.load() : 0;
    }
    // A data page, counted against the limit; 0 at the limit or with no page left.
    uint64_t take_page();
    // The file's owner of a data page let go (the page goes with its last owner).
    void give_page(uint64_t physical);
    TmpInode* new_inode(uint32_t mode);

    // Guards every file's page index, and their sizes' changes (see the top of this file).
    Lock cache;

private:
    uint64_t max_pages_;
    Atomic<uint64_t> used_pages_{0};  // (a fault takes pages without the file system lock)
    uint64_t next_ino_ = 1;
};

}  // namespace keel::fs::tmpfs
