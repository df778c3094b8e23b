// SPDX-License-Identifier: MIT
// RingBuffer: a lock-free single-producer/single-consumer byte queue. The producer (an interrupt
// handler) only writes `tail_`, the consumer only writes `head_`, so neither needs a lock. When
// full, push() drops the new byte and counts it: bytes already queued are never overwritten.
#pragma once
#include <keel/lib/atomic.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

template <size_t Capacity>
class RingBuffer {
    static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "capacity: a power of two");

public:
    constexpr RingBuffer() = default;

    // Producer side. Returns false (and counts a drop) when `limit` bytes are queued already: a
    // producer that keeps the slots past `limit` for bytes that must not be lost (a Ctrl-C) gives
    // the others a lower limit.
    bool push(uint8_t byte, size_t limit = Capacity) {
        const size_t tail = tail_.load(MemoryOrder::kRelaxed);
        const size_t head = head_.load(MemoryOrder::kAcquire);  // slots the consumer has freed
        if (tail - head >= (limit < Capacity ? limit : Capacity)) {
            dropped_.fetch_add(1, MemoryOrder::kRelaxed);
            return false;
        }
        bytes_[tail & (Capacity - 1)] = byte;
        tail_.store(tail + 1, MemoryOrder::kRelease);  // publishes the byte written above
        return true;
    }

    // Consumer side. Returns the oldest byte, or -1 when the queue is empty.
    int pop() {
        const size_t head = head_.load(MemoryOrder::kRelaxed);
        const size_t tail = tail_.load(MemoryOrder::kAcquire);  // bytes the producer published
        if (head == tail) return -1;
        const uint8_t byte = bytes_[head & (Capacity - 1)];
        head_.store(head + 1, MemoryOrder::kRelease);  // the slot may be reused from now on
        return byte;
    }

    // Consumer side. The oldest byte, left queued, or -1 when the queue is empty.
    int peek() const {
        const size_t head = head_.load(MemoryOrder::kRelaxed);
        if (head == tail_.load(MemoryOrder::kAcquire)) return -1;
        return bytes_[head & (Capacity - 1)];
    }

    size_t size() const {
        return tail_.load(MemoryOrder::kAcquire) - head_.load(MemoryOrder::kAcquire);
    }
    bool empty() const { return size() == 0; }
    static constexpr size_t capacity() { return Capacity; }
    size_t dropped() const { return dropped_.load(MemoryOrder::kRelaxed); }

private:
    // Free-running counters: their difference is the fill level, wrap-around is harmless.
    Atomic<size_t> head_{0};
    Atomic<size_t> tail_{0};
    Atomic<size_t> dropped_{0};
    uint8_t bytes_[Capacity] = {};
};

}  // namespace keel
