// SPDX-License-Identifier: MIT
// The calls on open files: read and write in their forms (at the offset, at a given one, in
// vectors), lseek, getdents64, sendfile, ioctl, the sync calls, and the f* attribute calls. Each
// finds the open file by descriptor and leaves the rest to its ops (fs/file.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/termios.h>
#include <keel/abi/uio.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/fs/namei.h>
#include <keel/kernel/fs/regular.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using fs::File;
using fs::IoBuffer;
using process::Process;

constexpr uint64_t kMaxIov = 1024;  // UIO_MAXIOV

// The open file fd (a0) names: any for fstat and fstatfs (an O_PATH descriptor too), only one
// opened for I/O for everything else (an O_PATH one is EBADF there, as Linux's fdget).
File* any_file_of(Process& p, TrapFrame& frame) {
    return p.fds->get(int_arg(frame, 0));
}
File* file_of(Process& p, TrapFrame& frame) {
    File* file = any_file_of(p, frame);
    return file != nullptr && (file->flags & O_PATH) == 0 ? file : nullptr;
}

uint64_t clamp(uint64_t count) {
    return count > kMaxRwCount ? kMaxRwCount : count;
}

// The file's own read or write (fs/file.h's FileOps) of `buffer`, at `offset`.
int64_t through_ops(File& file, IoBuffer& buffer, uint64_t& offset, bool writing) {
    return writing ? file.ops->write(file, buffer, offset) : file.ops->read(file, buffer, offset);
}

// One read or write of the program's `count` bytes at `address` through `file`'s ops at `offset`
// (the file's own, or a given one), as Linux's vfs_read/vfs_write: the mode, then the whole
// range in user space, then at most MAX_RW_COUNT bytes.
int64_t transfer(File& file, uint64_t address, uint64_t count, uint64_t& offset, bool writing) {
    if (writing ? !file.writable() : !file.readable()) return -EBADF;
    if (!in_user_space(address, count)) return -EFAULT;
    IoBuffer buffer = IoBuffer::user(address, clamp(count));
    return through_ops(file, buffer, offset, writing);
}

int64_t simple(Process& p, TrapFrame& frame, bool writing) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    return transfer(*file, arg(frame, 1), arg(frame, 2), file->offset, writing);
}

// pread64, pwrite64: as Linux's ksys_pread64, a negative offset first, then the descriptor, then
// whether the file has offsets.
int64_t positional(Process& p, TrapFrame& frame, bool writing) {
    const auto at = static_cast<int64_t>(arg(frame, 3));
    if (at < 0) return -EINVAL;
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    if (!file->ops->seekable()) return -ESPIPE;
    uint64_t offset = static_cast<uint64_t>(at);
    return transfer(*file, arg(frame, 1), arg(frame, 2), offset, writing);
}

// The program's iovec array, in the kernel: up to 16 on the stack, more in pages of their own
// (Linux's iovstack and kmalloc); data() is nullptr when those cannot be had.
class Vectors {
public:
    explicit Vectors(uint64_t count) {
        if (count <= kOnStack) return;
        const uint64_t bytes = count * sizeof(iovec);
        while ((process::kPage << order_) < bytes) ++order_;
        const auto block = pages::allocate(order_, mm::Contents::kUninitialized);
        block_ = block.ok() ? block.value() : 0;
        data_ = block.ok() ? memlayout::to_pointer<iovec>(block_) : nullptr;
    }
    ~Vectors() {
        if (block_ != 0) pages::free(block_, order_);
    }
    Vectors(const Vectors&) = delete;
    Vectors& operator=(const Vectors&) = delete;
    iovec* data() { return data_; }

private:
    static constexpr uint64_t kOnStack = 16;
    iovec stack_[kOnStack];
    iovec* data_ = stack_;
    uint64_t block_ = 0;
    unsigned order_ = 0;
};

// Linux's import_iovec: the `count` vectors at `address` copied in one by one, each length below
// 2^63 (-EINVAL); then each range in user space (-EFAULT), the lengths cut so that all of them
// come to MAX_RW_COUNT at most. A single vector is cut before its range is checked (import_ubuf).
int64_t import_vectors(Process& p, uint64_t address, uint64_t count, iovec* vectors) {
    for (uint64_t i = 0; i < count; ++i) {
        if (!copy_from_user(p, &vectors[i], address + i * sizeof(iovec), sizeof(iovec)))
            return -EFAULT;
        if (vectors[i].iov_len > uint64_t{INT64_MAX}) return -EINVAL;
    }
    uint64_t total = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t length = count == 1 ? clamp(vectors[i].iov_len) : vectors[i].iov_len;
        if (!in_user_space(reinterpret_cast<uint64_t>(vectors[i].iov_base), length)) return -EFAULT;
        if (length > kMaxRwCount - total) length = kMaxRwCount - total;
        vectors[i].iov_len = length;
        total += length;
    }
    return 0;
}

// readv, writev, preadv, pwritev, as Linux's do_readv and do_preadv: the offset, the descriptor
// and its mode, the vectors; then one read or write over all of them (a pipe takes a writev of
// PIPE_BUF bytes whole, and a copy that meets a hole stops there, as for one buffer).
int64_t vectored(Process& p, TrapFrame& frame, bool writing, bool at_offset) {
    const auto at = static_cast<int64_t>(arg(frame, 3));
    if (at_offset && at < 0) return -EINVAL;
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    if (at_offset && !file->ops->seekable()) return -ESPIPE;
    if (writing ? !file->writable() : !file->readable()) return -EBADF;
    const uint64_t count = uint_arg(frame, 2);  // (an unsigned long, but import_iovec's is 32 bits)
    if (count > kMaxIov) return -EINVAL;
    Vectors vectors(count);
    if (vectors.data() == nullptr) return -ENOMEM;
    if (const int64_t error = import_vectors(p, arg(frame, 1), count, vectors.data()); error != 0)
        return error;
    IoBuffer buffer = IoBuffer::user_vectors(vectors.data(), count);
    if (buffer.size() == 0) return 0;
    uint64_t position = static_cast<uint64_t>(at);
    return through_ops(*file, buffer, at_offset ? position : file->offset, writing);
}

}  // namespace

int64_t sys_read(Process& p, TrapFrame& frame) {
    return simple(p, frame, false);
}
int64_t sys_write(Process& p, TrapFrame& frame) {
    return simple(p, frame, true);
}
int64_t sys_pread64(Process& p, TrapFrame& frame) {
    return positional(p, frame, false);
}
int64_t sys_pwrite64(Process& p, TrapFrame& frame) {
    return positional(p, frame, true);
}
int64_t sys_readv(Process& p, TrapFrame& frame) {
    return vectored(p, frame, false, false);
}
int64_t sys_writev(Process& p, TrapFrame& frame) {
    return vectored(p, frame, true, false);
}
int64_t sys_preadv(Process& p, TrapFrame& frame) {
    return vectored(p, frame, false, true);
}
int64_t sys_pwritev(Process& p, TrapFrame& frame) {
    return vectored(p, frame, true, true);
}

int64_t sys_lseek(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    if (!file->ops->seekable()) return -ESPIPE;
    const auto offset = static_cast<int64_t>(arg(frame, 1));
    const uint32_t whence = uint_arg(frame, 2);
    if (whence > SEEK_HOLE) return -EINVAL;  // (SEEK_MAX: checked before the file is asked)
    fs::FsLock guard;
    // A device's offset stays 0, whatever is asked (lseek on /dev/null says 0, as Linux).
    if (!file->inode->is_regular() && !file->inode->is_directory()) return 0;
    int64_t base = 0;
    if (whence == SEEK_CUR) {
        base = static_cast<int64_t>(file->offset);
    } else if (whence == SEEK_END && file->inode->is_regular()) {
        base = static_cast<int64_t>(file->inode->size);
    } else if (whence != SEEK_SET) {
        return -EINVAL;  // (a directory has no end to seek from, as tmpfs's on Linux)
    }
    int64_t position = 0;
    if (__builtin_add_overflow(base, offset, &position) || position < 0) return -EINVAL;
    file->offset = static_cast<uint64_t>(position);
    return position;
}

int64_t sys_getdents64(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    IoBuffer out = IoBuffer::user(arg(frame, 1), uint_arg(frame, 2));  // (count: unsigned int)
    return fs::list_directory(*file, out);
}

// sendfile(out, in, offset*, count): through a kernel buffer, a chunk at a time; from `*offset`
// (updated) when given, else from `in`'s offset.
int64_t sys_sendfile(Process& p, TrapFrame& frame) {
    File* out = p.fds->get(int_arg(frame, 0));
    File* in = p.fds->get(int_arg(frame, 1));
    if (out == nullptr || in == nullptr || !in->readable() || !out->writable()) return -EBADF;
    // As Linux's: it reads from what can be read at any offset (a file), never from a terminal or
    // a pipe (busybox's cat falls back to read and write).
    if (in->inode == nullptr || !in->inode->is_regular()) return -EINVAL;
    if ((out->flags & O_APPEND) != 0) return -EINVAL;
    uint64_t position = in->offset;
    const uint64_t offset_pointer = arg(frame, 2);
    if (offset_pointer != 0 && !copy_from_user(p, &position, offset_pointer, 8)) return -EFAULT;
    const uint64_t count = clamp(arg(frame, 3));
    char chunk[512];
    uint64_t done = 0;
    int64_t failure = 0;
    while (done < count) {
        const uint64_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
        IoBuffer into = IoBuffer::kernel(chunk, n);
        const int64_t got = in->ops->read(*in, into, position);
        if (got <= 0) {
            failure = got;
            break;
        }
        IoBuffer data = IoBuffer::kernel(chunk, static_cast<uint64_t>(got));
        const int64_t put = out->ops->write(*out, data, out->offset);
        if (put < 0) {
            failure = put;
            break;
        }
        done += static_cast<uint64_t>(put);
        if (put < got) break;
    }
    if (offset_pointer != 0) {
        if (!copy_to_user(p, offset_pointer, &position, 8)) return -EFAULT;
    } else {
        in->offset = position;
    }
    return done != 0 ? static_cast<int64_t>(done) : failure;
}

int64_t sys_ioctl(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    return file->ops->ioctl(*file, uint_arg(frame, 1), arg(frame, 2));
}

// Everything lives in memory: there is nothing to write back, only descriptors to check.
int64_t sys_fsync(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    return file->ops->seekable() ? 0 : -EINVAL;
}
int64_t sys_fdatasync(Process& p, TrapFrame& frame) {
    return sys_fsync(p, frame);
}
int64_t sys_syncfs(Process& p, TrapFrame& frame) {
    return file_of(p, frame) != nullptr ? 0 : -EBADF;
}
int64_t sys_sync(Process&, TrapFrame&) {
    return 0;
}

int64_t sys_ftruncate(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    const auto length = static_cast<int64_t>(arg(frame, 1));
    if (length < 0 || file->inode == nullptr || !file->inode->is_regular() || !file->writable())
        return -EINVAL;
    fs::FsLock guard;
    return file->inode->resize(static_cast<uint64_t>(length));
}

int64_t sys_fstat(Process& p, TrapFrame& frame) {
    File* file = any_file_of(p, frame);
    if (file == nullptr) return -EBADF;
    struct stat st;
    {
        fs::FsLock guard;
        file->inode->stat(st);
    }
    return copy_to_user(p, arg(frame, 1), &st, sizeof st) ? 0 : -EFAULT;
}

int64_t sys_fchmod(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    fs::FsLock guard;
    return fs::change_mode(*file->inode, uint_arg(frame, 1));
}

int64_t sys_fchown(Process& p, TrapFrame& frame) {
    File* file = file_of(p, frame);
    if (file == nullptr) return -EBADF;
    fs::FsLock guard;
    return fs::change_owner(*file->inode, uint_arg(frame, 1), uint_arg(frame, 2));
}

int64_t sys_fstatfs(Process& p, TrapFrame& frame) {
    File* file = any_file_of(p, frame);
    if (file == nullptr) return -EBADF;
    struct statfs st;
    {
        fs::FsLock guard;
        fs::file_system_stat(*file->inode, st);
    }
    return copy_to_user(p, arg(frame, 1), &st, sizeof st) ? 0 : -EFAULT;
}

}  // namespace keel::syscalls
