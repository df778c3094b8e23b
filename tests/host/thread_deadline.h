// SPDX-License-Identifier: MIT
// Deadlines for the concurrency tests, so that a broken lock, queue or allocator fails its test in
// seconds with a message saying what stalled, instead of hanging until CTest's timeout kills it.
//   Deadline   for waits the test itself loops on (a consumer polling for data): it gives up.
//   Threads    starts a test's threads and joins them within a deadline. A thread stuck where it
//              cannot give up (spinning inside TicketLock::acquire) can be neither joined nor
//              stopped, and it still uses the test's locals: the test is failed and the process
//              ends at once. CTest runs every test in a process of its own, so no other is lost.
#pragma once
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace keel::test {

// Far beyond what any of these tests needs when the code works (well under 0.1 s under TSan on two
// busy cores), well within CTest's 120 s.
inline constexpr std::chrono::seconds kThreadDeadline{5};

class Deadline {
public:
    explicit Deadline(std::chrono::steady_clock::duration limit = kThreadDeadline)
        : end_(std::chrono::steady_clock::now() + limit) {}
    bool passed() const { return std::chrono::steady_clock::now() >= end_; }

private:
    std::chrono::steady_clock::time_point end_;
};

class Threads {
public:
    Threads() = default;
    Threads(const Threads&) = delete;
    Threads& operator=(const Threads&) = delete;
    ~Threads() {
        if (!threads_.empty()) join_within(kThreadDeadline, "threads left running");
    }

    template <typename Body>
    void start(Body body) {
        threads_.emplace_back([this, body = std::move(body)]() mutable {
            body();
            const std::lock_guard<std::mutex> lock(mutex_);
            ++finished_;
            all_finished_.notify_all();
        });
    }

    // Joins every thread, or fails the test naming `what` and ends the process if some thread has
    // not returned within `limit`.
    void join_within(std::chrono::steady_clock::duration limit, const char* what) {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!all_finished_.wait_for(lock, limit, [this] { return finished_ == threads_.size(); })) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limit).count();
            ADD_FAILURE() << what << ": " << threads_.size() - finished_ << " of "
                          << threads_.size() << " threads still running after " << ms
                          << " ms; they cannot be stopped, so the test process ends here";
            fflush(stdout);
            fflush(stderr);
            _Exit(EXIT_FAILURE);
        }
        lock.unlock();
        for (std::thread& thread : threads_) thread.join();
        threads_.clear();
        finished_ = 0;
    }

private:
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable all_finished_;
    size_t finished_ = 0;
};

}  // namespace keel::test
