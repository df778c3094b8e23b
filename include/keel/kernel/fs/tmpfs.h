// SPDX-License-Identifier: MIT
// tmpfs: a file system in memory, as Linux's. Directories are lists of entries, regular files keep
// their data in whole pages from the page allocator (an index of pages by page number: holes hold
// none), symbolic links their target. Everything is writable; data may use at most `max_pages`
// pages (Linux's tmpfs: half of RAM by default; 0: no limit but memory's), past which a write or a
// long symlink is -ENOSPC.
// A file's pages go back when its last link and its last reference go.
#pragma once
#include <keel/kernel/fs/inode.h>

namespace keel::fs {

// A new tmpfs whose root directory has `mode` (S_IFDIR added); nullptr when memory ran out.
FileSystem* make_tmpfs(uint64_t max_pages, uint32_t mode);
// Gives back an emptied tmpfs (no entries in its root, nothing held but its mount's hold).
void release_tmpfs(FileSystem& fs);

}  // namespace keel::fs
