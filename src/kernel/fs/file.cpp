// SPDX-License-Identifier: MIT
// Open files and descriptor tables (include/keel/kernel/fs/file.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/lib/memory.h>
#include <keel/mm/object_cache.h>
#include <keel/mm/pages.h>

namespace keel::fs {
namespace {

constinit mm::ObjectCache<File> g_files{"open file"};

// The table is a little over 8 KiB: a block of 4 pages.
constexpr unsigned kTableOrder = 2;
static_assert(sizeof(FdTable) <= (mm::kPageSize << kTableOrder));

}  // namespace

int64_t FileOps::read(File&, IoBuffer&, uint64_t&) const {
    return -EINVAL;
}
int64_t FileOps::write(File&, IoBuffer&, uint64_t&) const {
    return -EINVAL;
}
unsigned FileOps::poll(File&) const {
    return kPollIn | kPollOut;
}
int64_t FileOps::ioctl(File&, uint64_t, uint64_t) const {
    return -ENOTTY;
}
void FileOps::release(File&) const {}

bool File::readable() const {
    return (flags & O_PATH) == 0 && (flags & O_ACCMODE) != O_WRONLY;
}

bool File::writable() const {
    return (flags & O_PATH) == 0 && (flags & O_ACCMODE) != O_RDONLY;
}

File* open_file(Inode* inode, const FileOps& ops, uint32_t flags) {
    File* file = g_files.make(inode, ops, flags);
    if (file != nullptr && inode != nullptr) inode->get();
    return file;
}

File* hold(File* file) {
    file->refs.fetch_add(1, MemoryOrder::kRelaxed);
    return file;
}

namespace {

// Files whose last reference a mapping let go of (drop_mapped), for release_dropped.
constinit Lock g_dropped_lock;
constinit File* g_dropped = nullptr;

// The last reference is gone: its ops' release, the inode's reference, the file.
void release(File* file, bool locked) {
    file->ops->release(*file);
    if (file->inode != nullptr) {
        if (locked) {
            file->inode->put();
        } else {
            FsLock guard;
            file->inode->put();
        }
    }
    g_files.destroy(file);
}

}  // namespace

void drop(File* file) {
    if (file == nullptr || file->refs.fetch_sub(1, MemoryOrder::kAcqRel) != 1) return;
    release(file, false);
}

void drop_locked(File* file) {
    if (file == nullptr || file->refs.fetch_sub(1, MemoryOrder::kAcqRel) != 1) return;
    release(file, true);
}

void drop_mapped(File* file) {
    if (file->refs.fetch_sub(1, MemoryOrder::kAcqRel) != 1) return;
    LockGuard<Lock> guard(g_dropped_lock, KEEL_HERE);
    file->next_dropped = g_dropped;
    g_dropped = file;
}

void release_dropped() {
    // Nearly always empty: a look without the lock first (a file put on meanwhile is the
    // putter's to release, which calls this too).
    if (__atomic_load_n(&g_dropped, __ATOMIC_ACQUIRE) == nullptr) return;
    for (;;) {
        File* file;
        {
            LockGuard<Lock> guard(g_dropped_lock, KEEL_HERE);
            file = g_dropped;
            if (file == nullptr) return;
            g_dropped = file->next_dropped;
        }
        release(file, false);
    }
}

FdTable* FdTable::make() {
    const auto block = pages::allocate(kTableOrder, mm::Contents::kUninitialized);
    if (!block.ok()) return nullptr;
    return new (memlayout::to_pointer<void>(block.value())) FdTable;
}

void FdTable::free() {
    for (int fd = 0; fd < used_; ++fd) (void)close(fd);
    pages::free(memlayout::to_physical(this), kTableOrder);
}

FdTable* FdTable::copy() const {
    FdTable* child = make();
    if (child == nullptr) return nullptr;
    for (int fd = 0; fd < used_; ++fd)
        child->files_[fd] = files_[fd] != nullptr ? hold(files_[fd]) : nullptr;
    child->used_ = used_;
    memcpy(child->cloexec_, cloexec_, sizeof cloexec_);
    return child;
}

void FdTable::use_through(int fd) {
    for (; used_ <= fd; ++used_) files_[used_] = nullptr;
}

File* FdTable::get(int fd) const {
    return fd >= 0 && fd < used_ ? files_[fd] : nullptr;
}

int FdTable::install(File* file, int from, bool close_on_exec) {
    for (int fd = from < 0 ? 0 : from; fd < kMax; ++fd) {
        if (get(fd) != nullptr) continue;
        use_through(fd);
        files_[fd] = file;
        set_close_on_exec(fd, close_on_exec);
        return fd;
    }
    drop(file);
    return -EMFILE;
}

void FdTable::replace(int fd, File* file, bool close_on_exec) {
    use_through(fd);
    File* old = files_[fd];
    files_[fd] = file;
    set_close_on_exec(fd, close_on_exec);
    drop(old);
}

int FdTable::close(int fd) {
    File* file = get(fd);
    if (file == nullptr) return -EBADF;
    files_[fd] = nullptr;
    set_close_on_exec(fd, false);
    drop(file);
    return 0;
}

bool FdTable::close_on_exec(int fd) const {
    return (cloexec_[fd / 64] >> (fd % 64) & 1) != 0;
}

void FdTable::set_close_on_exec(int fd, bool on) {
    const uint64_t bit = uint64_t{1} << (fd % 64);
    cloexec_[fd / 64] = on ? cloexec_[fd / 64] | bit : cloexec_[fd / 64] & ~bit;
}

void FdTable::close_marked() {
    for (int fd = 0; fd < used_; ++fd) {
        if (files_[fd] != nullptr && close_on_exec(fd)) (void)close(fd);
    }
}

int FdTable::count() const {
    int open = 0;
    for (int fd = 0; fd < used_; ++fd) open += files_[fd] != nullptr ? 1 : 0;
    return open;
}

int FdTable::end() const {
    for (int fd = used_; fd > 0; --fd) {
        if (files_[fd - 1] != nullptr) return fd;
    }
    return 0;
}

}  // namespace keel::fs
