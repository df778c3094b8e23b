// SPDX-License-Identifier: MIT
// The time of day, the real-time clock and CPU time: clock_settime, settimeofday, gettimeofday,
// /dev/rtc0's RTC_RD_TIME and RTC_SET_TIME, times, getrusage, wait4's rusage and the CPU-time
// clocks. It prints only what two correct kernels agree on: times set and read back within a
// second or two, errors, and CPU times as yes/no against generous bounds.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define BAD ((void*)8)  // an address no program has

static int64_t ns_of(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static volatile uint64_t g_sink;
static time_t g_booted;    // the time of day when the program started
static int64_t g_started;  // CLOCK_MONOTONIC then

// The time of day as it would be had nothing set it since the start.
static time_t true_time(void) {
    return g_booted + (time_t)((ns_of(CLOCK_MONOTONIC) - g_started) / 1000000000);
}

// Burns `ms` of the process's CPU time in user mode (checking the clock rarely, so that the
// time is the loop's, not the calls').
static void burn(int ms) {
    const int64_t until = ns_of(CLOCK_PROCESS_CPUTIME_ID) + (int64_t)ms * 1000000;
    uint64_t x = 1;
    while (ns_of(CLOCK_PROCESS_CPUTIME_ID) < until) {
        for (int i = 0; i < 200000; ++i) x = x * 6364136223846793005u + 1442695040888963407u;
        g_sink = x;
    }
}

static int64_t us_of(struct timeval t) {
    return (int64_t)t.tv_sec * 1000000 + t.tv_usec;
}

static int64_t within(int64_t got, int64_t want, int64_t slack) {
    return got >= want && got <= want + slack;
}

static void time_of_day(void) {
    header("time of day");
    const time_t when = 1893456000;  // 2030-01-01 00:00:00 UTC
    struct timespec set = {when, 0};
    ok("clock_settime(CLOCK_REALTIME, 2030-01-01)", clock_settime(CLOCK_REALTIME, &set));
    yes("time() reads it back", within(time(NULL), when, 2));
    struct timeval tv;
    ok("gettimeofday", gettimeofday(&tv, NULL));
    yes("gettimeofday reads it back", within(tv.tv_sec, when, 2));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    yes("clock_gettime(CLOCK_REALTIME) reads it back", within(now.tv_sec, when, 2));

    struct timeval later = {1939982400, 500000};  // 2031-06-23 10:00:00.5 UTC
    struct timezone zone = {-60, 0};
    // glibc refuses a time and a zone together (EINVAL); the kernel takes both.
    fails("glibc's settimeofday(time, zone)", settimeofday(&later, &zone));
    ok("settimeofday(2031-06-23, zone -60)", syscall(SYS_settimeofday, &later, &zone));
    struct timezone back = {1, 1};
    ok("gettimeofday with a zone", gettimeofday(&tv, &back));
    yes("settimeofday's time reads back", within(us_of(tv), us_of(later), 2000000));
    printf("glibc's gettimeofday's zone: %d %d\n", back.tz_minuteswest, back.tz_dsttime);  // 0s
    ok("the kernel's gettimeofday with a zone", syscall(SYS_gettimeofday, &tv, &back));
    printf("its zone: %d %d\n", back.tz_minuteswest, back.tz_dsttime);
    ok("gettimeofday(NULL, NULL)", syscall(SYS_gettimeofday, NULL, NULL));
    fails("gettimeofday(bad tv)", syscall(SYS_gettimeofday, BAD, NULL));
    fails("gettimeofday(bad tz)", syscall(SYS_gettimeofday, &tv, BAD));

    struct timeval bad_usec = {later.tv_sec, 1000000};
    fails("settimeofday(usec 1000000)", settimeofday(&bad_usec, NULL));
    bad_usec.tv_usec = -1;
    fails("settimeofday(usec -1)", settimeofday(&bad_usec, NULL));
    struct timeval negative = {-1, 0};
    fails("settimeofday(-1 s)", settimeofday(&negative, NULL));
    fails("settimeofday(bad tv)", syscall(SYS_settimeofday, BAD, NULL));
    fails("settimeofday(bad tz)", syscall(SYS_settimeofday, &later, BAD));
    struct timezone far = {901, 0};
    fails("settimeofday(zone 901 minutes west)", settimeofday(NULL, &far));
    struct timezone utc = {0, 0};
    ok("settimeofday(NULL, zone 0)", settimeofday(NULL, &utc));

    fails("clock_settime(CLOCK_MONOTONIC)", clock_settime(CLOCK_MONOTONIC, &set));
    fails("clock_settime(CLOCK_BOOTTIME)", clock_settime(CLOCK_BOOTTIME, &set));
    fails("clock_settime(CLOCK_TAI)", clock_settime(CLOCK_TAI, &set));
    fails("clock_settime(CLOCK_PROCESS_CPUTIME_ID)", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &set));
    fails("clock_settime(CLOCK_THREAD_CPUTIME_ID)", clock_settime(CLOCK_THREAD_CPUTIME_ID, &set));
    fails("clock_settime(CLOCK_MONOTONIC, bad)", syscall(SYS_clock_settime, CLOCK_MONOTONIC, BAD));
    fails("clock_settime(CLOCK_REALTIME, bad)", syscall(SYS_clock_settime, CLOCK_REALTIME, BAD));
    fails("clock_settime(CLOCK_PROCESS_CPUTIME_ID, bad)",
          syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, BAD));
    struct timespec bad_ns = {when, 1000000000};
    fails("clock_settime(CLOCK_REALTIME, 1e9 ns)", clock_settime(CLOCK_REALTIME, &bad_ns));
    struct timespec before_epoch = {-1, 0};
    fails("clock_settime(CLOCK_REALTIME, -1 s)", clock_settime(CLOCK_REALTIME, &before_epoch));
    struct timespec too_late = {8277292036, 0};
    fails("clock_settime(CLOCK_REALTIME, past 2232)", clock_settime(CLOCK_REALTIME, &too_late));
    too_late.tv_sec -= 1;
    ok("clock_settime(CLOCK_REALTIME, just before that)", clock_settime(CLOCK_REALTIME, &too_late));
    yes("time() reads 8277292035", within(time(NULL), 8277292035, 2));
    struct timespec restore = {true_time(), 0};
    ok("clock_settime(CLOCK_REALTIME) back", clock_settime(CLOCK_REALTIME, &restore));
}

static void print_rtc(const char* what, const struct rtc_time* t) {
    printf("%s: %04d-%02d-%02d %02d:%02d wday %d yday %d isdst %d\n", what, t->tm_year + 1900,
           t->tm_mon + 1, t->tm_mday, t->tm_hour, t->tm_min, t->tm_wday, t->tm_yday, t->tm_isdst);
}

static void set_fails(int fd, const char* what, struct rtc_time t) {
    fails(what, ioctl(fd, RTC_SET_TIME, &t));
}

static void real_time_clock(void) {
    header("rtc");
    struct stat st;
    ok("stat /dev/rtc0", stat("/dev/rtc0", &st));
    printf("/dev/rtc0: %s %u:%u\n", S_ISCHR(st.st_mode) ? "character device" : "not a device",
           major(st.st_rdev), minor(st.st_rdev));
    const int fd = open("/dev/rtc0", O_RDONLY);
    ok("open /dev/rtc0", fd);
    if (fd < 0) return;
    struct rtc_time t;
    ok("RTC_RD_TIME", ioctl(fd, RTC_RD_TIME, &t));
    yes("the year is 2025 or later", t.tm_year + 1900 >= 2025);
    struct tm tm = {.tm_sec = t.tm_sec,
                    .tm_min = t.tm_min,
                    .tm_hour = t.tm_hour,
                    .tm_mday = t.tm_mday,
                    .tm_mon = t.tm_mon,
                    .tm_year = t.tm_year};
    const time_t rtc = timegm(&tm);
    // (Within a few seconds either way: the time of day was set from it at boot, and each side
    // drops its fraction of a second.)
    yes("it agrees with the time of day at the start", within(rtc, g_booted - 5, 15));
    struct tm civil;
    gmtime_r(&rtc, &civil);
    yes("its weekday is the date's", t.tm_wday == civil.tm_wday && t.tm_isdst == 0);
    // Linux's rtc_time64_to_tm counts tm_yday from 1 (1 January is 1), unlike C's struct tm.
    yes("its yearday is the date's, counted from 1", t.tm_yday == civil.tm_yday + 1);
    fails("RTC_RD_TIME(bad)", ioctl(fd, RTC_RD_TIME, BAD));
    fails("RTC_SET_TIME(bad)", ioctl(fd, RTC_SET_TIME, BAD));
    fails("an unknown ioctl (TCGETS)", ioctl(fd, 0x5401, &t));

    const struct rtc_time good = {.tm_sec = 6,
                                  .tm_min = 5,
                                  .tm_hour = 4,
                                  .tm_mday = 29,
                                  .tm_mon = 1,
                                  .tm_year = 132};  // 2032-02-29 04:05:06
    struct rtc_time bad = good;
    bad.tm_mon = 12;
    set_fails(fd, "RTC_SET_TIME month 12", bad);
    bad = good;
    bad.tm_mon = -1;
    set_fails(fd, "RTC_SET_TIME month -1", bad);
    bad = good;
    bad.tm_mday = 0;
    set_fails(fd, "RTC_SET_TIME day 0", bad);
    bad = good;
    bad.tm_year = 131;
    set_fails(fd, "RTC_SET_TIME 2031-02-29", bad);
    bad = good;
    bad.tm_mon = 3;
    bad.tm_mday = 31;
    set_fails(fd, "RTC_SET_TIME April 31", bad);
    bad = good;
    bad.tm_hour = 24;
    set_fails(fd, "RTC_SET_TIME hour 24", bad);
    bad = good;
    bad.tm_min = 60;
    set_fails(fd, "RTC_SET_TIME minute 60", bad);
    bad = good;
    bad.tm_sec = 60;
    set_fails(fd, "RTC_SET_TIME second 60", bad);
    bad = good;
    bad.tm_year = 69;
    set_fails(fd, "RTC_SET_TIME 1969", bad);
    bad = good;
    bad.tm_year = 3000 - 1900;
    bad.tm_mon = 0;
    set_fails(fd, "RTC_SET_TIME 3000", bad);

    ok("RTC_SET_TIME 2032-02-29 04:05:06", ioctl(fd, RTC_SET_TIME, &good));
    struct rtc_time read_back;
    ok("RTC_RD_TIME", ioctl(fd, RTC_RD_TIME, &read_back));
    print_rtc("it reads", &read_back);
    yes("within 2 s of what was set", read_back.tm_sec >= 6 && read_back.tm_sec <= 8);
    yes("the time of day did not move with it", within(time(NULL), true_time() - 1, 3));
    struct rtc_time epoch = {.tm_mday = 1, .tm_year = 70};
    ok("RTC_SET_TIME 1970-01-01", ioctl(fd, RTC_SET_TIME, &epoch));
    ok("RTC_RD_TIME", ioctl(fd, RTC_RD_TIME, &read_back));
    print_rtc("it reads", &read_back);
    // Back to about where it was, for whatever runs next.
    const time_t restore = true_time();
    struct tm again;
    gmtime_r(&restore, &again);
    struct rtc_time put = {.tm_sec = again.tm_sec,
                           .tm_min = again.tm_min,
                           .tm_hour = again.tm_hour,
                           .tm_mday = again.tm_mday,
                           .tm_mon = again.tm_mon,
                           .tm_year = again.tm_year};
    ok("RTC_SET_TIME back", ioctl(fd, RTC_SET_TIME, &put));
    close(fd);
    const int wronly = open("/dev/rtc0", O_WRONLY);
    ok("open /dev/rtc0 write-only", wronly);
    if (wronly >= 0) close(wronly);
}

// Touches `mib` MiB of fresh anonymous memory, and gives it back.
static void touch(int mib) {
    const size_t size = (size_t)mib << 20;
    char* block = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) return;
    memset(block, 1, size);
    munmap(block, size);
}

static void max_resident(void) {
    header("ru_maxrss");
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    yes("some memory from the start", before.ru_maxrss > 0);
    touch(4);
    getrusage(RUSAGE_SELF, &after);
    yes("4 MiB touched (and given back): 4096 KiB or more", after.ru_maxrss >= 4096);
    yes("it grew", after.ru_maxrss > before.ru_maxrss);
    const pid_t child = fork();
    if (child == 0) {
        touch(12);
        _exit(0);
    }
    struct rusage child_usage, children;
    val("wait4 reaps the child", wait4(child, NULL, 0, &child_usage) == child);
    yes("wait4's ru_maxrss: the child's 12 MiB", child_usage.ru_maxrss >= 12288);
    getrusage(RUSAGE_CHILDREN, &children);
    yes("RUSAGE_CHILDREN's ru_maxrss: 12 MiB or more", children.ru_maxrss >= 12288);
    getrusage(RUSAGE_SELF, &after);
    yes("the caller's own stays under 12 MiB", after.ru_maxrss < 12288);
}

static void cpu_time(void) {
    header("cpu time");
    struct rusage self, children;
    ok("getrusage(RUSAGE_CHILDREN) at the start", getrusage(RUSAGE_CHILDREN, &children));
    yes("no children's time yet", us_of(children.ru_utime) + us_of(children.ru_stime) == 0);
    struct tms before, after;
    const clock_t t0 = times(&before);
    yes("times() returns a count", t0 != (clock_t)-1);
    const int64_t cpu0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    const int64_t thread0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
    burn(400);
    const int64_t cpu1 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    yes("CLOCK_PROCESS_CPUTIME_ID advanced 0.4 s while burning", cpu1 - cpu0 >= 400000000);
    yes("CLOCK_THREAD_CPUTIME_ID advanced with it",
        ns_of(CLOCK_THREAD_CPUTIME_ID) - thread0 >= 400000000);
    times(&after);
    const long ticks = (after.tms_utime + after.tms_stime) - (before.tms_utime + before.tms_stime);
    yes("times: 30-80 ticks more", ticks >= 30 && ticks <= 80);
    yes("times: mostly user time", after.tms_utime - before.tms_utime > ticks / 2);
    ok("getrusage(RUSAGE_SELF)", getrusage(RUSAGE_SELF, &self));
    yes("getrusage: at least 0.35 s", us_of(self.ru_utime) + us_of(self.ru_stime) >= 350000);
    yes("getrusage: mostly user time", us_of(self.ru_utime) > us_of(self.ru_stime));
    struct rusage thread;
    ok("getrusage(RUSAGE_THREAD)", getrusage(RUSAGE_THREAD, &thread));
    yes("the thread's is the process's", us_of(thread.ru_utime) + us_of(thread.ru_stime) >= 350000);

    const int64_t asleep = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    const clock_t slept_from = times(NULL);
    usleep(500000);
    yes("CLOCK_PROCESS_CPUTIME_ID stood still while sleeping",
        ns_of(CLOCK_PROCESS_CPUTIME_ID) - asleep < 50000000);
    const long slept = times(NULL) - slept_from;
    yes("times()'s count moved 50 ticks over a 0.5 s sleep", slept >= 48 && slept <= 100);

    // The child's end shows as the end of a pipe it holds: it has ended, and is not waited for.
    int ended[2];
    ok("pipe", pipe(ended));
    const pid_t child = fork();
    if (child == 0) {
        close(ended[0]);
        burn(300);
        const pid_t grandchild = fork();
        if (grandchild == 0) {
            burn(300);
            _exit(0);
        }
        waitpid(grandchild, NULL, 0);
        _exit(0);
    }
    close(ended[1]);
    char byte;
    val("the child has ended (its end of the pipe closed)", read(ended[0], &byte, 1));
    close(ended[0]);
    usleep(100000);
    int status;
    ok("getrusage(RUSAGE_CHILDREN) before the wait", getrusage(RUSAGE_CHILDREN, &children));
    yes("an ended child not waited for does not count",
        us_of(children.ru_utime) + us_of(children.ru_stime) == 0);
    struct rusage child_usage;
    val("wait4 reaps the child", wait4(child, &status, 0, &child_usage) == child);
    yes("wait4's rusage: the child's and its child's, 0.55 s or more",
        us_of(child_usage.ru_utime) + us_of(child_usage.ru_stime) >= 550000);
    ok("getrusage(RUSAGE_CHILDREN) after", getrusage(RUSAGE_CHILDREN, &children));
    yes("the children's time is 0.55 s or more",
        us_of(children.ru_utime) + us_of(children.ru_stime) >= 550000);
    yes("the children's time is under 2 s",
        us_of(children.ru_utime) + us_of(children.ru_stime) < 2000000);
    times(&after);
    yes("times: the children's ticks, 55 or more", after.tms_cutime + after.tms_cstime >= 55);
    ok("getrusage(RUSAGE_SELF) after", getrusage(RUSAGE_SELF, &self));
    yes("the caller's own time did not take the children's",
        us_of(self.ru_utime) + us_of(self.ru_stime) < 1000000);

    fails("getrusage(2)", getrusage(2, &self));
    fails("getrusage(-2)", getrusage(-2, &self));
    fails("getrusage(RUSAGE_SELF, bad)", syscall(SYS_getrusage, RUSAGE_SELF, BAD));
    fails("times(bad)", syscall(SYS_times, BAD) == -1 ? -1 : 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    g_booted = time(NULL);
    g_started = ns_of(CLOCK_MONOTONIC);
    time_of_day();
    real_time_clock();
    cpu_time();
    max_resident();
    return 0;
}
