// SPDX-License-Identifier: MIT
// IoBuffer (include/keel/kernel/fs/io.h): the calling process's memory through the syscall copy
// helpers (regions checked, pages brought in), or the kernel's with memcpy.
#include <keel/kernel/fs/io.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::fs {

bool IoBuffer::take(uint64_t at, void* to, uint64_t n) const {
    if (n == 0) return true;
    if (at > size_ || n > size_ - at) return false;
    if (!user_) {
        memcpy(to, reinterpret_cast<const void*>(address_ + at), n);
        return true;
    }
    return syscalls::copy_from_user(*process::current(), to, address_ + at, n);
}

bool IoBuffer::give(uint64_t at, const void* from, uint64_t n) const {
    if (n == 0) return true;
    if (at > size_ || n > size_ - at) return false;
    if (!user_) {
        memcpy(reinterpret_cast<void*>(address_ + at), from, n);
        return true;
    }
    return syscalls::copy_to_user(*process::current(), address_ + at, from, n);
}

bool IoBuffer::zero(uint64_t at, uint64_t n) const {
    static constexpr uint8_t kZeros[256] = {};
    for (uint64_t done = 0; done < n;) {
        const uint64_t chunk = n - done < sizeof kZeros ? n - done : sizeof kZeros;
        if (!give(at + done, kZeros, chunk)) return false;
        done += chunk;
    }
    return true;
}

}  // namespace keel::fs
