// SPDX-License-Identifier: MIT
// fork's memory, as Linux gives it (copy-on-write underneath, invisible but for this): a child sees
// what its parent had at the fork, and neither sees what the other writes after it. Memory of each
// kind (the heap, a big anonymous mapping, the stack, .bss, .data), a chain of forks (a fork of a
// fork), writes by parent and child after the fork, read() into a page the fork shared, and a
// child's mprotect, munmap, mremap and MADV_DONTNEED of shared memory. Children report back on a
// pipe; only checksums of contents and yes/no lines are printed.
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

#define PAGE 4096
#define HEAP_BYTES (16 * PAGE)
#define MAP_BYTES (256 * PAGE)
#define STACK_BYTES (8 * PAGE)
#define BSS_BYTES (8 * PAGE)

static unsigned char bss[BSS_BYTES];
static unsigned char data[2 * PAGE] = {1, 2, 3};

struct area {
    const char* name;
    unsigned char* at;
    size_t size;
};

static struct area areas[5];
static int report_fd;

static uint32_t checksum(const unsigned char* p, size_t n) {
    uint32_t h = 2166136261u;  // FNV-1a
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
    return h;
}

// Every `stride`-th page of each area gets a pattern of `seed`.
static void fill(unsigned seed, size_t stride) {
    for (int a = 0; a < 5; ++a) {
        for (size_t page = 0; page * PAGE < areas[a].size; page += stride) {
            unsigned char* p = areas[a].at + page * PAGE;
            for (size_t i = 0; i < PAGE; ++i) p[i] = (unsigned char)(seed * 31 + a * 7 + page + i);
        }
    }
}

static void sums(uint32_t out[5]) {
    for (int a = 0; a < 5; ++a) out[a] = checksum(areas[a].at, areas[a].size);
}

static int same(const uint32_t a[5], const uint32_t b[5]) {
    return memcmp(a, b, 5 * sizeof a[0]) == 0;
}

// A child's line, to the parent's pipe (which prints it, in order).
static void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char* fmt, ...) {
    char line[256];
    va_list args;
    va_start(args, fmt);
    const int n = vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    if (write(report_fd, line, (size_t)n) != n) _exit(99);
}

static void say_sums(const char* who, const uint32_t s[5]) {
    say("%s: heap %08x map %08x stack %08x bss %08x data %08x\n", who, s[0], s[1], s[2], s[3],
        s[4]);
}

// Runs `body` in a child and prints what it said once it has ended.
static void in_child(const char* what, void (*body)(void)) {
    int fds[2];
    if (pipe(fds) != 0) return;
    fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        body();
        _exit(0);
    }
    close(fds[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    char buffer[4096];
    ssize_t n;
    printf("== %s\n", what);
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0) fwrite(buffer, 1, (size_t)n, stdout);
    close(fds[0]);
    printf("exit: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static uint32_t at_fork[5];

static void grandchild(void) {
    uint32_t s[5];
    sums(s);
    say_sums("grandchild sees", s);
    fill(3, 1);
    sums(s);
    say_sums("grandchild wrote", s);
}

static void chain(void) {
    uint32_t s[5], before[5];
    sums(s);
    say("child sees the fork's content: %s\n", same(s, at_fork) ? "yes" : "no");
    fill(2, 2);
    sums(before);
    say_sums("child wrote", before);
    int fds[2];
    if (pipe(fds) != 0) _exit(1);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        grandchild();
        _exit(0);
    }
    close(fds[1]);
    waitpid(pid, NULL, 0);
    char buffer[1024];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0) say("%.*s", (int)n, buffer);
    sums(s);
    say("child unchanged by the grandchild: %s\n", same(s, before) ? "yes" : "no");
}

static int go_pipe[2];

static void waits_then_looks(void) {
    char c;
    if (read(go_pipe[0], &c, 1) != 1) _exit(2);
    uint32_t s[5];
    sums(s);
    say("child sees the parent's later writes: %s\n", same(s, at_fork) ? "no" : "yes");
}

static int data_pipe[2];

static void reads_into_shared(void) {
    // bss's page 1 is shared with the parent: read() must copy it first.
    const ssize_t n = read(data_pipe[0], bss + PAGE + 100, 3000);
    say("read: %zd\n", n);
    say("child's page: %08x\n", checksum(bss + PAGE, PAGE));
}

static void protects_unmaps_moves(void) {
    unsigned char* map = areas[1].at;
    // A read-only page of the fork's made writable again, then written: the parent's stays.
    say("mprotect read: %s\n", mprotect(map, PAGE, PROT_READ) == 0 ? "ok" : en());
    say("mprotect write: %s\n", mprotect(map, PAGE, PROT_READ | PROT_WRITE) == 0 ? "ok" : en());
    memset(map, 0x5a, PAGE);
    say("written: %08x\n", checksum(map, PAGE));
    // Moved elsewhere, pages and all, then written.
    unsigned char* moved =
        mremap(map + 16 * PAGE, 16 * PAGE, 32 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
               (void*)((uintptr_t)map - 64 * PAGE));
    if (moved == MAP_FAILED) {
        say("mremap: %s\n", en());
    } else {
        say("moved: %08x\n", checksum(moved, 16 * PAGE));
        moved[5] = 1;
        say("moved written: %08x\n", checksum(moved, 16 * PAGE));
    }
    say("dontneed: %s\n", madvise(map + 64 * PAGE, 8 * PAGE, MADV_DONTNEED) == 0 ? "ok" : en());
    say("dontneed reads zero: %s\n",
        checksum(map + 64 * PAGE, 8 * PAGE) == checksum((unsigned char*)calloc(8, PAGE), 8 * PAGE)
            ? "yes"
            : "no");
    say("munmap: %s\n", munmap(map + 128 * PAGE, 64 * PAGE) == 0 ? "ok" : en());
}

static void deep(int depth) {
    bss[depth * PAGE] ^= 0xff;
    if (depth == 0) {
        uint32_t s[5];
        sums(s);
        say_sums("deepest", s);
        return;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        deep(depth - 1);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    say("depth %d bss %08x\n", depth, checksum(bss, BSS_BYTES));
}

static void forks_deep(void) {
    deep(6);
}

int main(void) {
    unsigned char stack[STACK_BYTES];
    areas[0] = (struct area){"heap", malloc(HEAP_BYTES), HEAP_BYTES};
    areas[1] = (struct area){
        "map", mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
        MAP_BYTES};
    areas[2] = (struct area){"stack", stack, STACK_BYTES};
    areas[3] = (struct area){"bss", bss, BSS_BYTES};
    areas[4] = (struct area){"data", data, sizeof data};
    if (areas[0].at == NULL || areas[1].at == MAP_FAILED) return 1;
    header("cow");
    fill(1, 1);
    sums(at_fork);
    printf("parent: heap %08x map %08x stack %08x bss %08x data %08x\n", at_fork[0], at_fork[1],
           at_fork[2], at_fork[3], at_fork[4]);

    in_child("a chain of forks", chain);
    uint32_t s[5];
    sums(s);
    yes("parent unchanged by its children", same(s, at_fork));

    // The parent writes after the fork; the child, looking later, must not see it.
    if (pipe(go_pipe) != 0) return 1;
    fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        report_fd = STDOUT_FILENO;
        waits_then_looks();
        _exit(0);
    }
    fill(4, 3);
    if (write(go_pipe[1], "g", 1) != 1) return 1;
    waitpid(pid, NULL, 0);
    sums(s);
    printf("parent after writing: heap %08x map %08x stack %08x bss %08x data %08x\n", s[0], s[1],
           s[2], s[3], s[4]);
    memcpy(at_fork, s, sizeof s);

    // read() into a page the fork shared, in the child; then in the parent.
    if (pipe(data_pipe) != 0) return 1;
    char message[3000];
    for (size_t i = 0; i < sizeof message; ++i) message[i] = (char)('a' + i % 26);
    if (write(data_pipe[1], message, sizeof message) != (ssize_t)sizeof message) return 1;
    in_child("read into a shared page", reads_into_shared);
    printf("parent's page: %08x\n", checksum(bss + PAGE, PAGE));
    if (write(data_pipe[1], message, 1000) != 1000) return 1;
    val("parent's read", read(data_pipe[0], bss + PAGE + 10, 4000));
    printf("parent's page after: %08x\n", checksum(bss + PAGE, PAGE));

    sums(at_fork);
    in_child("mprotect, mremap, madvise and munmap in a child", protects_unmaps_moves);
    sums(s);
    yes("parent unchanged by them", same(s, at_fork));

    in_child("seven forks deep", forks_deep);
    sums(s);
    yes("parent unchanged at the end", same(s, at_fork));
    return 0;
}
