// SPDX-License-Identifier: MIT
// The calendar (lib/civil_time.h) against dates whose day counts are known: the epoch, leap days,
// century years, 2038's 32-bit limit, far past and future, and a round trip over every day of
// 1600-2400 checked against a day-by-day walk.
#include <gtest/gtest.h>
#include <keel/lib/civil_time.h>

#include <ctime>

namespace keel::civil {
namespace {

TEST(CivilTimeTest, EpochIsDayZeroAndAThursday) {
    EXPECT_EQ(days_from_date(Date{1970, 1, 1}), 0);
    const DateTime t = from_seconds(0);
    EXPECT_EQ(t.date.year, 1970);
    EXPECT_EQ(t.date.month, 1u);
    EXPECT_EQ(t.date.day, 1u);
    EXPECT_EQ(t.weekday, 4u);
    EXPECT_EQ(t.yearday, 0u);
}

TEST(CivilTimeTest, KnownDayCounts) {
    EXPECT_EQ(days_from_date(Date{2000, 3, 1}), 11'017);
    EXPECT_EQ(days_from_date(Date{2000, 2, 29}), 11'016);
    EXPECT_EQ(days_from_date(Date{1969, 12, 31}), -1);
    EXPECT_EQ(days_from_date(Date{1900, 1, 1}), -25'567);
    EXPECT_EQ(days_from_date(Date{2026, 12, 5}), 20'792);
}

TEST(CivilTimeTest, Year2038LimitOfA32BitTime) {
    // 2^31 - 1 seconds: 2038-01-19 03:14:07 UTC, a Tuesday.
    const DateTime t = from_seconds(2'147'483'647);
    EXPECT_EQ(t.date.year, 2038);
    EXPECT_EQ(t.date.month, 1u);
    EXPECT_EQ(t.date.day, 19u);
    EXPECT_EQ(t.hour, 3u);
    EXPECT_EQ(t.minute, 14u);
    EXPECT_EQ(t.second, 7u);
    EXPECT_EQ(t.weekday, 2u);
    EXPECT_EQ(to_seconds(t.date, 3, 14, 8), 2'147'483'648);
}

TEST(CivilTimeTest, BeyondTheUnsigned32BitLimit) {
    // 2^32 seconds: 2106-02-07 06:28:16 UTC.
    const DateTime t = from_seconds(4'294'967'296);
    EXPECT_EQ(t.date.year, 2106);
    EXPECT_EQ(t.date.month, 2u);
    EXPECT_EQ(t.date.day, 7u);
    EXPECT_EQ(t.hour, 6u);
    EXPECT_EQ(t.minute, 28u);
    EXPECT_EQ(t.second, 16u);
}

TEST(CivilTimeTest, SecondsBeforeTheEpochCountBackwards) {
    const DateTime t = from_seconds(-1);
    EXPECT_EQ(t.date.year, 1969);
    EXPECT_EQ(t.date.month, 12u);
    EXPECT_EQ(t.date.day, 31u);
    EXPECT_EQ(t.hour, 23u);
    EXPECT_EQ(t.minute, 59u);
    EXPECT_EQ(t.second, 59u);
    EXPECT_EQ(t.weekday, 3u);  // a Wednesday
    EXPECT_EQ(t.yearday, 364u);
}

TEST(CivilTimeTest, LeapYearsFollowTheCenturyRule) {
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_TRUE(is_leap_year(2400));
    EXPECT_FALSE(is_leap_year(1900));
    EXPECT_FALSE(is_leap_year(2100));
    EXPECT_FALSE(is_leap_year(2026));
    EXPECT_EQ(days_in_month(2024, 2), 29u);
    EXPECT_EQ(days_in_month(2100, 2), 28u);
    EXPECT_EQ(days_in_month(2026, 13), 0u);
    EXPECT_EQ(days_in_month(2026, 0), 0u);
}

TEST(CivilTimeTest, ValidityChecksTheMonthsLength) {
    EXPECT_TRUE(is_valid(Date{2024, 2, 29}));
    EXPECT_FALSE(is_valid(Date{2023, 2, 29}));
    EXPECT_FALSE(is_valid(Date{2023, 4, 31}));
    EXPECT_FALSE(is_valid(Date{2023, 1, 0}));
    EXPECT_FALSE(is_valid(Date{2023, 13, 1}));
}

TEST(CivilTimeTest, YeardayCountsFromTheFirstOfJanuary) {
    EXPECT_EQ(from_seconds(to_seconds(Date{2024, 12, 31}, 0, 0, 0)).yearday, 365u);
    EXPECT_EQ(from_seconds(to_seconds(Date{2023, 12, 31}, 0, 0, 0)).yearday, 364u);
    EXPECT_EQ(from_seconds(to_seconds(Date{2023, 3, 1}, 0, 0, 0)).yearday, 59u);
}

TEST(CivilTimeTest, FarFutureAndPastRoundTrip) {
    for (const Date date : {Date{-4713, 11, 24}, Date{1, 1, 1}, Date{9999, 12, 31},
                            Date{292'277'026'596, 12, 4}, Date{-1200, 2, 29}}) {
        const Date back = date_from_days(days_from_date(date));
        EXPECT_EQ(back.year, date.year);
        EXPECT_EQ(back.month, date.month);
        EXPECT_EQ(back.day, date.day);
    }
}

TEST(CivilTimeTest, EveryDayFrom1600To2400FollowsTheDayBefore) {
    Date walk{1600, 1, 1};
    int64_t days = days_from_date(walk);
    uint32_t weekday = from_seconds(days * kSecondsPerDay).weekday;
    while (walk.year < 2400) {
        const Date got = date_from_days(days);
        ASSERT_EQ(got.year, walk.year);
        ASSERT_EQ(got.month, walk.month);
        ASSERT_EQ(got.day, walk.day);
        ASSERT_EQ(days_from_date(walk), days);
        ASSERT_EQ(from_seconds(days * kSecondsPerDay).weekday, weekday);
        ++days;
        weekday = (weekday + 1) % 7;
        if (++walk.day > days_in_month(walk.year, walk.month)) {
            walk.day = 1;
            if (++walk.month > 12) {
                walk.month = 1;
                ++walk.year;
            }
        }
    }
}

TEST(CivilTimeTest, AgreesWithTheHostsGmtime) {
    for (int64_t s = -5'000'000'000; s < 10'000'000'000; s += 7'777'777) {
        const time_t host_time = static_cast<time_t>(s);
        struct tm host;
        ASSERT_NE(gmtime_r(&host_time, &host), nullptr);
        const DateTime t = from_seconds(s);
        ASSERT_EQ(t.date.year, host.tm_year + 1900) << s;
        ASSERT_EQ(t.date.month, static_cast<uint32_t>(host.tm_mon + 1)) << s;
        ASSERT_EQ(t.date.day, static_cast<uint32_t>(host.tm_mday)) << s;
        ASSERT_EQ(t.hour, static_cast<uint32_t>(host.tm_hour)) << s;
        ASSERT_EQ(t.minute, static_cast<uint32_t>(host.tm_min)) << s;
        ASSERT_EQ(t.second, static_cast<uint32_t>(host.tm_sec)) << s;
        ASSERT_EQ(t.weekday, static_cast<uint32_t>(host.tm_wday)) << s;
        ASSERT_EQ(t.yearday, static_cast<uint32_t>(host.tm_yday)) << s;
    }
}

}  // namespace
}  // namespace keel::civil
