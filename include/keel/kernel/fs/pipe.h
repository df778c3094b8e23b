// SPDX-License-Identifier: MIT
// Pipes: pipe2(2)'s two ends, and FIFOs (named pipes, fifo(7)): every open file of a FIFO inode
// is an end of the one pipe the inode has while anyone has it open (src/kernel/fs/pipe.cpp says
// how they behave).
#pragma once
#include <keel/kernel/fs/file.h>

namespace keel::fs {

// What a pipe holds: Linux's default (16 pages), which F_GETPIPE_SZ reports.
inline constexpr int64_t kPipeCapacity = 65536;
// The pipes' file system's statfs f_type (PIPEFS_MAGIC, uapi/linux/magic.h).
inline constexpr uint64_t kPipefsMagic = 0x50495045;

// A new pipe's read and write ends, with O_NONBLOCK from `flags`: 0, or -ENFILE (no memory).
int make_pipe(uint32_t flags, File*& read_end, File*& write_end);

// What reading and writing an open FIFO does (ops_for's, for S_IFIFO).
const FileOps& fifo_ops();
// open(2)'s part for a FIFO, without the file system lock: `file` (a new open file of a FIFO, its
// access mode read, write or both) joins the FIFO's pipe, and waits for a partner as fifo(7) says
// unless O_NONBLOCK: 0, -ENXIO (a writer with O_NONBLOCK and no reader), -ENOMEM, or
// signals::kRestartSys (a signal came first). On failure the caller drops the file.
int open_fifo(File& file);

}  // namespace keel::fs
