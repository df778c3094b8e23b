// SPDX-License-Identifier: MIT
// Open regular files, directories and O_PATH files (include/keel/kernel/fs/regular.h).
#include <keel/abi/dirent.h>
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/pipe.h>
#include <keel/kernel/fs/regular.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/lib/memory.h>
#include <keel/lib/path_walk.h>

namespace keel::fs {
namespace {

class Regular final : public FileOps {
public:
    int64_t read(File& file, IoBuffer& buffer, uint64_t& offset) const override {
        FsLock guard;
        const int64_t n = file.inode->read(offset, buffer);
        if (n > 0) offset += static_cast<uint64_t>(n);
        return n;
    }
    int64_t write(File& file, IoBuffer& buffer, uint64_t& offset) const override {
        FsLock guard;
        // O_APPEND writes at the end, pwrite's offset or not (as Linux).
        if ((file.flags & O_APPEND) != 0) offset = file.inode->size;
        const int64_t n = file.inode->write(offset, buffer);
        if (n > 0) offset += static_cast<uint64_t>(n);
        return n;
    }
};

class Directory final : public FileOps {
public:
    int64_t read(File&, IoBuffer&, uint64_t&) const override { return -EISDIR; }
    int64_t write(File&, IoBuffer&, uint64_t&) const override { return -EISDIR; }
};

class PathOnly final : public FileOps {
public:
    int64_t read(File&, IoBuffer&, uint64_t&) const override { return -EBADF; }
    int64_t write(File&, IoBuffer&, uint64_t&) const override { return -EBADF; }
    int64_t ioctl(File&, uint64_t, uint64_t) const override { return -EBADF; }
};

constinit Regular g_regular;
constinit Directory g_directory;
constinit PathOnly g_path;

// A listing into a program's buffer: struct linux_dirent64 records, each 8-byte aligned.
class Records final : public DirectorySink {
public:
    explicit Records(IoBuffer& out) : out_(out) {}
    bool entry(StringView name, uint64_t inode, uint8_t type, uint64_t next) override {
        const uint64_t length = (19 + name.size + 1 + 7) & ~uint64_t{7};
        if (failed_) return false;
        if (written_ + length > out_.size()) {
            full_ = true;
            return false;
        }
        uint8_t record[(19 + path::kNameMax + 1 + 7) & ~size_t{7}] = {};
        memcpy(record, &inode, 8);
        memcpy(record + 8, &next, 8);
        record[16] = static_cast<uint8_t>(length);
        record[17] = static_cast<uint8_t>(length >> 8);
        record[18] = type;
        memcpy(record + 19, name.data, name.size);
        if (!out_.give(written_, record, length)) {
            failed_ = true;
            return false;
        }
        written_ += length;
        return true;
    }
    uint64_t written() const { return written_; }
    bool failed() const { return failed_; }
    bool full() const { return full_; }

private:
    IoBuffer& out_;
    uint64_t written_ = 0;
    bool failed_ = false;
    bool full_ = false;  // an entry did not fit
};

}  // namespace

const FileOps* ops_for(const Inode& inode) {
    switch (inode.type()) {
    case S_IFREG: return &g_regular;
    case S_IFDIR: return &g_directory;
    case S_IFCHR: return device_ops(inode.rdev);
    case S_IFIFO: return &fifo_ops();
    default: return nullptr;
    }
}

const FileOps& path_ops() {
    return g_path;
}

int64_t list_directory(File& file, IoBuffer& out) {
    FsLock guard;
    if (file.inode == nullptr || !file.inode->is_directory()) return -ENOTDIR;
    Records records(out);
    const int error = file.inode->list(file.offset, records);
    if (error != 0) return error;
    if (records.written() == 0) {
        if (records.failed()) return -EFAULT;
        if (records.full()) return -EINVAL;  // not even one record fits the buffer
    }
    return static_cast<int64_t>(records.written());
}

}  // namespace keel::fs
