// SPDX-License-Identifier: MIT
// IntrusiveList (the run queues' and wait queues' list): FIFO order, removal from anywhere,
// against a std::deque model under random operations.
#include <gtest/gtest.h>
#include <keel/lib/intrusive_list.h>

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

namespace keel {
namespace {

struct Task {
    int id = 0;
    ListLink run;  // two links: a task may sit on one list through each
    ListLink wait;
};

using RunQueue = IntrusiveList<Task, &Task::run>;
using WaitQueue = IntrusiveList<Task, &Task::wait>;

TEST(IntrusiveList, IsFirstInFirstOut) {
    Task tasks[3] = {{1, {}, {}}, {2, {}, {}}, {3, {}, {}}};
    RunQueue queue;
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.pop_front(), nullptr);
    for (Task& t : tasks) queue.push_back(t);
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_EQ(queue.front()->id, 1);
    EXPECT_EQ(queue.pop_front()->id, 1);
    EXPECT_EQ(queue.pop_front()->id, 2);
    EXPECT_EQ(queue.pop_front()->id, 3);
    EXPECT_TRUE(queue.empty());
    EXPECT_FALSE(tasks[0].run.linked());
}

TEST(IntrusiveList, RemovesFromTheMiddleAndTheEnds) {
    Task tasks[4] = {{1, {}, {}}, {2, {}, {}}, {3, {}, {}}, {4, {}, {}}};
    RunQueue queue;
    for (Task& t : tasks) queue.push_back(t);
    queue.remove(tasks[1]);
    queue.remove(tasks[3]);
    queue.remove(tasks[0]);
    EXPECT_EQ(queue.size(), 1u);
    EXPECT_EQ(queue.pop_front()->id, 3);
    queue.push_back(tasks[1]);  // back on after being taken off
    EXPECT_EQ(queue.front()->id, 2);
}

TEST(IntrusiveList, ATaskMaySitOnOneListThroughEachLink) {
    Task task{7, {}, {}};
    RunQueue run;
    WaitQueue wait;
    run.push_back(task);
    wait.push_back(task);
    EXPECT_EQ(run.front(), &task);
    EXPECT_EQ(wait.front(), &task);
    run.remove(task);
    EXPECT_TRUE(run.empty());
    EXPECT_EQ(wait.pop_front(), &task);
}

TEST(IntrusiveList, RandomOperationsMatchADequeModel) {
    std::vector<Task> tasks(64);
    for (size_t i = 0; i < tasks.size(); ++i) tasks[i].id = static_cast<int>(i);
    RunQueue queue;
    std::deque<int> model;
    std::mt19937 rng(42);
    for (int step = 0; step < 20000; ++step) {
        const int pick = static_cast<int>(rng() % tasks.size());
        Task& t = tasks[pick];
        switch (rng() % 3) {
        case 0:
            if (!t.run.linked()) {
                queue.push_back(t);
                model.push_back(pick);
            }
            break;
        case 1: {
            Task* front = queue.pop_front();
            if (model.empty()) {
                ASSERT_EQ(front, nullptr);
            } else {
                ASSERT_NE(front, nullptr);
                ASSERT_EQ(front->id, model.front());
                model.pop_front();
            }
            break;
        }
        case 2:
            if (t.run.linked()) {
                queue.remove(t);
                model.erase(std::find(model.begin(), model.end(), pick));
            }
            break;
        }
        ASSERT_EQ(queue.size(), model.size());
        std::vector<int> seen;
        queue.for_each([&](const Task& each) { seen.push_back(each.id); });
        ASSERT_TRUE(std::equal(seen.begin(), seen.end(), model.begin(), model.end()));
    }
}

}  // namespace
}  // namespace keel
