// SPDX-License-Identifier: MIT
// IoBuffer: where a read's bytes go and a write's come from, in the calling program's memory (a
// read(2) buffer) or the kernel's (sendfile's bounce buffer, the loader), so that every file,
// device and pipe moves bytes one way. A copy that meets a bad user address fails at that chunk:
// the operation returns what it moved before it, or -EFAULT when that is nothing (as Linux does).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel::fs {

class IoBuffer {
public:
    // `size` bytes of the calling process's memory at `address`.
    static IoBuffer user(uint64_t address, uint64_t size) { return IoBuffer(address, size, true); }
    // `size` bytes of kernel memory.
    static IoBuffer kernel(void* data, uint64_t size) {
        return IoBuffer(reinterpret_cast<uintptr_t>(data), size, false);
    }

    uint64_t address() const { return address_; }
    uint64_t size() const { return size_; }
    bool is_user() const { return user_; }
    // Copies `n` bytes from the buffer at `at` into `to` (a write's data); false on a bad address.
    bool take(uint64_t at, void* to, uint64_t n) const;
    // Copies `n` bytes from `from` into the buffer at `at` (a read's data).
    bool give(uint64_t at, const void* from, uint64_t n) const;
    // `n` zero bytes into the buffer at `at` (a hole in a file, /dev/zero).
    bool zero(uint64_t at, uint64_t n) const;
    // What is left after the first `n` bytes.
    IoBuffer after(uint64_t n) const {
        return IoBuffer(address_ + n, n < size_ ? size_ - n : 0, user_);
    }

private:
    IoBuffer(uint64_t address, uint64_t size, bool user)
        : address_(address), size_(size), user_(user) {}
    uint64_t address_;
    uint64_t size_;
    bool user_;
};

// The result of an operation that moved `done` bytes before `failure` (a -errno) stopped it:
// the count if any moved, else the error.
constexpr int64_t partial(uint64_t done, int64_t failure) {
    return done != 0 ? static_cast<int64_t>(done) : failure;
}

}  // namespace keel::fs
