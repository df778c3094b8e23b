// SPDX-License-Identifier: MIT
// Load averages (lib/loadavg.h): Linux's fixed-point decay, sampled every 5 seconds.
#include <gtest/gtest.h>
#include <keel/lib/loadavg.h>

#include <cmath>

namespace keel::loadavg {
namespace {

double as_double(uint64_t load) {
    return static_cast<double>(load) / static_cast<double>(kOne);
}

TEST(LoadAverage, OneBusyTaskForAMinuteGivesOneMinusOneOverE) {
    Averages averages;
    for (int i = 0; i < 12; ++i) averages.sample(1);  // 60 s
    EXPECT_NEAR(as_double(averages.load[0]), 1.0 - std::exp(-1.0), 0.01);
    EXPECT_NEAR(as_double(averages.load[1]), 1.0 - std::exp(-0.2), 0.01);
    EXPECT_NEAR(as_double(averages.load[2]), 1.0 - std::exp(-1.0 / 15), 0.01);
}

TEST(LoadAverage, ALoadOneBelowItsTargetIsRoundedUpToIt) {
    EXPECT_EQ(decay_towards(kOne - 1, kDecay[0], 1), kOne);
}

TEST(LoadAverage, ALoadAtItsTargetStaysThere) {
    for (uint64_t decay : kDecay) EXPECT_EQ(decay_towards(3 * kOne, decay, 3), 3 * kOne);
}

TEST(LoadAverage, AnIdleSystemDecaysToExactlyZero) {
    Averages averages;
    averages.load[0] = averages.load[1] = averages.load[2] = 4 * kOne;
    for (int i = 0; i < 2000; ++i) averages.sample(0);
    EXPECT_EQ(averages.load[0], 0u);
    EXPECT_EQ(averages.load[1], 0u);
    EXPECT_EQ(averages.load[2], 0u);
}

TEST(LoadAverage, MissedSamplesAtOnceAgreeWithOneByOne) {
    for (uint64_t n : {2u, 7u, 60u}) {
        Averages one_by_one;
        Averages at_once;
        one_by_one.load[0] = at_once.load[0] = 5 * kOne;
        one_by_one.load[2] = at_once.load[2] = 5 * kOne;
        for (uint64_t i = 0; i < n; ++i) one_by_one.sample(2);
        at_once.sample(2, n);
        for (int i = 0; i < 3; ++i)
            EXPECT_NEAR(as_double(at_once.load[i]), as_double(one_by_one.load[i]), 0.02) << n;
    }
}

TEST(LoadAverage, DecayPowerOfZeroIsOneAndOfOneIsItself) {
    EXPECT_EQ(decay_power(kDecay[0], 0), kOne);
    EXPECT_EQ(decay_power(kDecay[1], 1), kDecay[1]);
}

TEST(LoadAverage, PrintsTwoDecimalsRoundedToTheNearestHundredth) {
    EXPECT_EQ(to_decimal(0).whole, 0u);
    EXPECT_EQ(to_decimal(0).hundredths, 0u);
    EXPECT_EQ(to_decimal(kOne).whole, 1u);
    EXPECT_EQ(to_decimal(kOne).hundredths, 0u);
    const Decimal half = to_decimal(kOne * 5 / 2);  // 2.50
    EXPECT_EQ(half.whole, 2u);
    EXPECT_EQ(half.hundredths, 50u);
    const Decimal almost = to_decimal(kOne - 1);  // 0.9995: 1.00
    EXPECT_EQ(almost.whole, 1u);
    EXPECT_EQ(almost.hundredths, 0u);
}

TEST(LoadAverage, SysinfoScalesToSixteenFractionBits) {
    EXPECT_EQ(to_sysinfo(kOne), 65536u);
    EXPECT_EQ(to_sysinfo(kOne / 2), 32768u);
}

}  // namespace
}  // namespace keel::loadavg
