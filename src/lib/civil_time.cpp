// SPDX-License-Identifier: MIT
// The Gregorian calendar (include/keel/lib/civil_time.h). Counting is done in 400-year eras of
// 146097 days, each year starting on 1 March so that the leap day is the last of its year: the
// days of the months March..February then follow one formula (153 days per 5 months).
#include <keel/lib/civil_time.h>

namespace keel::civil {
namespace {

constexpr int64_t kDaysPerEra = 146'097;  // 400 years: 97 of them leap
// Days from 0000-03-01 (the first day of era 0) to 1970-01-01.
constexpr int64_t kEpochFromEraStart = 719'468;

// Floor division, for dates before the epoch.
int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The day of a March-based year (0 = 1 March) that month/day falls on.
int64_t day_of_march_year(uint32_t month, uint32_t day) {
    const int64_t shifted = month > 2 ? month - 3 : month + 9;  // March 0 .. February 11
    return (153 * shifted + 2) / 5 + day - 1;
}

}  // namespace

bool is_leap_year(int64_t year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

uint32_t days_in_month(int64_t year, uint32_t month) {
    constexpr uint8_t kLength[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return kLength[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
}

bool is_valid(const Date& date) {
    return date.day >= 1 && date.day <= days_in_month(date.year, date.month);
}

int64_t days_from_date(const Date& date) {
    const int64_t year = date.year - (date.month <= 2 ? 1 : 0);  // January, February: last year's
    const int64_t era = floor_div(year, 400);
    const int64_t year_of_era = year - era * 400;  // 0-399
    const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
                               day_of_march_year(date.month, date.day);
    return era * kDaysPerEra + day_of_era - kEpochFromEraStart;
}

Date date_from_days(int64_t days) {
    const int64_t from_era_zero = days + kEpochFromEraStart;
    const int64_t era = floor_div(from_era_zero, kDaysPerEra);
    const int64_t day_of_era = from_era_zero - era * kDaysPerEra;  // 0-146096
    // Leap days come every 1460 days but for centuries (36524) and the era's last day (146096).
    const int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
    const int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const int64_t month_index = (5 * day_of_year + 2) / 153;  // 0 March .. 11 February
    Date date;
    date.day = static_cast<uint32_t>(day_of_year - (153 * month_index + 2) / 5 + 1);
    date.month = static_cast<uint32_t>(month_index < 10 ? month_index + 3 : month_index - 9);
    date.year = year_of_era + era * 400 + (date.month <= 2 ? 1 : 0);
    return date;
}

DateTime from_seconds(int64_t seconds) {
    const int64_t days = floor_div(seconds, kSecondsPerDay);
    const int64_t in_day = seconds - days * kSecondsPerDay;
    DateTime t;
    t.date = date_from_days(days);
    t.hour = static_cast<uint32_t>(in_day / 3600);
    t.minute = static_cast<uint32_t>(in_day / 60 % 60);
    t.second = static_cast<uint32_t>(in_day % 60);
    t.weekday = static_cast<uint32_t>(days - floor_div(days + 4, 7) * 7 + 4);
    t.yearday = static_cast<uint32_t>(days - days_from_date(Date{t.date.year, 1, 1}));
    return t;
}

int64_t to_seconds(const Date& date, uint32_t hour, uint32_t minute, uint32_t second) {
    return days_from_date(date) * kSecondsPerDay + hour * 3600 + minute * 60 + second;
}

}  // namespace keel::civil
