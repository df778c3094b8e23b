// SPDX-License-Identifier: MIT
// LogRing: the kernel log's text, the newest `Capacity` bytes of it. Text goes in at the end;
// when there is no room, whole lines drop out at the start (a line longer than the ring keeps its
// end). Positions count every byte ever appended, so a reader that remembers one (syslog's
// consuming read) sees what came since, or learns that it was overwritten. Not thread-safe: the
// kernel log (core/log.cpp) holds a lock around it.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel {

template <size_t Capacity>
class LogRing {
    static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "capacity: a power of two");

public:
    constexpr LogRing() = default;

    void append(const char* text, size_t length) {
        if (length > Capacity) {
            text += length - Capacity;
            length = Capacity;
        }
        make_room(length);
        for (size_t i = 0; i < length; ++i) bytes_[(end_ + i) & (Capacity - 1)] = text[i];
        end_ += length;
    }

    // The oldest position still held, and the one past the newest byte.
    uint64_t start() const { return start_; }
    uint64_t end() const { return end_; }
    size_t size() const { return static_cast<size_t>(end_ - start_); }

    // Where the newest whole lines that fit in `capacity` bytes begin: a line start (or the
    // oldest byte held), no further back than `capacity` bytes from the end.
    uint64_t newest(size_t capacity) const {
        if (capacity >= size()) return start_;
        uint64_t position = end_ - capacity;
        if (position == start_ || at(position - 1) == '\n') return position;
        while (position < end_ && at(position) != '\n') ++position;
        return position < end_ ? position + 1 : end_;
    }

    // Copies the bytes from `position` (clamped to what is held) into `out`, at most `capacity`;
    // how many. `position` moves past them.
    size_t copy(uint64_t& position, char* out, size_t capacity) const {
        if (position < start_) position = start_;
        size_t n = 0;
        for (; n < capacity && position < end_; ++n, ++position) out[n] = at(position);
        return n;
    }

private:
    char at(uint64_t position) const { return bytes_[position & (Capacity - 1)]; }

    // Drops whole lines from the start until `length` more bytes fit.
    void make_room(size_t length) {
        if (size() + length <= Capacity) return;
        const uint64_t needed = end_ + length - Capacity;  // the oldest position that may stay
        uint64_t position = needed;
        while (position < end_ && at(position - 1) != '\n') ++position;
        start_ = position;
    }

    char bytes_[Capacity] = {};
    uint64_t start_ = 0;
    uint64_t end_ = 0;
};

}  // namespace keel
