// SPDX-License-Identifier: MIT
// /proc/PID/maps (proc(5)): a line per region, Linux's `start-end perms offset dev inode`, then
// from column 74 its name: the executable's path for its segments, [heap], [stack], [vdso],
// [vvar], a mapped file's path. A file's path is searched for (file_link) without the process lock
// and the space's, which a listing of /proc takes itself: so the regions are copied out a few at
// a time under those locks, each mapped file held, and their lines made after, as Linux's
// seq_file reads a few VMAs at a time.
#include <keel/kernel/fs/file.h>
#include <keel/kernel/process_tree.h>
#include <keel/lib/memory.h>

#include "procfs_text.h"

namespace keel::fs::proc {
namespace {

using process::Process;

constexpr size_t kChunk = 8;

// A few regions and what their lines need of the process. One, under the file system lock.
struct Chunk {
    mm::Region regions[kChunk];
    File* files[kChunk];  // a region's mapped file, held (nullptr for the executable's segments)
    size_t count;
    uint64_t vdso;
    uint64_t exe_device;
    uint64_t exe_ino;
    char exe[sizeof Process::exe];
};
constinit Chunk g_chunk{};

// With the process lock and its space's held: the regions from `from` on (as many as fit).
void copy_regions(const Process& p, uint64_t from, Chunk& chunk) {
    chunk.count = 0;
    chunk.vdso = p.memory.vdso();
    chunk.exe_device = p.exe_device;
    chunk.exe_ino = p.exe_ino;
    memcpy(chunk.exe, p.exe, sizeof chunk.exe);
    for (const mm::Region* r = p.memory.regions().next_from(from);
         r != nullptr && chunk.count < kChunk; r = p.memory.regions().next_from(r->end)) {
        const bool file = r->object != 0 && (r->flags & mm::kRegionImage) == 0;
        chunk.regions[chunk.count] = *r;
        chunk.files[chunk.count] = file ? hold(reinterpret_cast<File*>(r->object)) : nullptr;
        ++chunk.count;
    }
}

// One line of maps: the name from column 74; none, and the line ends after the inode.
void map_line(const Chunk& chunk, size_t index, Text& out) {
    const mm::Region& r = chunk.regions[index];
    const Inode* inode = chunk.files[index] != nullptr ? chunk.files[index]->inode : nullptr;
    const bool image = (r.flags & mm::kRegionImage) != 0;
    const uint64_t device = inode != nullptr ? inode->fs().device() : image ? chunk.exe_device : 0;
    const uint64_t ino = inode != nullptr ? inode->ino : image ? chunk.exe_ino : 0;
    const size_t start = out.size();
    out.add("{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ", r.start, r.end,
            (r.protection & mm::kProtRead) != 0 ? 'r' : '-',
            (r.protection & mm::kProtWrite) != 0 ? 'w' : '-',
            (r.protection & mm::kProtExec) != 0 ? 'x' : '-',
            (r.flags & mm::kRegionShared) != 0 ? 's' : 'p', image || inode ? r.offset : 0,
            device >> 8, device & 0xff, ino);
    const char* name = nullptr;
    if (image) name = chunk.exe;
    if ((r.flags & mm::kRegionHeap) != 0) name = "[heap]";
    if ((r.flags & mm::kRegionGrowsDown) != 0) name = "[stack]";
    if (r.start == chunk.vdso && chunk.vdso != 0) name = "[vdso]";
    if (r.end == chunk.vdso && chunk.vdso != 0) name = "[vvar]";
    if (name == nullptr && inode == nullptr) {
        *(out.end() - 1) = '\n';  // (Linux prints no padding then)
        return;
    }
    for (size_t column = out.size() - start; column < 73; ++column) out.add(" ");
    if (name != nullptr) {
        out.add("{}\n", name);
    } else {
        file_link(chunk.files[index]->inode, out);
        out.add("\n");
    }
}

}  // namespace

bool make_maps(uint64_t pid, Text& out) {
    Chunk& chunk = g_chunk;
    for (uint64_t from = 0;;) {
        {
            process::TreeLock guard;
            const Process* p = process::find(pid);
            if (p == nullptr) return from != 0;  // (gone meanwhile: what was made stays)
            if (p->resources_gone) return true;
            LockGuard<Lock> memory(p->memory.lock(), KEEL_HERE);
            copy_regions(*p, from, chunk);
        }
        for (size_t i = 0; i < chunk.count; ++i) {
            map_line(chunk, i, out);
            drop_locked(chunk.files[i]);
        }
        if (chunk.count < kChunk) return true;
        from = chunk.regions[kChunk - 1].end;
    }
}

}  // namespace keel::fs::proc
