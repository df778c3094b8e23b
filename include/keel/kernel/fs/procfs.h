// SPDX-License-Identifier: MIT
// proc: Linux's process information file system (proc(5)), mounted on /proc at boot. Nothing in
// it is stored: each file's text is made when it is read (a read at offset N gets the bytes of
// the text made then), its directories list what exists at that moment (a directory per live
// process and zombie), its symbolic links say what they point at then. Files are 0444 and report
// size 0, as Linux's. Called with the file system lock held (fs/vfs.h).
#pragma once
#include <keel/kernel/fs/inode.h>

namespace keel::fs {

inline constexpr uint64_t kProcSuperMagic = 0x9fa0;  // PROC_SUPER_MAGIC (uapi/linux/magic.h)

// A proc instance (each mount has its own; they show the same things). nullptr without memory.
FileSystem* make_procfs();
// Gives an instance back (umount): false while any of its files is open or in use.
bool release_procfs(FileSystem& fs);

}  // namespace keel::fs
