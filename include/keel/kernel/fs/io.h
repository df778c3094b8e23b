// SPDX-License-Identifier: MIT
// IoBuffer: where a read's bytes go and a write's come from, in the calling program's memory (a
// read(2) buffer, or readv(2)'s vectors, one after another as one buffer) or the kernel's
// (sendfile's bounce buffer, the loader), so that every file, device and pipe moves bytes one
// way. A copy that meets a bad user address fails: take and give move all n bytes or report
// failure (a pipe's page, a structure), take_some, give_some and zero_some move as many as lie
// before the bad address (a file's data, as Linux's copy_to_iter); the operation returns what it
// moved before the failure, or -EFAULT when that is nothing (as Linux does).
#pragma once
#include <keel/abi/uio.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::fs {

class IoBuffer {
public:
    // `size` bytes of the calling process's memory at `address`.
    static IoBuffer user(uint64_t address, uint64_t size) {
        return IoBuffer(iovec{reinterpret_cast<void*>(address), size}, true);
    }
    // The calling process's `count` buffers, in order (readv's vectors, already checked and
    // copied into the kernel by the caller, who keeps them for as long as the buffer lives).
    static IoBuffer user_vectors(const iovec* vectors, size_t count);
    // `size` bytes of kernel memory.
    static IoBuffer kernel(void* data, uint64_t size) { return IoBuffer(iovec{data, size}, false); }

    uint64_t size() const { return size_; }
    bool is_user() const { return user_; }
    // Copies `n` bytes from the buffer at `at` into `to` (a write's data); false on a bad address.
    bool take(uint64_t at, void* to, uint64_t n) const {
        return n == 0 || take_some(at, to, n) == n;
    }
    // Copies `n` bytes from `from` into the buffer at `at` (a read's data).
    bool give(uint64_t at, const void* from, uint64_t n) const {
        return n == 0 || give_some(at, from, n) == n;
    }
    // As take and give, but up to the first byte of the program's that is not there: the
    // number of bytes moved (n when all were).
    uint64_t take_some(uint64_t at, void* to, uint64_t n) const;
    uint64_t give_some(uint64_t at, const void* from, uint64_t n) const;
    // `n` zero bytes into the buffer at `at` (a hole in a file, /dev/zero), as give_some.
    uint64_t zero_some(uint64_t at, uint64_t n) const;

private:
    IoBuffer(iovec only, bool user) : only_(only), size_(only.iov_len), user_(user) {}
    // The piece that holds byte `at` and where in it (false past the end).
    bool find(uint64_t at, size_t& piece, uint64_t& offset) const;
    const iovec& piece(size_t i) const { return vectors_ != nullptr ? vectors_[i] : only_; }
    template <typename Move>
    uint64_t each(uint64_t at, uint64_t n, Move move) const;

    iovec only_;                      // one buffer (read, write, the kernel's)
    const iovec* vectors_ = nullptr;  // or several (readv, writev)
    size_t count_ = 1;
    uint64_t size_;
    bool user_;
};

// The result of an operation that moved `done` bytes before `failure` (a -errno) stopped it:
// the count if any moved, else the error.
constexpr int64_t partial(uint64_t done, int64_t failure) {
    return done != 0 ? static_cast<int64_t>(done) : failure;
}

}  // namespace keel::fs
