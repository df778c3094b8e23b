// SPDX-License-Identifier: MIT
// openat, close, read, lseek, newfstatat/fstat, getdents64: files of the initramfs, read-only,
// and the console as fds 0-2. Paths are absolute or relative to "/" (the only directory a
// process is in).
#include <keel/core/console.h>
#include <keel/kernel/initramfs.h>
#include <keel/kernel/process.h>
#include <keel/kernel/syscall_calls.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::syscalls {
namespace {

using process::File;
using process::kMaxFiles;
using process::Process;

constexpr uint64_t kAccessMode = 3;        // O_ACCMODE; O_RDONLY is 0
constexpr uint64_t kCreate = 0100;         // O_CREAT
constexpr uint64_t kDirectory = 0200000;   // O_DIRECTORY
constexpr uint64_t kEmptyPath = 0x1000;    // AT_EMPTY_PATH
constexpr uint32_t kCharDevice = 0020000;  // S_IFCHR
constexpr size_t kNameMax = 255;           // NAME_MAX: the longest name in a directory

// A NUL-terminated string from user memory, at most `capacity` - 1 bytes: its length, or -errno.
int64_t copy_path(Process& p, char* to, size_t capacity, uint64_t from) {
    for (size_t i = 0; i < capacity; ++i) {
        if (!copy_from_user(p, to + i, from + i, 1)) return -kEfault;
        if (to[i] == '\0') return static_cast<int64_t>(i);
    }
    return -kEnametoolong;
}

File* file(Process& p, int64_t fd) {
    if (fd < 3 || fd >= kMaxFiles || !p.files[fd].open) return nullptr;
    return &p.files[fd];
}

// struct stat as asm-generic lays it out for riscv64 (128 bytes).
struct Stat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks;
    int64_t times[6];  // atime, mtime, ctime: seconds and nanoseconds
    uint32_t unused[2];
};
static_assert(sizeof(Stat) == 128, "struct stat on riscv64 is 128 bytes");

int64_t put_stat(Process& p, uint64_t to, uint32_t mode, uint64_t size, uint32_t inode) {
    Stat st{};
    st.dev = 1;
    st.ino = inode;
    st.mode = mode;
    st.nlink = 1;
    st.size = static_cast<int64_t>(size);
    st.blksize = 4096;
    st.blocks = static_cast<int64_t>((size + 511) / 512);
    return copy_to_user(p, to, &st, sizeof st) ? 0 : -kEfault;
}

}  // namespace

int64_t openat(Process& p, int64_t, uint64_t path, uint64_t flags) {
    char name[256];
    const int64_t length = copy_path(p, name, sizeof name, path);
    if (length < 0) return length;
    if (length == 0) return -kEnoent;  // "" names nothing (not the root directory)
    const cpio::Archive* archive = initramfs::archive();
    cpio::Entry entry;
    if (archive == nullptr || !archive->find(StringView{name, static_cast<size_t>(length)}, entry))
        return (flags & kCreate) != 0 ? -kErofs : -kEnoent;
    if ((flags & kAccessMode) != 0 || (flags & kCreate) != 0)
        return entry.is_directory() ? -kEisdir : -kErofs;
    if ((flags & kDirectory) != 0 && !entry.is_directory()) return -kEnotdir;
    for (int fd = 3; fd < kMaxFiles; ++fd) {
        File& f = p.files[fd];
        if (f.open) continue;
        f = File{};
        f.open = true;
        f.data = entry.data;
        f.size = entry.size;
        f.mode = entry.mode;
        f.inode = entry.ino;
        f.path = entry.name;
        return fd;
    }
    return -kEmfile;
}

int64_t close(Process& p, int64_t fd) {
    if (fd >= 0 && fd <= 2) return 0;  // the console stays
    File* f = file(p, fd);
    if (f == nullptr) return -kEbadf;
    f->open = false;
    return 0;
}

// A line typed at the console for the foreground program's job (any other reads end of file,
// and so does a reader whose job loses the console while it waits):
// echoed as it is typed, Backspace/DEL erase, Enter ends it ("\n" included), Ctrl-D alone is end
// of file. At most `count` bytes; the rest of a longer line waits for the next read.
int64_t read_console(Process& p, uint64_t buffer, uint64_t count) {
    if (count == 0 || !process::holds_console()) return 0;
    char line[256];
    size_t length = 0;
    const size_t limit = count < sizeof line ? count : sizeof line;
    // A bad buffer is refused before anything is typed (and lost) for it.
    if (!user_writable(p, buffer, limit)) return -kEfault;
    while (length < limit) {
        if (!process::holds_console()) break;  // the shell has it back: end of file
        const int byte = console::read_byte();
        if (byte < 0) {
            if (console::cancel_requested()) break;  // Ctrl-C: the shell kills the program
            console::wait_for_input();
            continue;
        }
        if (byte == 0x04 && length == 0) break;  // Ctrl-D: end of file
        if (byte == 0x7f || byte == '\b') {
            if (length > 0) {
                --length;
                console::print("\b \b");
                console::flush();
            }
            continue;
        }
        const char c = byte == '\r' ? '\n' : static_cast<char>(byte);
        if (c != '\n' && (c < ' ' || c > '~')) continue;  // other controls and non-ASCII dropped
        line[length++] = c;
        console::write(&c, 1);
        console::flush();
        if (c == '\n') break;
    }
    if (length != 0 && !copy_to_user(p, buffer, line, length)) return -kEfault;
    return static_cast<int64_t>(length);
}

int64_t read(Process& p, int64_t fd, uint64_t buffer, uint64_t count) {
    if (fd == 0) return read_console(p, buffer, count);
    File* f = file(p, fd);
    if (f == nullptr) return -kEbadf;
    if ((f->mode & cpio::kTypeMask) == cpio::kDirectory) return -kEisdir;
    const uint64_t left = f->offset < f->size ? f->size - f->offset : 0;
    const uint64_t n = count < left ? count : left;
    if (n != 0 && !copy_to_user(p, buffer, f->data + f->offset, n)) return -kEfault;
    f->offset += n;
    return static_cast<int64_t>(n);
}

int64_t lseek(Process& p, int64_t fd, int64_t offset, uint64_t whence) {
    if (fd >= 0 && fd <= 2) return -kEspipe;
    File* f = file(p, fd);
    if (f == nullptr) return -kEbadf;
    if ((f->mode & cpio::kTypeMask) == cpio::kDirectory) {
        // A directory's position is getdents64's d_off, the archive entry it looks at next:
        // rewinddir() seeks to 0, seekdir() to a d_off it was given.
        if (whence == 1 && offset == 0) return static_cast<int64_t>(f->entry);
        if (whence != 0 || offset < 0) return -kEinval;
        f->entry = static_cast<uint64_t>(offset);
        return offset;
    }
    int64_t base = 0;
    if (whence == 1)
        base = static_cast<int64_t>(f->offset);  // SEEK_CUR
    else if (whence == 2)
        base = static_cast<int64_t>(f->size);  // SEEK_END
    else if (whence != 0)
        return -kEinval;
    if (base + offset < 0) return -kEinval;
    f->offset = static_cast<uint64_t>(base + offset);
    return base + offset;
}

int64_t fstat(Process& p, int64_t fd, uint64_t stat) {
    if (fd >= 0 && fd <= 2) return put_stat(p, stat, kCharDevice | 0620, 0, 0);
    File* f = file(p, fd);
    if (f == nullptr) return -kEbadf;
    return put_stat(p, stat, f->mode, f->size, f->inode);
}

int64_t fstatat(Process& p, int64_t directory, uint64_t path, uint64_t stat, uint64_t flags) {
    char name[256];
    const int64_t length = copy_path(p, name, sizeof name, path);
    if (length < 0) return length;
    if (length == 0) return (flags & kEmptyPath) != 0 ? fstat(p, directory, stat) : -kEnoent;
    const cpio::Archive* archive = initramfs::archive();
    cpio::Entry entry;
    if (archive == nullptr || !archive->find(StringView{name, static_cast<size_t>(length)}, entry))
        return -kEnoent;
    return put_stat(p, stat, entry.mode, entry.size, entry.ino);
}

int64_t getdents64(Process& p, int64_t fd, uint64_t buffer, uint64_t size) {
    if (fd >= 0 && fd <= 2) return -kEnotdir;  // the console
    File* f = file(p, fd);
    if (f == nullptr) return -kEbadf;
    if ((f->mode & cpio::kTypeMask) != cpio::kDirectory) return -kEnotdir;
    const cpio::Archive* archive = initramfs::archive();
    const StringView dir = f->path;
    uint64_t written = 0;
    uint64_t index = 0;
    bool full = false;
    archive->for_each([&](const cpio::Entry& entry) {
        if (full || index++ < f->entry) return;
        // Children of `dir`: "dir/name" (or "name" for the root), no deeper.
        StringView rest = entry.name;
        if (!dir.empty()) {
            if (!rest.starts_with(dir) || rest.size <= dir.size || rest.data[dir.size] != '/') {
                ++f->entry;
                return;
            }
            rest = rest.after(dir.size + 1);
        }
        // Not a child, or a name longer than Linux's NAME_MAX, which no program could open.
        if (rest.empty() || memchr(rest.data, '/', rest.size) != nullptr || rest.size > kNameMax) {
            ++f->entry;
            return;
        }
        // struct linux_dirent64: ino, off, reclen (u16), type (u8), name + NUL, 8-aligned.
        const uint64_t length = (19 + rest.size + 1 + 7) & ~uint64_t{7};
        if (written + length > size) {
            full = true;
            return;
        }
        uint8_t record[(19 + kNameMax + 1 + 7) & ~size_t{7}] = {};
        static_assert(sizeof record >= 19 + kNameMax + 1, "the longest record fits");
        const uint64_t inode = entry.ino;
        const uint64_t next = f->entry + 1;
        memcpy(record, &inode, 8);
        memcpy(record + 8, &next, 8);
        record[16] = static_cast<uint8_t>(length);
        record[17] = static_cast<uint8_t>(length >> 8);
        record[18] = entry.is_directory() ? 4 : 8;  // DT_DIR, DT_REG
        memcpy(record + 19, rest.data, rest.size);
        if (!copy_to_user(p, buffer + written, record, length)) {
            full = true;
            written = written != 0 ? written : static_cast<uint64_t>(-kEfault);
            return;
        }
        written += length;
        ++f->entry;
    });
    if (full && written == 0) return -kEinval;  // as Linux: the buffer holds not even one entry
    return static_cast<int64_t>(written);
}

}  // namespace keel::syscalls
