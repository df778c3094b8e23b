// SPDX-License-Identifier: MIT
// What getdents64 writes: one struct linux_dirent64 after another, each d_reclen bytes long, as
// Linux's include/linux/dirent.h (not a uapi header) and getdents64(2) lay it out, with DT_*.
#pragma once
#include <stdint.h>

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// One entry: 19 bytes of header, the name and its NUL, padded so that the next entry starts on
// 8 bytes. d_off is an opaque cookie for lseek, not a byte offset.
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;  // this entry's length, header and padding included
    uint8_t d_type;     // DT_*
    char d_name[];      // NUL-terminated
};

// NOLINTEND(readability-identifier-naming)

// d_type: the file's type (S_IFMT >> 12), or DT_UNKNOWN where the file system does not say.
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#define DT_WHT 14
