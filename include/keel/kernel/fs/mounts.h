// SPDX-License-Identifier: MIT
// mount(2) and umount2(2) of the file systems keel has: tmpfs and proc, on directories.
#pragma once
#include <keel/kernel/fs/namei.h>

namespace keel::fs {

// mount(source, target, type, flags, data) for the calling process: 0 or -errno as Linux's
// (EFAULT, ENOENT, ENODEV for a type keel lacks, ENOTDIR, EINVAL for a remount or a change of
// propagation of what is no mount point, and for MS_BIND and MS_MOVE, which keel lacks). A
// tmpfs's data is its options (lib/tmpfs_options.h: size=, mode=...; EINVAL for others); proc's
// is not read.
int mount(At at, uint64_t source, uint64_t target, uint64_t type, uint64_t flags, uint64_t data);
// umount2(target, flags): EINVAL (no mount point, or unknown flags), EBUSY (the root, or
// something in it open, a working directory or a mount point; MNT_DETACH too: keel does not
// detach lazily). A tmpfs's files and pages go with it.
int unmount(At at, uint64_t target, uint32_t flags);

}  // namespace keel::fs
