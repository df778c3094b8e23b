// SPDX-License-Identifier: MIT
// TicketLock and TasLock: mutual exclusion under many threads (also run under TSan), and refusing
// a lock the taker already holds; the ticket lock also serves in order. A lock that is never
// released fails the threaded tests within seconds.
#include <gtest/gtest.h>
#include <keel/lib/tas_lock.h>
#include <keel/lib/ticket_lock.h>

#include <atomic>
#include <thread>
#include <vector>

#include "thread_deadline.h"

namespace keel {
namespace {

template <typename L>
class SpinLocks : public ::testing::Test {};
using LockKinds = ::testing::Types<TicketLock, TasLock>;
TYPED_TEST_SUITE(SpinLocks, LockKinds);

TYPED_TEST(SpinLocks, TakesAndReleases) {
    TypeParam lock;
    EXPECT_FALSE(lock.held());
    ASSERT_TRUE(lock.acquire(7, {"a.cpp", 1}));
    EXPECT_EQ(lock.owner(), 7u);
    EXPECT_STREQ(lock.holder().file, "a.cpp");
    lock.release();
    EXPECT_FALSE(lock.held());
    // In a thread with a deadline: after a release that does not pass the lock on, this spins.
    test::Threads next;
    next.start([&] {
        EXPECT_TRUE(lock.acquire(8, {"b.cpp", 2}));
        lock.release();
    });
    next.join_within(test::kThreadDeadline, "taking the released lock again");
}

TYPED_TEST(SpinLocks, RefusesTheOwnerTakingItAgainAndKeepsTheFirstLocation) {
    TypeParam lock;
    ASSERT_TRUE(lock.acquire(3, {"first.cpp", 10}));
    EXPECT_FALSE(lock.acquire(3, {"second.cpp", 20}));
    EXPECT_EQ(lock.owner(), 3u);
    EXPECT_STREQ(lock.holder().file, "first.cpp");
    EXPECT_EQ(lock.holder().line, 10);
    lock.release();
}

TYPED_TEST(SpinLocks, ManyThreadsNeverOverlapInsideTheLock) {
    static TypeParam lock;
    constexpr int kThreads = 4;
    constexpr int kRounds = 1000;
    long counter = 0;            // plain: only ever touched under the lock
    std::atomic<int> inside{0};  // how many threads are inside right now
    std::atomic<bool> overlapped{false};
    std::atomic<int> waiting{kThreads};  // all start together, or they would just take turns
    test::Threads threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.start([&, t] {
            waiting.fetch_sub(1);
            while (waiting.load() > 0) std::this_thread::yield();
            for (int i = 0; i < kRounds; ++i) {
                ASSERT_TRUE(lock.acquire(static_cast<uint64_t>(t + 1), {"test", t}));
                if (inside.fetch_add(1) != 0) overlapped = true;
                // Stay inside a while, so that a broken lock shows up as two threads in here.
                for (int spin = 0; spin < 500; ++spin) {
                    if (inside.load(std::memory_order_relaxed) != 1) overlapped = true;
                }
                ++counter;
                inside.fetch_sub(1);
                lock.release();
            }
        });
    }
    threads.join_within(test::kThreadDeadline, "threads waiting for the lock");
    EXPECT_FALSE(overlapped.load());
    EXPECT_EQ(counter, long{kThreads} * kRounds);
}

TEST(TicketLock, ServesWaitersInTicketOrder) {
    static TicketLock lock;
    ASSERT_TRUE(lock.acquire(100, {"main", 0}));
    std::vector<int> order;
    test::Threads threads;
    for (int t = 0; t < 4; ++t) {
        threads.start([&, t] {
            ASSERT_TRUE(lock.acquire(static_cast<uint64_t>(t + 1), {"waiter", t}));
            order.push_back(t);
            lock.release();
        });
        // Let thread t draw its ticket before the next one starts.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    lock.release();
    threads.join_within(test::kThreadDeadline, "waiters for the released lock");
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace keel
