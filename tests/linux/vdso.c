// SPDX-License-Identifier: MIT
// The vDSO: that there is one (AT_SYSINFO_EHDR), that its dynamic symbol table offers glibc's
// riscv64 functions under LINUX_4.15, and that the clocks glibc reads through it behave as the
// system calls do: every clock readable, monotonic never going back, realtime agreeing with
// time() and gettimeofday, CPU time advancing, bad clocks refused, Linux's resolutions, and a
// settimeofday seen at once. It prints only what two correct kernels agree on: no times, no
// addresses.
#define _GNU_SOURCE
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define NS 1000000000ll

// --- the vDSO's ELF image: dynamic symbols and their versions ------------------------------------

struct Image {
    uintptr_t bias;  // where the image is, less the address it was linked at
    const Elf64_Sym* symbols;
    const char* strings;
    const Elf64_Half* versions;  // DT_VERSYM, one per symbol
    const Elf64_Verdef* definitions;
    uint32_t count;  // symbols, from DT_HASH's nchain
};

static int open_image(struct Image* image, uintptr_t base) {
    const Elf64_Ehdr* header = (const Elf64_Ehdr*)base;
    const Elf64_Phdr* phdrs = (const Elf64_Phdr*)(base + header->e_phoff);
    const Elf64_Dyn* dynamic = NULL;
    image->bias = 0;
    for (int i = 0; i < header->e_phnum; ++i) {
        if (phdrs[i].p_type == PT_LOAD && phdrs[i].p_offset == 0)
            image->bias = base - phdrs[i].p_vaddr;
        if (phdrs[i].p_type == PT_DYNAMIC) dynamic = (const Elf64_Dyn*)phdrs[i].p_vaddr;
    }
    if (dynamic == NULL) return 0;
    dynamic = (const Elf64_Dyn*)((uintptr_t)dynamic + image->bias);
    const uint32_t* hash = NULL;
    for (const Elf64_Dyn* d = dynamic; d->d_tag != DT_NULL; ++d) {
        const uintptr_t at = d->d_un.d_ptr + image->bias;
        if (d->d_tag == DT_SYMTAB) image->symbols = (const Elf64_Sym*)at;
        if (d->d_tag == DT_STRTAB) image->strings = (const char*)at;
        if (d->d_tag == DT_HASH) hash = (const uint32_t*)at;
        if (d->d_tag == DT_VERSYM) image->versions = (const Elf64_Half*)at;
        if (d->d_tag == DT_VERDEF) image->definitions = (const Elf64_Verdef*)at;
    }
    if (image->symbols == NULL || image->strings == NULL || hash == NULL) return 0;
    image->count = hash[1];
    return 1;
}

// The name of version `index` in DT_VERDEF.
static const char* version_name(const struct Image* image, Elf64_Half index) {
    const Elf64_Verdef* d = image->definitions;
    while (d != NULL) {
        if (d->vd_ndx == index) {
            const Elf64_Verdaux* aux = (const Elf64_Verdaux*)((const char*)d + d->vd_aux);
            return image->strings + aux->vda_name;
        }
        d = d->vd_next != 0 ? (const Elf64_Verdef*)((const char*)d + d->vd_next) : NULL;
    }
    return "none";
}

// A defined function's address, or NULL; prints "found VERSION" or "missing".
static void* lookup(const struct Image* image, const char* name) {
    for (uint32_t i = 0; i < image->count; ++i) {
        const Elf64_Sym* s = &image->symbols[i];
        if (s->st_shndx == SHN_UNDEF || ELF64_ST_TYPE(s->st_info) != STT_FUNC) continue;
        if (strcmp(image->strings + s->st_name, name) != 0) continue;
        const char* version =
            image->versions != NULL ? version_name(image, image->versions[i] & 0x7fff) : "none";
        printf("%s: found %s\n", name, version);
        return (void*)(s->st_value + image->bias);
    }
    printf("%s: missing\n", name);
    return NULL;
}

// --- clocks
// ----------------------------------------------------------------------------------------

static int64_t ns_of(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (int64_t)t.tv_sec * NS + t.tv_nsec;
}

static const struct {
    clockid_t id;
    const char* name;
} kClocks[] = {
    {CLOCK_REALTIME, "CLOCK_REALTIME"},
    {CLOCK_MONOTONIC, "CLOCK_MONOTONIC"},
    {CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"},
    {CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"},
    {CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"},
    {CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE"},
    {CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE"},
    {CLOCK_BOOTTIME, "CLOCK_BOOTTIME"},
    {CLOCK_TAI, "CLOCK_TAI"},
};
#define CLOCKS (sizeof kClocks / sizeof kClocks[0])

static void every_clock(void) {
    header("clock_gettime and clock_getres, each clock");
    char what[96];
    for (size_t i = 0; i < CLOCKS; ++i) {
        struct timespec t;
        snprintf(what, sizeof what, "clock_gettime %s", kClocks[i].name);
        ok(what, clock_gettime(kClocks[i].id, &t));
        snprintf(what, sizeof what, "clock_getres %s", kClocks[i].name);
        struct timespec res = {-1, -1};
        const int r = clock_getres(kClocks[i].id, &res);
        if (r < 0)
            printf("%s: -1 %s\n", what, en());
        else
            printf("%s: %lld s %ld ns\n", what, (long long)res.tv_sec, res.tv_nsec);
        snprintf(what, sizeof what, "clock_getres %s, no pointer", kClocks[i].name);
        ok(what, clock_getres(kClocks[i].id, NULL));
    }
    struct timespec t;
    fails("clock_gettime clock 12", clock_gettime(12, &t));
    fails("clock_gettime clock 99", clock_gettime(99, &t));
    fails("clock_getres clock 99", clock_getres(99, &t));
}

static void monotonic_clocks(void) {
    header("never backwards, 100000 reads each");
    const clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
                                CLOCK_MONOTONIC_COARSE};
    const char* names[] = {"CLOCK_MONOTONIC", "CLOCK_MONOTONIC_RAW", "CLOCK_BOOTTIME",
                           "CLOCK_MONOTONIC_COARSE"};
    for (int c = 0; c < 4; ++c) {
        int64_t last = ns_of(clocks[c]);
        int backwards = 0;
        for (int i = 0; i < 100000; ++i) {
            const int64_t now = ns_of(clocks[c]);
            if (now < last) backwards = 1;
            last = now;
        }
        char what[64];
        snprintf(what, sizeof what, "%s never went back", names[c]);
        yes(what, !backwards);
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    yes("CLOCK_MONOTONIC nanoseconds in 0..999999999", t.tv_nsec >= 0 && t.tv_nsec < NS);
}

static void time_of_day(void) {
    header("the time of day");
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    const time_t now = time(NULL);
    yes("CLOCK_REALTIME within 1 s of time()", llabs((long long)(t.tv_sec - now)) <= 1);
    yes("CLOCK_TAI within 1 s of CLOCK_REALTIME",
        llabs(ns_of(CLOCK_TAI) - ns_of(CLOCK_REALTIME)) <= NS);
    yes("CLOCK_REALTIME_COARSE within 1 s of CLOCK_REALTIME",
        llabs(ns_of(CLOCK_REALTIME_COARSE) - ns_of(CLOCK_REALTIME)) <= NS);
    struct timeval tv;
    ok("gettimeofday", gettimeofday(&tv, NULL));
    yes("gettimeofday within 1 s of CLOCK_REALTIME",
        llabs((long long)tv.tv_sec * NS + tv.tv_usec * 1000 - ns_of(CLOCK_REALTIME)) <= NS);
    yes("gettimeofday microseconds in 0..999999", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
}

// glibc's riscv64 gettimeofday zeroes the zone and reads CLOCK_REALTIME: the vDSO's own and the
// system call give the zone, and take a null time.
static long (*g_gettimeofday)(struct timeval*, struct timezone*);

static void show_zone(const char* when) {
    char what[96];
    struct timezone tz = {-1, -1};
    snprintf(what, sizeof what, "gettimeofday system call, zone only, %s", when);
    ok(what, syscall(SYS_gettimeofday, NULL, &tz));
    printf("  zone %d west, dst %d\n", tz.tz_minuteswest, tz.tz_dsttime);
    if (g_gettimeofday == NULL) return;
    tz = (struct timezone){-1, -1};
    snprintf(what, sizeof what, "__vdso_gettimeofday, zone only, %s", when);
    val(what, g_gettimeofday(NULL, &tz));
    printf("  zone %d west, dst %d\n", tz.tz_minuteswest, tz.tz_dsttime);
    snprintf(what, sizeof what, "__vdso_gettimeofday, neither, %s", when);
    val(what, g_gettimeofday(NULL, NULL));
}

static volatile uint64_t g_sink;

static void cpu_time(void) {
    header("CPU time (the system call behind the vDSO)");
    const int64_t process = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    const int64_t thread = ns_of(CLOCK_THREAD_CPUTIME_ID);
    const int64_t until = ns_of(CLOCK_MONOTONIC) + NS / 5;
    while (ns_of(CLOCK_MONOTONIC) < until)
        for (int i = 0; i < 1000; ++i) g_sink += (uint64_t)i;
    yes("CLOCK_PROCESS_CPUTIME_ID advanced burning 0.2 s",
        ns_of(CLOCK_PROCESS_CPUTIME_ID) - process >= NS / 20);
    yes("CLOCK_THREAD_CPUTIME_ID advanced burning 0.2 s",
        ns_of(CLOCK_THREAD_CPUTIME_ID) - thread >= NS / 20);
}

// A time of day set is what the next read sees, at once, with the zone given with it.
static void settime(void) {
    header("settimeofday, then read");
    struct timespec saved;
    clock_gettime(CLOCK_REALTIME, &saved);
    const int64_t started = ns_of(CLOCK_MONOTONIC);
    const struct timeval set = {2000000000, 500000};
    const struct timezone zone = {-60, 0};
    // (glibc's settimeofday refuses a time and a zone together: the system call takes both.)
    ok("settimeofday 2000000000.5, zone 60 east", syscall(SYS_settimeofday, &set, &zone));
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    const int64_t since = (int64_t)t.tv_sec * NS + t.tv_nsec - (2000000000ll * NS + NS / 2);
    yes("CLOCK_REALTIME follows at once", since >= 0 && since < NS);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    yes("gettimeofday follows at once", tv.tv_sec == 2000000000 || tv.tv_sec == 2000000001);
    if (g_gettimeofday != NULL) {
        g_gettimeofday(&tv, NULL);
        yes("__vdso_gettimeofday follows at once",
            tv.tv_sec == 2000000000 || tv.tv_sec == 2000000001);
    }
    show_zone("60 east");
    yes("time() follows", time(NULL) - 2000000000 <= 1);
    const struct timespec restore = {saved.tv_sec + (ns_of(CLOCK_MONOTONIC) - started) / NS,
                                     saved.tv_nsec};
    const struct timezone utc = {0, 0};
    ok("clock_settime back", clock_settime(CLOCK_REALTIME, &restore));
    struct timeval back = {restore.tv_sec, restore.tv_nsec / 1000};
    ok("settimeofday zone back to UTC", syscall(SYS_settimeofday, &back, &utc));
    yes("CLOCK_REALTIME back", llabs(ns_of(CLOCK_REALTIME) / NS - restore.tv_sec) <= 1);
    show_zone("UTC");
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    header("the vDSO");
    const uintptr_t base = getauxval(AT_SYSINFO_EHDR);
    yes("AT_SYSINFO_EHDR given", base != 0);
    struct Image image = {0};
    if (base == 0 || !open_image(&image, base)) {
        printf("no dynamic symbols\n");
        return 1;
    }
    yes("ELF magic", memcmp((const void*)base, ELFMAG, SELFMAG) == 0);
    lookup(&image, "__vdso_rt_sigreturn");
    long (*gettime)(long, struct timespec*) = lookup(&image, "__vdso_clock_gettime");
    g_gettimeofday = lookup(&image, "__vdso_gettimeofday");
    long (*getres)(long, struct timespec*) = lookup(&image, "__vdso_clock_getres");
    if (gettime != NULL) {
        struct timespec t;
        val("__vdso_clock_gettime CLOCK_MONOTONIC", gettime(CLOCK_MONOTONIC, &t));
        struct timespec s;
        syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &s);
        yes("and the system call agree within 1 s",
            llabs((long long)(t.tv_sec - s.tv_sec) * NS + t.tv_nsec - s.tv_nsec) <= NS);
        printf("__vdso_clock_gettime clock 99: %ld\n", gettime(99, &t));
        val("__vdso_clock_gettime CLOCK_PROCESS_CPUTIME_ID", gettime(CLOCK_PROCESS_CPUTIME_ID, &t));
    }
    if (getres != NULL) {
        struct timespec t;
        val("__vdso_clock_getres CLOCK_MONOTONIC", getres(CLOCK_MONOTONIC, &t));
        printf("  %lld s %ld ns\n", (long long)t.tv_sec, t.tv_nsec);
        printf("__vdso_clock_getres clock 99: %ld\n", getres(99, &t));
    }
    every_clock();
    monotonic_clocks();
    time_of_day();
    show_zone("at first");
    cpu_time();
    settime();
    return 0;
}
