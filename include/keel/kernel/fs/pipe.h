// SPDX-License-Identifier: MIT
// Pipes: pipe2(2)'s two ends (src/kernel/fs/pipe.cpp says how they behave).
#pragma once
#include <keel/kernel/fs/file.h>

namespace keel::fs {

// What a pipe holds: Linux's default (16 pages), which F_GETPIPE_SZ reports.
inline constexpr int64_t kPipeCapacity = 65536;

// A new pipe's read and write ends, with O_NONBLOCK from `flags`: 0, or -ENFILE (no memory).
int make_pipe(uint32_t flags, File*& read_end, File*& write_end);

}  // namespace keel::fs
