// SPDX-License-Identifier: MIT
// The proleptic Gregorian calendar in UTC: days since 1970-01-01 to a date and back, and seconds
// since the epoch to a date and time of day. What the real-time clock's driver prints at boot and
// what /dev/rtc's RTC_RD_TIME and RTC_SET_TIME pass (struct rtc_time, as C's struct tm). Plain
// arithmetic, any year a 64-bit day count reaches; no time zones, no leap seconds (POSIX time).
#pragma once
#include <stdint.h>

namespace keel::civil {

struct Date {
    int64_t year = 1970;
    uint32_t month = 1;  // 1-12
    uint32_t day = 1;    // 1-31
};

struct DateTime {
    Date date;
    uint32_t hour = 0;     // 0-23
    uint32_t minute = 0;   // 0-59
    uint32_t second = 0;   // 0-59
    uint32_t weekday = 4;  // 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday)
    uint32_t yearday = 0;  // 0-365: days since 1 January
};

inline constexpr int64_t kSecondsPerDay = 86'400;

bool is_leap_year(int64_t year);
// 28-31; 0 for a month outside 1-12.
uint32_t days_in_month(int64_t year, uint32_t month);
// Whether `date` is a day of the calendar (month 1-12, day 1 to the month's length).
bool is_valid(const Date& date);

// Days since 1970-01-01 (negative before it). `date` must be valid.
int64_t days_from_date(const Date& date);
Date date_from_days(int64_t days);

// Seconds since 1970-01-01 00:00:00 UTC, both ways (a time before the epoch is negative).
DateTime from_seconds(int64_t seconds);
int64_t to_seconds(const Date& date, uint32_t hour, uint32_t minute, uint32_t second);

}  // namespace keel::civil
