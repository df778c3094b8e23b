// SPDX-License-Identifier: MIT
// The address space as Linux lays it out, seen by an ordinary program: mappings at fixed places
// across the whole lower half, PROT_NONE reservations opened in part, many map/touch/unmap rounds
// (address space given back is reused), holes punched and refilled, mremap, madvise, a deep stack,
// a big brk, sparse touches of a huge MAP_NORESERVE mapping, and the errnos of every refusal.
// Prints what it saw, and nothing that differs between machines (no addresses): the test runs it
// on keel and on Linux (qemu-riscv64) and compares the lines.
//   memory [ROUNDS [light]]   (default 100000 map/touch/unmap rounds)
// "light" is for running it many times (a leak check): 64 times less memory touched, and no output.
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define MiB (1024ul * 1024)
#define GiB (1024ul * MiB)
#define PAGE 4096ul

static size_t scale = 1;  // what the big sizes are divided by ("light": 64)
static int quiet = 0;     // "light": nothing printed

static void report(const char* format, ...) {
    if (quiet) return;
    va_list arguments;
    va_start(arguments, format);
    vprintf(format, arguments);
    va_end(arguments);
}

static void say(const char* what, long result) {
    if (result < 0 || result == (long)MAP_FAILED)
        report("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        report("%s: ok\n", what);
}

// The result of a call that should fail: its errno's name.
static void refused(const char* what, long result) {
    if (result == -1 || result == (long)MAP_FAILED)
        report("%s: %s\n", what, strerrorname_np(errno));
    else
        report("%s: succeeded\n", what);
}

static void fixed_places(void) {
    const uintptr_t places[] = {0x10000000, 0x80000000, 0x2000000000, 0x3f00000000};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; ++i) {
        char* p = mmap((void*)places[i], 2 * PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        int same = p == (char*)places[i];
        if (same) {
            p[0] = 'k';
            p[2 * PAGE - 1] = 'l';
        }
        report("fixed %#lx: %s, reads back %s\n", (unsigned long)places[i],
               same ? "there" : "elsewhere",
               same && p[0] == 'k' && p[2 * PAGE - 1] == 'l' ? "yes" : "no");
        refused("  again with MAP_FIXED_NOREPLACE",
                (long)mmap((void*)places[i], PAGE, PROT_READ,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
        char* q = mmap((void*)places[i], PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        report("  MAP_FIXED over it: %s, first page %s, second keeps %c\n",
               q == (char*)places[i] ? "there" : "elsewhere", q[0] == 0 ? "zero" : "old",
               p[2 * PAGE - 1]);
        say("  munmap", munmap(p, 2 * PAGE));
    }
}

static void reservation(void) {
    char* r = mmap(NULL, GiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    say("reserve 1 GiB PROT_NONE", (long)r);
    const size_t opened = 16 * MiB / scale;
    say("open 16 MiB of it", mprotect(r + 256 * MiB, opened, PROT_READ | PROT_WRITE));
    memset(r + 256 * MiB, 7, opened);
    long sum = 0;
    for (size_t i = 0; i < opened; i += PAGE) sum += r[256 * MiB + i];
    report("  written and read: %ld\n", sum);
    say("close it again", mprotect(r + 256 * MiB, opened, PROT_NONE));
    say("reopen read-only", mprotect(r + 256 * MiB, PAGE, PROT_READ));
    report("  still holds %d\n", r[256 * MiB]);
    say("munmap the reservation", munmap(r, GiB));
}

static void rounds(long count) {
    long same = 0;
    char* first = NULL;
    for (long i = 0; i < count; ++i) {
        char* p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            report("round %ld: mmap %s\n", i, strerrorname_np(errno));
            return;
        }
        if (p[0] != 0 || p[MiB - 1] != 0) {
            report("round %ld: not zero\n", i);
            return;
        }
        p[0] = 1;
        p[MiB - 1] = 2;
        if (first == NULL) first = p;
        same += p == first;
        if (munmap(p, MiB) != 0) {
            report("round %ld: munmap %s\n", i, strerrorname_np(errno));
            return;
        }
    }
    report("%ld rounds of 1 MiB map/touch/unmap: ok, address reused: %s\n", count,
           same == count ? "yes" : "no");
}

static void holes(void) {
    char* p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 16; ++i) p[i * PAGE] = (char)('a' + i);
    for (int i = 1; i < 16; i += 2) munmap(p + i * PAGE, PAGE);
    int refilled = 0;
    for (int i = 1; i < 16; i += 2) {
        char* q = mmap(p + i * PAGE, PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        refilled += q == p + i * PAGE && q[0] == 0;
    }
    int kept = 0;
    for (int i = 0; i < 16; i += 2) kept += p[i * PAGE] == 'a' + i;
    report("holes: 8 punched, %d refilled with zeros, %d pages kept their bytes\n", refilled, kept);
    say("munmap across all of it", munmap(p, 16 * PAGE));
    say("munmap of nothing", munmap(p, 16 * PAGE));
}

static void remap(void) {
    size_t size = PAGE;
    char* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 'x';
    // A neighbour right after it, so that growing in place is not always possible.
    char* wall =
        mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    refused("grow without MREMAP_MAYMOVE", (long)mremap(p, size, 2 * size, 0));
    while (size < 64 * MiB / scale) {
        char* q = mremap(p, size, size * 2, MREMAP_MAYMOVE);
        if (q == MAP_FAILED) {
            report("mremap to %zu: %s\n", size * 2, strerrorname_np(errno));
            return;
        }
        p = q;
        p[size] = 'y';
        size *= 2;
    }
    long ys = 0;
    for (size_t at = PAGE; at < size; at *= 2) ys += p[at] == 'y';
    report("grown to 64 MiB by mremap: first byte %c, %ld marks kept\n", p[0], ys);
    char* shrunk = mremap(p, size, PAGE, 0);
    report("shrunk in place: %s, first byte %c\n", shrunk == p ? "yes" : "no", shrunk[0]);
    refused("mremap of an unmapped range",
            (long)mremap(p + 2 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    refused("mremap of length 0 to 0", (long)mremap(p, PAGE, 0, MREMAP_MAYMOVE));
    refused("mremap with unknown flags", (long)mremap(p, PAGE, PAGE, 64));
    refused("MREMAP_FIXED without MAYMOVE",
            (long)mremap(p, PAGE, PAGE, MREMAP_FIXED, p + 8 * PAGE));
    char* target = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char* moved = mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE);
    report("MREMAP_FIXED onto a mapping: %s, byte %c, the rest of it still mapped: %s\n",
           moved == target + PAGE ? "there" : "elsewhere", moved[0],
           munmap(target + 3 * PAGE, PAGE) == 0 ? "yes" : "no");
    munmap(moved, 2 * PAGE);
    munmap(target, PAGE);
    munmap(wall, PAGE);
}

static void advice(void) {
    char* p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 9, 4 * PAGE);
    say("madvise(MADV_DONTNEED)", madvise(p + PAGE, 2 * PAGE, MADV_DONTNEED));
    report("  reads %d %d %d %d\n", p[0], p[PAGE], p[2 * PAGE], p[3 * PAGE]);
    say("madvise(MADV_WILLNEED)", madvise(p, 4 * PAGE, MADV_WILLNEED));
    refused("madvise with bad advice", madvise(p, PAGE, 12345));
    refused("madvise at an unaligned address", madvise(p + 1, PAGE, MADV_DONTNEED));
    munmap(p + 2 * PAGE, PAGE);
    refused("madvise over a hole", madvise(p, 4 * PAGE, MADV_DONTNEED));
    munmap(p, 4 * PAGE);
}

static long recurse(long depth) {
    volatile char frame[1024];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = (char)depth;
    if (depth == 0) return frame[0];
    return recurse(depth - 1) + frame[sizeof frame - 1] - (char)(depth - 1) + 1 - 2 + 1;
}

static void stack_and_heap(void) {
    struct rlimit limit;
    getrlimit(RLIMIT_STACK, &limit);
    report("stack limit: %lu MiB\n", (unsigned long)(limit.rlim_cur / MiB));
    recurse(4096 / (long)scale);  // 4096 frames of a bit over 1 KiB: more than 4 MiB of stack
    report("recursed through 4 MiB of stack\n");
    char* start = sbrk(0);
    const size_t grown = 64 * MiB / scale;
    say("brk grows by 64 MiB", (long)sbrk(grown));
    for (size_t i = 0; i < grown; i += PAGE) start[i] = 1;
    long sum = 0;
    for (size_t i = 0; i < grown; i += PAGE) sum += start[i];
    report("  touched every page: %ld\n", sum);
    say("brk shrinks back", brk(start));
    say("and grows again", (long)sbrk(PAGE));
    report("  the page is zero again: %s\n", start[0] == 0 ? "yes" : "no");
}

static void sparse(void) {
    char* p = mmap(NULL, 4 * GiB, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    say("4 GiB MAP_NORESERVE", (long)p);
    long sum = 0;
    for (size_t at = 0; at < 4 * GiB; at += 64 * MiB) {
        p[at] = 3;
        sum += p[at];
    }
    report("  touched every 64 MiB: %ld\n", sum);
    say("  munmap", munmap(p, 4 * GiB));
}

static void refusals(void) {
    refused("mmap of length 0", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    refused("mmap without MAP_PRIVATE or MAP_SHARED",
            (long)mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));
    refused("mmap with unknown PROT bits",
            (long)mmap(NULL, PAGE, 0x40, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    refused("mmap of 512 GiB",
            (long)mmap(NULL, 512 * GiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    refused("MAP_FIXED at an unaligned address",
            (long)mmap((void*)0x10000001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                       -1, 0));
    refused("MAP_FIXED past user space",
            (long)mmap((void*)0x3ffffff000, 2 * PAGE, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    refused("mmap at an unaligned offset",
            (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1));
    refused("mmap of a bad fd", (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0));
    refused("munmap at an unaligned address", munmap((void*)0x10000001, PAGE));
    refused("munmap of length 0", munmap((void*)0x10000000, 0));
    refused("munmap past user space", munmap((void*)0x3ffffff000, 2 * PAGE));
    refused("mprotect at an unaligned address", mprotect((void*)0x10000001, PAGE, PROT_READ));
    refused("mprotect of unmapped memory", mprotect((void*)0x10000000, PAGE, PROT_READ));
    refused("mprotect with unknown bits", mprotect((void*)0x10000000, PAGE, 0x40));
    say("mprotect of length 0", mprotect((void*)0x10000000, 0, PROT_READ));
}

int main(int argc, char** argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 2 && strcmp(argv[2], "light") == 0) {
        scale = 64;
        quiet = 1;
    }
    fixed_places();
    reservation();
    rounds(argc > 1 ? atol(argv[1]) : 100000);
    holes();
    remap();
    advice();
    stack_and_heap();
    sparse();
    refusals();
    report("done\n");
    return 0;
}
