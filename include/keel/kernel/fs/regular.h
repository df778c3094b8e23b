// SPDX-License-Identifier: MIT
// What an open file of each kind of inode does: a regular file's bytes at its offset (O_APPEND
// writes at its end), a directory (EISDIR to read; getdents64 lists it), an O_PATH file (nothing
// but a place), a device (devices.h).
#pragma once
#include <keel/kernel/fs/file.h>

namespace keel::fs {

// The ops for an open file of `inode`; nullptr when keel cannot open such a file (ENXIO).
const FileOps* ops_for(const Inode& inode);
// An O_PATH file's: reads and writes are EBADF.
const FileOps& path_ops();
// getdents64 on a directory's open file: records (struct linux_dirent64) into `out` from the
// file's position; bytes written, 0 at the end, or -errno (EINVAL: not even one fits).
int64_t list_directory(File& file, IoBuffer& out);

}  // namespace keel::fs
