// SPDX-License-Identifier: MIT
// The buffers readv, writev, preadv and process_vm_readv take: Linux's include/uapi/linux/uio.h
// (readv(2)).
#pragma once
#include <stdint.h>

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 16 bytes: one buffer.
struct iovec {
    void* iov_base;
    uint64_t iov_len;
};

// NOLINTEND(readability-identifier-naming)

// The most buffers one call takes (more is EINVAL).
#define UIO_MAXIOV 1024
#define UIO_FASTIOV 8
