// SPDX-License-Identifier: MIT
// proc's files of a process (proc(5)): stat, status, cmdline, comm, and the links exe, cwd and
// fd/N (maps is procfs_maps.cpp's). What they say is read under the process lock (a snapshot), the
// text made after; what they say of its memory, under its space's lock too (its owner changes it
// meanwhile).
#include <keel/abi/signal.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/cpu_time.h>
#include <keel/kernel/fs/pipe.h>
#include <keel/kernel/fs/tty.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/task.h>
#include <keel/lib/memory.h>

#include "procfs_text.h"

namespace keel::fs::proc {
namespace {

using process::Process;

char state_letter(const Process& p) {
    if (p.life == process::Life::kZombie) return 'Z';
    if (p.life == process::Life::kStopped) return 'T';
    if (p.task == nullptr) return 'Z';
    switch (p.task->state) {
    case sched::TaskState::kRunning:
    case sched::TaskState::kRunnable: return 'R';
    default: return 'S';
    }
}

const char* state_name(char letter) {
    switch (letter) {
    case 'R': return "R (running)";
    case 'T': return "T (stopped)";
    case 'Z': return "Z (zombie)";
    default: return "S (sleeping)";
    }
}

// Copies [address, address + n) of `space` (not the caller's, perhaps) into `out`: pages it has
// not brought in read as zeros.
void read_memory(const process::AddressSpace& space, uint64_t address, uint64_t n, Text& out) {
    while (n != 0 && out.room() != 0) {
        const uint64_t in_page = address % process::kPageSize;
        uint64_t chunk = process::kPageSize - in_page;
        if (chunk > n) chunk = n;
        if (chunk > out.room()) chunk = out.room();
        const mm::Walk walk = space.table().walk(address - in_page);
        if (walk.mapped) {
            out.add_bytes(memlayout::to_pointer<const char>(walk.physical) + in_page, chunk);
        } else {
            memset(out.end(), 0, chunk);
            out.grow(chunk);
        }
        address += chunk;
        n -= chunk;
    }
}

struct Sizes {
    uint64_t vm;     // bytes of all regions
    uint64_t stack;  // of the stack
    uint64_t data;   // of writable private non-stack regions
    uint64_t exe;    // of the executable's segments
    uint64_t start_code, end_code;
};

Sizes sizes_of(const process::AddressSpace& space) {
    Sizes s{};
    for (const mm::Region& r : space.regions()) {
        s.vm += r.size();
        if ((r.flags & mm::kRegionGrowsDown) != 0) {
            s.stack += r.size();
        } else if ((r.protection & mm::kProtWrite) != 0 && (r.flags & mm::kRegionShared) == 0) {
            s.data += r.size();
        }
        if ((r.flags & mm::kRegionImage) != 0) {
            s.exe += r.size();
            if ((r.protection & mm::kProtExec) != 0 && s.start_code == 0) {
                s.start_code = r.start;
                s.end_code = r.end;
            }
        }
    }
    return s;
}

uint64_t signal_set(const Process& p, bool ignored) {
    uint64_t set = 0;
    for (int signal = 1; signal <= 64; ++signal) {
        const auto handler = reinterpret_cast<uintptr_t>(p.signals.actions[signal].sa_handler);
        if (ignored ? handler == 1 : handler > 1) set |= uint64_t{1} << (signal - 1);
    }
    return set;
}

void stat(const Process& p, Text& out) {
    const char state = state_letter(p);
    const bool has_memory = !p.resources_gone;
    const Sizes s = has_memory ? sizes_of(p.memory) : Sizes{};
    const uint64_t rss = has_memory ? p.memory.pages() : 0;
    const process::CpuTimes cpu = process::cpu_times(p);
    const int exit_code = state == 'Z' ? p.wait_status : 0;
    out.add("{} ({}) {} {} {} {} 0 -1 4194304 0 0 0 0 {} {} {} {} 20 0 1 0 {} {} {} ", p.pid,
            p.name, state, p.parent, p.pgid, p.sid, process::clock_ticks(cpu.user),
            process::clock_ticks(cpu.system), process::clock_ticks(cpu.children_user),
            process::clock_ticks(cpu.children_system), clock_ticks(p.start_time), s.vm, rss);
    out.add("18446744073709551615 {} {} {} 0 0 {} {} {} {} 0 0 0 17 {} 0 0 0 0 0 ", s.start_code,
            s.end_code, has_memory ? p.stack_pointer : 0, p.signals.pending, p.signals.blocked,
            signal_set(p, true), signal_set(p, false), p.task != nullptr ? p.task->hart_slot : 0);
    out.add("0 0 {} {} {} {} {} {}\n", has_memory ? p.memory.brk() : 0, p.arg_start, p.arg_end,
            p.env_start, p.env_end, exit_code);
}

void status(const Process& p, Text& out) {
    const char state = state_letter(p);
    out.add("Name:\t{}\nUmask:\t{:04o}\nState:\t{}\nTgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\n",
            p.name, p.fs.umask, state_name(state), p.pid, p.pid, p.parent);
    out.add("TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t{}\nGroups:\t\n",
            p.fds != nullptr ? fs::FdTable::kMax : 0);
    if (!p.resources_gone) {
        const Sizes s = sizes_of(p.memory);
        const uint64_t rss_kb = p.memory.pages() * 4;
        out.add("VmPeak:\t{:>8} kB\nVmSize:\t{:>8} kB\nVmLck:\t{:>8} kB\nVmPin:\t{:>8} kB\n",
                s.vm / 1024, s.vm / 1024, 0, 0);
        out.add("VmHWM:\t{:>8} kB\nVmRSS:\t{:>8} kB\nVmData:\t{:>8} kB\nVmStk:\t{:>8} kB\n", rss_kb,
                rss_kb, s.data / 1024, s.stack / 1024);
        out.add("VmExe:\t{:>8} kB\nVmLib:\t{:>8} kB\nVmSwap:\t{:>8} kB\n", s.exe / 1024, 0, 0);
    }
    out.add("Threads:\t1\nSigPnd:\t{:016x}\nShdPnd:\t{:016x}\nSigBlk:\t{:016x}\n",
            p.signals.pending, 0, p.signals.blocked);
    out.add("SigIgn:\t{:016x}\nSigCgt:\t{:016x}\n", signal_set(p, true), signal_set(p, false));
}

}  // namespace

namespace {

const Context& reader_context() {
    static constinit Context whole{};
    const Process* p = process::current();
    if (p != nullptr) return p->fs;
    whole.root = whole.cwd = root();
    return whole;
}

// Where a file's name is, for an fd link: a directory's path is known (its parents), a file's is
// searched for from the root, depth first (directories only pushed; proc's own skipped).
constexpr uint8_t kDtDir = 4;  // getdents64's DT_DIR

bool find_file(Inode& target, Text& out) {
    constexpr size_t kMaxPending = 128;
    Inode* pending[kMaxPending];
    size_t count = 0;
    pending[count++] = reader_context().root;
    struct Finder final : DirectorySink {
        Inode* dir = nullptr;
        Inode* target = nullptr;
        Inode** pending = nullptr;
        size_t* count = nullptr;
        char found[path::kNameMax + 1] = {};
        size_t found_length = 0;
        // Only a directory, or an entry with the target's inode number, is looked up (a lookup
        // scans its directory: one for every entry would be quadratic, under the fs lock).
        bool entry(StringView name, uint64_t ino, uint8_t type, uint64_t) override {
            if (name.equals(StringView{".", 1}) || name.equals(StringView{"..", 2})) return true;
            const bool maybe = ino == target->ino && &dir->fs() == &target->fs();
            if (!maybe && type != kDtDir) return true;
            const auto looked = walker().lookup(dir, name);
            auto* node = looked.ok() ? static_cast<Inode*>(looked.value()) : nullptr;
            if (node == target) {
                memcpy(found, name.data, name.size);
                found_length = name.size;
                return false;
            }
            if (node != nullptr && type == kDtDir && node->fs().magic() != kProcSuperMagic &&
                *count < kMaxPending)
                pending[(*count)++] = node;
            return true;
        }
    };
    while (count != 0) {
        Finder finder;
        finder.dir = pending[--count];
        finder.target = &target;
        finder.pending = pending;
        finder.count = &count;
        uint64_t position = 0;
        (void)finder.dir->list(position, finder);
        if (finder.found_length == 0) continue;
        char path[256];
        const int64_t length = path_of(reader_context(), *finder.dir, path, sizeof path);
        if (length <= 0) return false;
        out.add("{}{}{}", StringView{path, static_cast<size_t>(length - 1)}, length == 2 ? "" : "/",
                StringView{finder.found, finder.found_length});
        return true;
    }
    return false;
}

// A file of /proc itself: its directory's path and its name there (proc's parents are known).
bool proc_file(Inode& file, Text& out) {
    Inode* dir = file.parent();
    struct Finder final : DirectorySink {
        Inode* dir = nullptr;
        Inode* wanted = nullptr;
        char name[path::kNameMax + 1] = {};
        size_t length = 0;
        bool entry(StringView n, uint64_t ino, uint8_t, uint64_t) override {
            if (ino != wanted->ino || dir->lookup(n) != wanted) return true;
            memcpy(name, n.data, n.size);
            length = n.size;
            return false;
        }
    } finder;
    finder.dir = dir;
    finder.wanted = &file;
    uint64_t position = 0;
    (void)dir->list(position, finder);
    char path[256];
    const int64_t length = path_of(reader_context(), *dir, path, sizeof path);
    if (finder.length == 0 || length <= 0) return false;
    out.add("{}/{}", StringView{path, static_cast<size_t>(length - 1)},
            StringView{finder.name, finder.length});
    return true;
}

}  // namespace

void file_link(Inode* inode, Text& out) {
    if (inode == nullptr) return out.add("anon_inode:[unknown]");
    if (inode->fs().magic() == kPipefsMagic) return out.add("pipe:[{}]", inode->ino);
    if (inode->is_directory()) {
        char path[256];
        const int64_t length = path_of(reader_context(), *inode, path, sizeof path);
        if (length > 0) return out.add("{}", StringView{path, static_cast<size_t>(length - 1)});
    } else if (inode->fs().magic() == kProcSuperMagic ? proc_file(*inode, out)
                                                      : find_file(*inode, out)) {
        return;
    }
    out.add("/ (deleted)");
}

namespace {

// With the process lock held. A vfork child's own space is read (its parent's is its parent's).
bool process_text(Kind kind, Process& p, Text& out) {
    // Nothing in its space changes or goes back to the allocator until this is done: not a table
    // a walk goes through, a page copied, nor the region list (address_space.h: the lock order).
    LockGuard<Lock> memory(p.memory.lock(), KEEL_HERE);
    switch (kind) {
    case Kind::kPidStat: stat(p, out); return true;
    case Kind::kPidStatus: status(p, out); return true;
    case Kind::kPidComm: out.add("{}\n", p.name); return true;
    case Kind::kPidCmdline:
        if (!p.resources_gone && p.arg_end > p.arg_start)
            read_memory(p.memory, p.arg_start, p.arg_end - p.arg_start, out);
        return true;
    case Kind::kPidExe:
        if (p.resources_gone || p.exe[0] == '\0') return false;
        out.add("{}", p.exe);
        return true;
    default: return false;
    }
}

// The inode a cwd or fd link names, held (nullptr for a file with none: an anonymous one), or
// false when the process has no such thing. With the process lock held.
bool linked_inode(Kind kind, const Process& p, int fd, Inode*& inode) {
    if (p.resources_gone) return false;
    if (kind == Kind::kPidCwd) {
        inode = p.fs.cwd;
    } else {
        const File* file = p.fds != nullptr ? p.fds->get(fd) : nullptr;
        if (file == nullptr) return false;
        inode = file->inode;
    }
    if (kind == Kind::kPidCwd && inode == nullptr) return false;
    if (inode != nullptr) inode->get();
    return true;
}

// cwd and fd links: the inode is found under the process lock, its path without it (a path's
// search lists directories, /proc's among them, which take that lock themselves).
bool link_text(Kind kind, uint64_t pid, int fd, Text& out) {
    Inode* inode = nullptr;
    {
        process::TreeLock guard;
        const Process* p = process::find(pid);
        if (p == nullptr || !linked_inode(kind, *p, fd, inode)) return false;
    }
    bool made = true;
    if (kind == Kind::kPidFd) {
        file_link(inode, out);
    } else {
        char path[256];
        const int64_t length = path_of(reader_context(), *inode, path, sizeof path);
        made = length > 0;
        if (made) out.add("{}", StringView{path, static_cast<size_t>(length - 1)});
    }
    if (inode != nullptr) inode->put();
    return made;
}

}  // namespace

bool make_process_text(Kind kind, uint64_t pid, int fd, Text& out) {
    if (kind == Kind::kPidMaps) return make_maps(pid, out);
    if (kind == Kind::kPidMounts) {
        if (!process_exists(pid)) return false;
        make_system_text(Kind::kMounts, out);
        return true;
    }
    if (kind == Kind::kPidCwd || kind == Kind::kPidFd) return link_text(kind, pid, fd, out);
    process::TreeLock guard;
    Process* p = process::find(pid);
    return p != nullptr && process_text(kind, *p, out);
}

bool process_exists(uint64_t pid) {
    process::TreeLock guard;
    return process::find(pid) != nullptr;
}

uint64_t next_pid(uint64_t from) {
    struct Search {
        uint64_t from;
        uint64_t best;
    } search{from, 0};
    process::TreeLock guard;
    process::for_each(
        [](Process& p, void* context) {
            auto& s = *static_cast<Search*>(context);
            if (p.pid >= s.from && (s.best == 0 || p.pid < s.best)) s.best = p.pid;
        },
        &search);
    return search.best;
}

int next_fd(uint64_t pid, int from) {
    process::TreeLock guard;
    const Process* p = process::find(pid);
    if (p == nullptr || p->resources_gone || p->fds == nullptr || from < 0) return -1;
    for (int fd = from; fd < p->fds->end(); ++fd) {
        if (p->fds->get(fd) != nullptr) return fd;
    }
    return -1;
}

uint32_t fd_link_mode(uint64_t pid, int fd) {
    process::TreeLock guard;
    const Process* p = process::find(pid);
    const File* file =
        p != nullptr && !p->resources_gone && p->fds != nullptr ? p->fds->get(fd) : nullptr;
    if (file == nullptr) return S_IFLNK | 0700;
    return S_IFLNK | (file->readable() ? 0500u : 0u) | (file->writable() ? 0300u : 0u);
}

uint64_t caller_pid() {
    const Process* p = process::current();
    return p != nullptr ? p->pid : 0;
}

}  // namespace keel::fs::proc
