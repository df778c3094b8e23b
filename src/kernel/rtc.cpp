// SPDX-License-Identifier: MIT
// The real-time clock (include/keel/kernel/rtc.h).
#include <keel/core/console.h>
#include <keel/core/lock.h>
#include <keel/drivers/goldfish_rtc.h>
#include <keel/kernel/rtc.h>
#include <keel/lib/civil_time.h>

namespace keel::rtc {
namespace {

constexpr uint64_t kNanosecond = 1'000'000'000;
constinit uintptr_t g_base = 0;  // the goldfish RTC's registers; 0: none
// One reader or writer at a time: reading TIME_LOW latches TIME_HIGH for the next read, and two
// harts in between would pair one's low half with the other's high half.
constinit Lock g_lock;

}  // namespace

void init(const BootInfo& info) {
    g_base = info.rtc_base;
    if (g_base == 0) {
        if (info.rtc_refused != nullptr)
            console::print("rtc: not using the goldfish rtc: {}\n", info.rtc_refused);
        console::print("rtc: none; the time of day starts at 1970-01-01\n");
        return;
    }
    const clock::Time now = read();
    clock::set_realtime(now);
    const civil::DateTime t = civil::from_seconds(now.seconds);
    console::print("rtc: goldfish at {:#x}, {}-{:02}-{:02} {:02}:{:02}:{:02} UTC\n", g_base,
                   t.date.year, t.date.month, t.date.day, t.hour, t.minute, t.second);
}

bool present() {
    return g_base != 0;
}

clock::Time read() {
    if (g_base == 0) return clock::Time{};
    uint64_t ns;
    {
        LockGuard guard(g_lock, KEEL_HERE);
        ns = GoldfishRtc{g_base}.read_ns();
    }
    return clock::Time{static_cast<int64_t>(ns / kNanosecond),
                       static_cast<int64_t>(ns % kNanosecond)};
}

void write(clock::Time now) {
    if (g_base == 0) return;
    // (in unsigned arithmetic: RTC_SET_TIME takes years up to 2554, past int64_t's nanoseconds)
    const uint64_t ns =
        static_cast<uint64_t>(now.seconds) * kNanosecond + static_cast<uint64_t>(now.nanoseconds);
    LockGuard guard(g_lock, KEEL_HERE);
    GoldfishRtc{g_base}.write_ns(ns);
}

}  // namespace keel::rtc
