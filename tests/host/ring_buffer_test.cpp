// SPDX-License-Identifier: MIT
// RingBuffer: FIFO order, wrap-around, overflow that drops the newest bytes, and one producer
// thread against one consumer thread (also run under TSan), each giving up after a deadline.
#include <gtest/gtest.h>
#include <keel/lib/ring_buffer.h>

#include <atomic>
#include <thread>
#include <vector>

#include "thread_deadline.h"

namespace keel {
namespace {

TEST(RingBuffer, StartsEmpty) {
    RingBuffer<8> ring;
    EXPECT_TRUE(ring.empty());
    EXPECT_EQ(ring.pop(), -1);
    EXPECT_EQ(ring.dropped(), 0u);
}

TEST(RingBuffer, PopsInTheOrderPushed) {
    RingBuffer<8> ring;
    for (uint8_t b : {1, 2, 3}) EXPECT_TRUE(ring.push(b));
    EXPECT_EQ(ring.size(), 3u);
    EXPECT_EQ(ring.pop(), 1);
    EXPECT_EQ(ring.pop(), 2);
    EXPECT_EQ(ring.pop(), 3);
    EXPECT_EQ(ring.pop(), -1);
}

TEST(RingBuffer, PeekShowsTheOldestAndLeavesIt) {
    RingBuffer<4> ring;
    EXPECT_EQ(ring.peek(), -1);
    ring.push(7);
    ring.push(8);
    EXPECT_EQ(ring.peek(), 7);
    EXPECT_EQ(ring.peek(), 7);
    EXPECT_EQ(ring.size(), 2u);
    EXPECT_EQ(ring.pop(), 7);
    EXPECT_EQ(ring.peek(), 8);
}

TEST(RingBuffer, CarriesEveryByteValueIncludingZeroAnd255) {
    RingBuffer<4> ring;
    EXPECT_TRUE(ring.push(0));
    EXPECT_TRUE(ring.push(255));
    EXPECT_EQ(ring.pop(), 0);
    EXPECT_EQ(ring.pop(), 255);
}

TEST(RingBuffer, WrapsAroundManyTimes) {
    RingBuffer<4> ring;
    for (int round = 0; round < 1000; ++round) {
        ASSERT_TRUE(ring.push(static_cast<uint8_t>(round)));
        ASSERT_TRUE(ring.push(static_cast<uint8_t>(round + 1)));
        ASSERT_EQ(ring.pop(), static_cast<uint8_t>(round));
        ASSERT_EQ(ring.pop(), static_cast<uint8_t>(round + 1));
    }
    EXPECT_TRUE(ring.empty());
}

TEST(RingBuffer, ALimitKeepsTheSlotsPastItForOtherBytes) {
    RingBuffer<8> ring;
    for (uint8_t b = 0; b < 6; ++b) ring.push(b, 4);
    EXPECT_EQ(ring.size(), 4u);
    EXPECT_EQ(ring.dropped(), 2u);
    EXPECT_TRUE(ring.push(100));  // without a limit: the kept slots
    EXPECT_TRUE(ring.push(101));
    EXPECT_FALSE(ring.push(102, 4));
    for (int expected : {0, 1, 2, 3, 100, 101}) EXPECT_EQ(ring.pop(), expected);
    EXPECT_EQ(ring.pop(), -1);
}

TEST(RingBuffer, ALimitAboveTheCapacityIsTheCapacity) {
    RingBuffer<4> ring;
    for (uint8_t b = 0; b < 6; ++b) ring.push(b, 100);
    EXPECT_EQ(ring.size(), 4u);
    EXPECT_EQ(ring.dropped(), 2u);
}

TEST(RingBuffer, OverflowDropsTheNewestAndCountsThem) {
    RingBuffer<4> ring;
    for (uint8_t b = 0; b < 10; ++b) ring.push(b);
    EXPECT_EQ(ring.size(), 4u);
    EXPECT_EQ(ring.dropped(), 6u);
    for (int expected = 0; expected < 4; ++expected)
        EXPECT_EQ(ring.pop(), expected);  // oldest kept
    EXPECT_EQ(ring.pop(), -1);
    EXPECT_TRUE(ring.push(42));  // room again after draining
    EXPECT_EQ(ring.pop(), 42);
}

TEST(RingBuffer, OneProducerOneConsumerLoseNothingAndKeepOrder) {
    static RingBuffer<64> ring;
    constexpr int kBytes = 20000;
    const test::Deadline deadline;
    std::atomic<int> pushed{0};
    test::Threads producer;
    producer.start([&] {
        for (int i = 0; i < kBytes; ++i) {
            while (!ring.push(static_cast<uint8_t>(i))) {
                if (deadline.passed()) return;  // the queue never made room
                std::this_thread::yield();
            }
            pushed.store(i + 1, std::memory_order_relaxed);
        }
    });
    int received = 0;
    int out_of_order = -1;  // the first byte that broke the order; checked after the join
    while (received < kBytes && !deadline.passed()) {
        const int b = ring.pop();
        if (b < 0) {
            std::this_thread::yield();
            continue;
        }
        if (b != static_cast<uint8_t>(received) && out_of_order < 0) out_of_order = received;
        ++received;
    }
    producer.join_within(test::kThreadDeadline, "the producer");
    ASSERT_EQ(pushed.load(), kBytes) << "the producer gave up: the queue stayed full";
    ASSERT_EQ(received, kBytes) << "the consumer gave up: bytes pushed never arrived";
    EXPECT_EQ(out_of_order, -1) << "byte " << out_of_order << " arrived out of order";
    EXPECT_TRUE(ring.empty());
}

}  // namespace
}  // namespace keel
