// SPDX-License-Identifier: MIT
// The loader's segments (loader_segments.h), as Linux's binfmt_elf maps them: from the file's own
// pages where the file keeps them in whole pages (tmpfs) and a segment's offset in the file is
// congruent with its address modulo the page size. Text is then read+execute straight from the
// file's pages, data private (each page copied at its first write), .bss past the file's last page
// zeroed at its first touch, and the rest of that last page, past the segment's bytes, zeroed in a
// private copy (Linux's padzero): nothing is copied that the program does not write. Otherwise the
// segment's pages are filled now, copied from the file.
#include "loader_segments.h"

#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/fs/file.h>
#include <keel/kernel/fs/regular.h>

namespace keel::process {
namespace {

uint64_t page_down(uint64_t a) {
    return a & ~(kPageSize - 1);
}
uint64_t page_up(uint64_t a) {
    return (a + kPageSize - 1) & ~(kPageSize - 1);
}

uint32_t protection_of(uint32_t elf_flags) {
    uint32_t protection = 0;
    if ((elf_flags & elf::kRead) != 0) protection |= mm::kProtRead;
    if ((elf_flags & elf::kWrite) != 0) protection |= mm::kProtWrite;
    if ((elf_flags & elf::kExecute) != 0) protection |= mm::kProtExec;
    return protection;
}

// Whether the segment's .bss starts inside a page that holds file bytes too.
bool zeroes_last_page(const elf::Segment& segment) {
    return segment.file_size != 0 && segment.memory_size > segment.file_size &&
           (segment.address + segment.file_size) % kPageSize != 0;
}

// Whether the segment's pages can be the file's. A .bss that starts inside the last file page is
// zeroed there in a private copy, which a segment the program may not write cannot have: such a
// segment is copied.
bool maps_file(const fs::Inode& file, const elf::Segment& segment) {
    if (!file.mappable() || segment.offset % kPageSize != segment.address % kPageSize) return false;
    return !zeroes_last_page(segment) || (segment.flags & elf::kWrite) != 0;
}

// The segment's pages mapped from the file `opened` (which its region holds), .bss after them.
int map_segment(fs::File& opened, const elf::Segment& segment, AddressSpace& memory) {
    const uint32_t protection = protection_of(segment.flags);
    const uint64_t first = page_down(segment.address);
    const uint64_t file_end = segment.address + segment.file_size;
    const uint64_t pages_end = segment.file_size != 0 ? page_up(file_end) : first;
    const uint64_t last = page_up(segment.address + segment.memory_size);
    if (pages_end > first) {
        const mm::Region pages{first,
                               pages_end,
                               protection,
                               mm::kRegionImage,
                               reinterpret_cast<uint64_t>(&opened),
                               page_down(segment.offset)};
        if (!memory.add(pages).ok()) return -ENOMEM;
    }
    if (last > pages_end) {
        const mm::Region bss{pages_end, last, protection, mm::kRegionImage, 0, 0};
        if (!memory.add(bss).ok()) return -ENOMEM;
    }
    if (zeroes_last_page(segment)) {
        static constexpr uint8_t kZeros[512] = {};
        for (uint64_t at = file_end; at < pages_end; at += sizeof kZeros) {
            const uint64_t n = pages_end - at < sizeof kZeros ? pages_end - at : sizeof kZeros;
            if (!memory.poke(at, kZeros, n)) return -ENOMEM;
        }
    }
    return 0;
}

// The segment's pages filled now: the file's bytes copied, the rest zero (on first touch past
// the last page with any).
int copy_segment(fs::Inode& file, const elf::Segment& segment, AddressSpace& memory) {
    const uint32_t protection = protection_of(segment.flags);
    const uint64_t first = page_down(segment.address);
    const uint64_t last = page_up(segment.address + segment.memory_size);
    if (!memory.add(mm::Region{first, last, protection, mm::kRegionImage, 0, 0}).ok())
        return -ENOMEM;
    const uint64_t file_end = segment.address + segment.file_size;
    for (uint64_t page = first; page < file_end; page += kPageSize) {
        const uint64_t frame = memory.map_new_page(page, protection);
        if (frame == 0) return -ENOMEM;
        const uint64_t from = page > segment.address ? page : segment.address;
        const uint64_t to = page + kPageSize < file_end ? page + kPageSize : file_end;
        fs::IoBuffer into =
            fs::IoBuffer::kernel(memlayout::to_pointer<char>(frame) + (from - page), to - from);
        if (file.read(segment.offset + (from - segment.address), into) !=
            static_cast<int64_t>(to - from))
            return -EIO;
    }
    return 0;
}

}  // namespace

int load_segments(fs::Inode& file, const elf::Image& image, AddressSpace& memory) {
    // The regions that map the file hold it open (as Linux's VMAs hold vm_file) while they last.
    const fs::FileOps* ops = fs::ops_for(file);
    fs::File* opened = ops != nullptr ? fs::open_file(&file, *ops, O_RDONLY) : nullptr;
    int error = 0;
    for (size_t s = 0; s < image.segment_count && error == 0; ++s) {
        const elf::Segment& segment = image.segments[s];
        if (page_down(segment.address) == page_up(segment.address + segment.memory_size)) continue;
        error = opened != nullptr && maps_file(file, segment)
                    ? map_segment(*opened, segment, memory)
                    : copy_segment(file, segment, memory);
    }
    fs::drop_locked(opened);
    return error;
}

}  // namespace keel::process
