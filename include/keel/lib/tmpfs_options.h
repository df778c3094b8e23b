// SPDX-License-Identifier: MIT
// tmpfs's mount options: mount(2)'s data, a comma-separated list, as Linux's tmpfs reads it
// (Documentation/filesystems/tmpfs.rst; mm/shmem.c's parameters, fs/fs_context.c's generic ones).
//   size=N[k|m|g|t|p|e|%]  the data limit, rounded up to pages (N% of RAM; 0: none)
//   nr_blocks=N[k|m|...]   the same in pages
//   nr_inodes=N[k|m|...]   the file limit (0: none)
//   mode=OCTAL             the root directory's permissions
//   uid=N, gid=N           the root directory's owner (not 4294967295)
//   huge=never|always|within_size|advise, inode32, inode64, noswap: taken, changing nothing
//   ro, rw, sync, async, dirsync, lazytime, nolazytime, mand, nomand: the VFS's, taken
// Numbers are C's (0x hex, 0 octal) with a binary suffix, as the kernel's memparse; empty items
// are skipped, so is one with nothing before its '='. Anything else is EINVAL. Portable.
#pragma once
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::tmpfs_options {

inline constexpr uint64_t kPageSize = 4096;

struct Options {
    uint64_t max_pages = 0;   // 0: no limit
    uint64_t max_inodes = 0;  // 0: no limit
    uint32_t mode = 01777;    // the root's permission bits
    uint32_t uid = 0;
    uint32_t gid = 0;
};

// Reads `data` over `options` (what it leaves alone keeps its value); `ram_pages` is what 100%
// means for size=N%. False when an option is unknown or its value bad (Linux's EINVAL).
bool parse(StringView data, uint64_t ram_pages, Options& options);

}  // namespace keel::tmpfs_options
