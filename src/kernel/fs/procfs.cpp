// SPDX-License-Identifier: MIT
// proc's tree (include/keel/kernel/fs/procfs.h): its directories and the inodes that stand for its
// files. The system files have inodes of their own; a process's directory, files and descriptor
// links get theirs from a small pool, found again by what they stand for (kind, pid, fd) and
// taken back, least recently used first, once nothing holds them.
#include <keel/abi/errno.h>
#include <keel/kernel/fs/io.h>
#include <keel/lib/memory.h>
#include <keel/lib/new.h>

#include "procfs_text.h"

namespace keel::fs {
namespace {

using proc::Kind;
using proc::Text;

constinit Text g_text;  // guarded by the file system lock, as every call here is

constexpr uint8_t kDtDir = 4;
constexpr uint8_t kDtReg = 8;
constexpr uint8_t kDtLnk = 10;

struct Name {
    const char* name;
    Kind kind;
};
constexpr Name kSystemNames[] = {
    {"self", Kind::kSelf},       {"meminfo", Kind::kMeminfo}, {"uptime", Kind::kUptime},
    {"loadavg", Kind::kLoadavg}, {"stat", Kind::kStat},       {"mounts", Kind::kMounts},
    {"cpuinfo", Kind::kCpuinfo}, {"version", Kind::kVersion}, {"filesystems", Kind::kFilesystems},
};
constexpr Name kProcessNames[] = {
    {"stat", Kind::kPidStat}, {"status", Kind::kPidStatus}, {"cmdline", Kind::kPidCmdline},
    {"comm", Kind::kPidComm}, {"exe", Kind::kPidExe},       {"cwd", Kind::kPidCwd},
    {"maps", Kind::kPidMaps}, {"mounts", Kind::kPidMounts}, {"fd", Kind::kPidFdDir},
};
constexpr size_t kSystemCount = sizeof kSystemNames / sizeof kSystemNames[0];
constexpr size_t kProcessCount = sizeof kProcessNames / sizeof kProcessNames[0];
constexpr uint64_t kPidCookie = 1000;  // the root's listing: pids from here on

bool is_process_kind(Kind kind) {
    return kind >= Kind::kPidDir;
}

uint32_t mode_of(Kind kind) {
    switch (kind) {
    case Kind::kRoot:
    case Kind::kPidDir: return S_IFDIR | 0555;
    case Kind::kPidFdDir: return S_IFDIR | 0500;
    case Kind::kSelf:
    case Kind::kPidExe:
    case Kind::kPidCwd: return S_IFLNK | 0777;
    case Kind::kPidFd: return S_IFLNK | 0700;
    default: return S_IFREG | 0444;
    }
}

uint8_t dirent_type(Kind kind) {
    const uint32_t type = mode_of(kind) & S_IFMT;
    return type == S_IFDIR ? kDtDir : type == S_IFLNK ? kDtLnk : kDtReg;
}

uint64_t ino_of(Kind kind, uint64_t pid, int fd) {
    const uint64_t k = static_cast<uint64_t>(kind);
    if (!is_process_kind(kind)) return 1 + k;
    const uint64_t base = 0x1000 + pid * 0x1000;
    return kind == Kind::kPidFd ? base + 0x40 + static_cast<uint64_t>(fd) : base + k;
}

// A decimal name as proc's directories take it: digits only, no leading zero (Linux's
// name_to_int); -1 otherwise.
int64_t parse_number(StringView name) {
    if (name.empty() || name.size > 9 || (name.data[0] == '0' && name.size > 1)) return -1;
    int64_t value = 0;
    for (size_t i = 0; i < name.size; ++i) {
        if (name.data[i] < '0' || name.data[i] > '9') return -1;
        value = value * 10 + (name.data[i] - '0');
    }
    return value;
}

class ProcFs;

class ProcInode final : public Inode {
public:
    ProcInode(ProcFs& fs, Kind kind, uint64_t pid, int fd);
    void assign(Kind kind, uint64_t pid, int fd);

    Inode* lookup(StringView name) override;
    int list(uint64_t& position, DirectorySink& sink) override;
    bool has_entries() const override { return true; }
    Inode* parent() override;
    int64_t read(uint64_t offset, IoBuffer& buffer) override;
    int64_t write(uint64_t, IoBuffer&) override { return -EIO; }
    Result<size_t, int> read_link(char* buffer, size_t capacity) override;

    Kind kind;
    uint64_t pid;
    int fd;
    uint64_t last_used = 0;
    bool live = false;

protected:
    void destroy() override {}  // never: its link stays (the instance owns it)

private:
    ProcFs& procfs() const;
    bool make_text();
    int list_root(uint64_t& position, DirectorySink& sink);
    int list_fds(uint64_t& position, DirectorySink& sink);
};

class ProcFs final : public FileSystem {
public:
    explicit ProcFs(uint64_t device);
    bool makes_names() const override { return false; }
    // The inode for (kind, pid, fd): the system file's own, or one from the pool.
    ProcInode* node(Kind kind, uint64_t pid = 0, int fd = -1);
    bool busy() const;

private:
    static constexpr size_t kPool = 128;  // open at once: more, and /proc's lookups say ENOENT
    alignas(ProcInode) unsigned char fixed_[static_cast<size_t>(Kind::kPidDir)][sizeof(ProcInode)];
    alignas(ProcInode) unsigned char pool_[kPool][sizeof(ProcInode)];
    uint64_t clock_ = 0;

    ProcInode& fixed(Kind kind) {
        return *reinterpret_cast<ProcInode*>(fixed_[static_cast<size_t>(kind)]);
    }
    ProcInode& pooled(size_t i) { return *reinterpret_cast<ProcInode*>(pool_[i]); }
    const ProcInode& pooled(size_t i) const {
        return *reinterpret_cast<const ProcInode*>(pool_[i]);
    }
};

ProcInode::ProcInode(ProcFs& fs, Kind kind, uint64_t pid, int fd)
    : Inode(fs, 0, 0), kind(kind), pid(pid), fd(fd) {
    assign(kind, pid, fd);
}

void ProcInode::assign(Kind new_kind, uint64_t new_pid, int new_fd) {
    kind = new_kind;
    pid = new_pid;
    fd = new_fd;
    ino = ino_of(kind, pid, fd);
    mode = kind == Kind::kPidFd ? proc::fd_link_mode(pid, fd) : mode_of(kind);
    nlink = is_directory() ? 2 : 1;
    size = kind == Kind::kPidFd ? 64 : 0;  // Linux's fd links say 64 bytes
    atime = mtime = ctime = clock::realtime();
    live = true;
}

ProcFs& ProcInode::procfs() const {
    return static_cast<ProcFs&>(fs());
}

ProcFs::ProcFs(uint64_t device) : FileSystem("proc", device, kProcSuperMagic) {
    for (size_t k = 0; k < static_cast<size_t>(Kind::kPidDir); ++k)
        new (fixed_[k]) ProcInode(*this, static_cast<Kind>(k), 0, -1);
    for (size_t i = 0; i < kPool; ++i) {
        new (pool_[i]) ProcInode(*this, Kind::kPidDir, 0, -1);
        pooled(i).live = false;
    }
    root = &fixed(Kind::kRoot);
}

ProcInode* ProcFs::node(Kind kind, uint64_t pid, int fd) {
    if (!is_process_kind(kind)) return &fixed(kind);
    ProcInode* victim = nullptr;
    for (size_t i = 0; i < kPool; ++i) {
        ProcInode& n = pooled(i);
        if (n.live && n.kind == kind && n.pid == pid && n.fd == fd) {
            n.last_used = ++clock_;
            if (kind == Kind::kPidFd) n.mode = proc::fd_link_mode(pid, fd);  // (reopened since?)
            return &n;
        }
        if (n.references != 0) continue;
        if (victim == nullptr || (victim->live && !n.live) ||
            (victim->live == n.live && n.last_used < victim->last_used))
            victim = &n;
    }
    if (victim == nullptr) return nullptr;  // every one is held (open): ENOENT
    victim->assign(kind, pid, fd);
    victim->last_used = ++clock_;
    return victim;
}

bool ProcFs::busy() const {
    for (size_t k = 0; k < static_cast<size_t>(Kind::kPidDir); ++k) {
        const auto& n = *reinterpret_cast<const ProcInode*>(fixed_[k]);
        // (the root: the mount's own hold)
        if (n.references > (static_cast<Kind>(k) == Kind::kRoot ? 1u : 0u)) return true;
    }
    for (size_t i = 0; i < kPool; ++i) {
        if (pooled(i).references != 0) return true;
    }
    return false;
}

Inode* ProcInode::lookup(StringView name) {
    if (kind == Kind::kRoot) {
        for (const Name& n : kSystemNames) {
            if (name.equals(StringView::of(n.name))) return procfs().node(n.kind);
        }
        const int64_t number = parse_number(name);
        if (number <= 0 || !proc::process_exists(static_cast<uint64_t>(number))) return nullptr;
        return procfs().node(Kind::kPidDir, static_cast<uint64_t>(number));
    }
    if (!proc::process_exists(pid)) return nullptr;
    if (kind == Kind::kPidDir) {
        for (const Name& n : kProcessNames) {
            if (name.equals(StringView::of(n.name))) return procfs().node(n.kind, pid);
        }
        return nullptr;
    }
    if (kind == Kind::kPidFdDir) {
        const int64_t number = parse_number(name);
        if (number < 0 || proc::next_fd(pid, static_cast<int>(number)) != number) return nullptr;
        return procfs().node(Kind::kPidFd, pid, static_cast<int>(number));
    }
    return nullptr;
}

// A process's directory may find no inode left in the pool (all held open): then the parent
// named is /proc's root, which is always there (a walk of ".." lands one level high, never on
// nothing).
Inode* ProcInode::parent() {
    ProcInode* up = nullptr;
    switch (kind) {
    case Kind::kRoot: return this;
    case Kind::kPidFd: up = procfs().node(Kind::kPidFdDir, pid); break;
    default:
        if (is_process_kind(kind) && kind != Kind::kPidDir) up = procfs().node(Kind::kPidDir, pid);
        break;
    }
    return up != nullptr ? up : procfs().root;
}

int ProcInode::list_root(uint64_t& position, DirectorySink& sink) {
    for (; position - 2 < kSystemCount; ++position) {
        const Name& n = kSystemNames[position - 2];
        if (!sink.entry(StringView::of(n.name), ino_of(n.kind, 0, -1), dirent_type(n.kind),
                        position + 1))
            return 0;
    }
    if (position < kPidCookie) position = kPidCookie;
    for (uint64_t pid = proc::next_pid(position - kPidCookie); pid != 0;
         pid = proc::next_pid(pid + 1)) {
        char name[24];
        const size_t length = format_to(name, sizeof name, "{}", pid);
        if (!sink.entry(StringView{name, length}, ino_of(Kind::kPidDir, pid, -1), kDtDir,
                        kPidCookie + pid + 1))
            return 0;
        position = kPidCookie + pid + 1;
    }
    return 0;
}

int ProcInode::list_fds(uint64_t& position, DirectorySink& sink) {
    for (int fd = proc::next_fd(pid, static_cast<int>(position - 2)); fd >= 0;
         fd = proc::next_fd(pid, fd + 1)) {
        char name[16];
        const size_t length = format_to(name, sizeof name, "{}", fd);
        if (!sink.entry(StringView{name, length}, ino_of(Kind::kPidFd, pid, fd), kDtLnk,
                        static_cast<uint64_t>(fd) + 3))
            return 0;
        position = static_cast<uint64_t>(fd) + 3;
    }
    return 0;
}

int ProcInode::list(uint64_t& position, DirectorySink& sink) {
    if (!is_directory()) return -ENOTDIR;
    if (kind != Kind::kRoot && !proc::process_exists(pid)) return -ENOENT;
    if (position == 0) {
        if (!sink.entry(StringView{".", 1}, ino, kDtDir, 1)) return 0;
        position = 1;
    }
    if (position == 1) {
        if (!sink.entry(StringView{"..", 2}, parent()->ino, kDtDir, 2)) return 0;
        position = 2;
    }
    if (kind == Kind::kRoot) return list_root(position, sink);
    if (kind == Kind::kPidFdDir) return list_fds(position, sink);
    for (; position - 2 < kProcessCount; ++position) {
        const Name& n = kProcessNames[position - 2];
        if (!sink.entry(StringView::of(n.name), ino_of(n.kind, pid, -1), dirent_type(n.kind),
                        position + 1))
            return 0;
    }
    return 0;
}

bool ProcInode::make_text() {
    g_text.clear();
    if (kind == Kind::kSelf) {
        const uint64_t caller = proc::caller_pid();
        if (caller == 0) return false;  // a kernel task has no process (Linux: ENOENT)
        g_text.add("{}", caller);
        return true;
    }
    if (is_process_kind(kind)) return proc::make_process_text(kind, pid, fd, g_text);
    proc::make_system_text(kind, g_text);
    return true;
}

int64_t ProcInode::read(uint64_t offset, IoBuffer& buffer) {
    if (is_directory()) return -EISDIR;
    if (!is_regular()) return -EINVAL;
    if (!make_text()) return is_process_kind(kind) ? -ESRCH : -ENOENT;
    if (offset >= g_text.size()) return 0;
    const uint64_t left = g_text.size() - offset;
    const uint64_t n = buffer.size() < left ? buffer.size() : left;
    if (!buffer.give(0, g_text.data() + offset, n)) return -EFAULT;
    return static_cast<int64_t>(n);
}

Result<size_t, int> ProcInode::read_link(char* buffer, size_t capacity) {
    if (!is_symlink()) return -EINVAL;
    if (!make_text()) return -ENOENT;
    memcpy(buffer, g_text.data(), g_text.size() < capacity ? g_text.size() : capacity);
    return g_text.size();
}

constexpr size_t kMaxInstances = 4;
alignas(ProcFs) constinit unsigned char g_instances[kMaxInstances][sizeof(ProcFs)] = {};
constinit bool g_used[kMaxInstances] = {};

}  // namespace

void proc::Text::add_bytes(const char* bytes, size_t n) {
    const size_t fits = n < room() ? n : room();
    memcpy(buffer_ + length_, bytes, fits);
    length_ += fits;
}

FileSystem* make_procfs() {
    for (size_t i = 0; i < kMaxInstances; ++i) {
        if (g_used[i]) continue;
        g_used[i] = true;
        // Anonymous devices 0:N, as Linux's proc (far from tmpfs's).
        auto* fs = new (g_instances[i]) ProcFs(device_number(0, static_cast<uint32_t>(200 + i)));
        fs->root->get();  // the mount holds it
        return fs;
    }
    return nullptr;
}

bool release_procfs(FileSystem& fs) {
    auto& instance = static_cast<ProcFs&>(fs);
    if (instance.busy()) return false;
    for (size_t i = 0; i < kMaxInstances; ++i) {
        if (reinterpret_cast<ProcFs*>(g_instances[i]) == &instance) g_used[i] = false;
    }
    return true;
}

}  // namespace keel::fs
