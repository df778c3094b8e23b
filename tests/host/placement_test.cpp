// SPDX-License-Identifier: MIT
// The scheduler's choices of hart (lib/placement.h): where a woken task goes, whom an idle hart
// takes a task from.
#include <gtest/gtest.h>
#include <keel/lib/placement.h>

#include <vector>

namespace keel {
namespace {

struct Harts {
    std::vector<bool> online;
    std::vector<size_t> load;
    unsigned count() const { return static_cast<unsigned>(load.size()); }
    unsigned least(unsigned preferred) const {
        return least_loaded(
            count(), preferred, [&](unsigned h) { return bool(online[h]); },
            [&](unsigned h) { return load[h]; });
    }
};

TEST(LeastLoaded, AnIdleHartBeatsTheBusyOneTheTaskLastRanOn) {
    const Harts harts{{true, true, true}, {2, 0, 1}};
    EXPECT_EQ(harts.least(0), 1u);
}

TEST(LeastLoaded, TiesGoToTheHartTheTaskLastRanOn) {
    const Harts harts{{true, true, true}, {1, 1, 1}};
    EXPECT_EQ(harts.least(2), 2u);
    const Harts idle{{true, true, true}, {0, 0, 0}};
    EXPECT_EQ(idle.least(1), 1u);
}

TEST(LeastLoaded, HartsThatAreNotOnlineAreNeverChosen) {
    const Harts harts{{true, false, true}, {3, 0, 2}};
    EXPECT_EQ(harts.least(0), 2u);
}

TEST(LeastLoaded, AnOfflinePreferredHartGivesWayToTheLightestOnlineOne) {
    const Harts harts{{false, true, true}, {0, 4, 1}};
    EXPECT_EQ(harts.least(0), 2u);
}

TEST(LeastLoaded, NothingOnlineLeavesThePreferredHart) {
    const Harts harts{{false, false}, {0, 0}};
    EXPECT_EQ(harts.least(1), 1u);
}

unsigned victim(const std::vector<size_t>& waiting, const std::vector<bool>& stealable,
                unsigned thief) {
    return steal_victim(
        static_cast<unsigned>(waiting.size()), thief, [&](unsigned h) { return waiting[h]; },
        [&](unsigned h) { return bool(stealable[h]); });
}

TEST(StealVictim, TheBusiestOtherQueueWithATaskToTake) {
    EXPECT_EQ(victim({0, 2, 5, 1}, {true, true, true, true}, 0), 2u);
}

TEST(StealVictim, AQueueOfPinnedTasksOnlyIsPassedOver) {
    EXPECT_EQ(victim({0, 2, 5, 1}, {true, true, false, true}, 0), 1u);
}

TEST(StealVictim, TheThiefNeverRobsItself) {
    EXPECT_EQ(victim({9, 1}, {true, true}, 0), 1u);
}

TEST(StealVictim, NothingWaitingAnywhereMeansNoVictim) {
    EXPECT_EQ(victim({0, 0, 0}, {false, false, false}, 1), 3u);
}

TEST(StealVictim, EqualQueuesGiveTheFirst) {
    EXPECT_EQ(victim({0, 3, 3}, {true, true, true}, 0), 1u);
}

}  // namespace
}  // namespace keel
