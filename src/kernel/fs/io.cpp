// SPDX-License-Identifier: MIT
// IoBuffer (include/keel/kernel/fs/io.h): the calling process's memory through the syscall copy
// helpers (regions checked, pages brought in), or the kernel's with memcpy; a vector of buffers
// read and written as one, a piece at a time.
#include <keel/kernel/fs/io.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::fs {

IoBuffer IoBuffer::user_vectors(const iovec* vectors, size_t count) {
    IoBuffer buffer(iovec{nullptr, 0}, true);
    buffer.vectors_ = vectors;
    buffer.count_ = count;
    for (size_t i = 0; i < count; ++i) buffer.size_ += vectors[i].iov_len;
    return buffer;
}

bool IoBuffer::find(uint64_t at, size_t& index, uint64_t& offset) const {
    for (index = 0; index < count_; ++index) {
        if (at < piece(index).iov_len) break;
        at -= piece(index).iov_len;
    }
    offset = at;
    return index < count_;
}

// `move(address, done, length)` over the bytes [at, at + n) piece by piece, while each piece
// moves all it was asked (it returns how many it moved): the bytes moved.
template <typename Move>
uint64_t IoBuffer::each(uint64_t at, uint64_t n, Move move) const {
    if (at > size_ || n > size_ - at) return 0;
    size_t index = 0;
    uint64_t offset = 0;
    uint64_t done = 0;
    for (bool more = find(at, index, offset); more && done < n; ++index, offset = 0) {
        const iovec& v = piece(index);
        const uint64_t left = v.iov_len - offset;
        const uint64_t length = left < n - done ? left : n - done;
        const uint64_t moved = move(reinterpret_cast<uint64_t>(v.iov_base) + offset, done, length);
        done += moved;
        if (moved < length || index + 1 == count_) break;
    }
    return done;
}

uint64_t IoBuffer::take_some(uint64_t at, void* to, uint64_t n) const {
    auto* bytes = static_cast<uint8_t*>(to);
    return each(at, n, [&](uint64_t address, uint64_t done, uint64_t length) -> uint64_t {
        if (!user_) {
            memcpy(bytes + done, reinterpret_cast<const void*>(address), length);
            return length;
        }
        return syscalls::copy_some_from_user(*process::current(), bytes + done, address, length);
    });
}

uint64_t IoBuffer::give_some(uint64_t at, const void* from, uint64_t n) const {
    const auto* bytes = static_cast<const uint8_t*>(from);
    return each(at, n, [&](uint64_t address, uint64_t done, uint64_t length) -> uint64_t {
        if (!user_) {
            memcpy(reinterpret_cast<void*>(address), bytes + done, length);
            return length;
        }
        return syscalls::copy_some_to_user(*process::current(), address, bytes + done, length);
    });
}

uint64_t IoBuffer::zero_some(uint64_t at, uint64_t n) const {
    static constexpr uint8_t kZeros[256] = {};
    uint64_t done = 0;
    while (done < n) {
        const uint64_t chunk = n - done < sizeof kZeros ? n - done : sizeof kZeros;
        const uint64_t zeroed = give_some(at + done, kZeros, chunk);
        done += zeroed;
        if (zeroed < chunk) break;
    }
    return done;
}

}  // namespace keel::fs
