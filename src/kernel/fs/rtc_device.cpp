// SPDX-License-Identifier: MIT
// /dev/rtc0: the real-time clock's ioctls, as Linux's rtc class has them (rtc(4)):
// RTC_RD_TIME and RTC_SET_TIME, the time as a struct rtc_time in UTC. Setting it changes the
// hardware only, never the time of day (hwclock -w, then hwclock -r, agree). Its alarm and
// update interrupts are not offered (-ENOTTY, as a clock without them).
#include <keel/abi/errno.h>
#include <keel/abi/rtc.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/rtc.h>
#include <keel/lib/civil_time.h>

namespace keel::fs {
namespace {

// What the goldfish counter can hold: 2^64 ns, in whole seconds (Linux's range_max for it).
constexpr int64_t kLatestSecond = static_cast<int64_t>(~uint64_t{0} / 1'000'000'000);

struct rtc_time to_rtc_time(int64_t seconds) {
    const civil::DateTime t = civil::from_seconds(seconds);
    struct rtc_time value = {};
    value.tm_sec = static_cast<int32_t>(t.second);
    value.tm_min = static_cast<int32_t>(t.minute);
    value.tm_hour = static_cast<int32_t>(t.hour);
    value.tm_mday = static_cast<int32_t>(t.date.day);
    value.tm_mon = static_cast<int32_t>(t.date.month) - 1;
    value.tm_year = static_cast<int32_t>(t.date.year - 1900);
    value.tm_wday = static_cast<int32_t>(t.weekday);
    value.tm_yday = static_cast<int32_t>(t.yearday) + 1;  // Linux's rtc_time64_to_tm counts from 1
    return value;
}

// A struct rtc_time as seconds since the epoch: -EINVAL for a field out of its range or a year
// before 1970 (Linux's rtc_valid_tm), -ERANGE past what the clock holds. tm_wday, tm_yday and
// tm_isdst are not looked at.
int64_t from_rtc_time(const struct rtc_time& t, int64_t& seconds) {
    const civil::Date date{int64_t{t.tm_year} + 1900, static_cast<uint32_t>(t.tm_mon) + 1,
                           static_cast<uint32_t>(t.tm_mday)};
    if (t.tm_year < 70 || t.tm_mon < 0 || t.tm_mon >= 12 || t.tm_mday < 1 ||
        !civil::is_valid(date) || t.tm_hour < 0 || t.tm_hour >= 24 || t.tm_min < 0 ||
        t.tm_min >= 60 || t.tm_sec < 0 || t.tm_sec >= 60)
        return -EINVAL;
    seconds = civil::to_seconds(date, static_cast<uint32_t>(t.tm_hour),
                                static_cast<uint32_t>(t.tm_min), static_cast<uint32_t>(t.tm_sec));
    return seconds > kLatestSecond ? -ERANGE : 0;
}

class RealTimeClock final : public FileOps {
public:
    bool seekable() const override { return false; }
    int64_t ioctl(File&, uint64_t request, uint64_t argument) const override {
        IoBuffer user = IoBuffer::user(argument, sizeof(struct rtc_time));
        struct rtc_time value;
        switch (request) {
        case RTC_RD_TIME:
            value = to_rtc_time(rtc::read().seconds);
            return user.give(0, &value, sizeof value) ? 0 : -EFAULT;
        case RTC_SET_TIME: {
            if (!user.take(0, &value, sizeof value)) return -EFAULT;
            int64_t seconds = 0;
            if (const int64_t error = from_rtc_time(value, seconds); error != 0) return error;
            rtc::write(clock::Time{seconds, 0});
            return 0;
        }
        default: return -ENOTTY;
        }
    }
};

constinit RealTimeClock g_rtc;

}  // namespace

const FileOps& rtc_ops() {
    return g_rtc;
}

}  // namespace keel::fs
