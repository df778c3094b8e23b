// SPDX-License-Identifier: MIT
// The real-time clock device (/dev/rtc): the time as its ioctls pass it. Linux's
// include/uapi/linux/rtc.h (rtc(4)).
#pragma once
#include <keel/abi/ioctl.h>
#include <stdint.h>

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 36 bytes, fields as C's struct tm: tm_mon 0-11, tm_year since 1900.
struct rtc_time {
    int32_t tm_sec;
    int32_t tm_min;
    int32_t tm_hour;
    int32_t tm_mday;
    int32_t tm_mon;
    int32_t tm_year;
    int32_t tm_wday;
    int32_t tm_yday;
    int32_t tm_isdst;
};

// NOLINTEND(readability-identifier-naming)

#define RTC_RD_TIME _IOR('p', 0x09, struct rtc_time)   // 0x80247009
#define RTC_SET_TIME _IOW('p', 0x0a, struct rtc_time)  // 0x4024700a
