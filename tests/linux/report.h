// SPDX-License-Identifier: MIT
// How the differential tests' C programs (tests/linux/*.c) say what a call did, one line each:
// "what: ok", "what: VALUE", "what: ERRNO-NAME" (by glibc's strerrorname_np, the same on every
// kernel), "what: yes"/"no". Static functions in a header: each program is one file.
#pragma once
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char* en(void) {
    const char* name = strerrorname_np(errno);
    return name ? name : "E?";
}

static inline void header(const char* name) {
    printf("== %s\n", name);
}

// A call that should succeed: "ok", or its errno.
static inline void ok(const char* what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, en());
    else
        printf("%s: ok\n", what);
}

// A call whose result is a number worth printing.
static inline void val(const char* what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, en());
    else
        printf("%s: %ld\n", what, r);
}

// A call that should fail: its errno's name.
static inline void fails(const char* what, long r) {
    if (r < 0)
        printf("%s: %s\n", what, en());
    else
        printf("%s: succeeded (%ld)\n", what, r);
}

static inline void yes(const char* what, int b) {
    printf("%s: %s\n", what, b ? "yes" : "no");
}

// A raw system call (glibc's syscall(), so that no wrapper checks or reshapes the arguments) and
// its result as "name(ARGS) = RESULT" or "name(ARGS) = -1 ERRNO", ARGS the call's own source text:
// the line says what was asked, and nothing that differs between runs (tests/linux/arg*.c).
// SYS prints the result; SYSOK prints "ok" for any success (an address, a pid).
#define SYS(name, ...) said(#name "(" #__VA_ARGS__ ")", syscall(SYS_##name, __VA_ARGS__), 0)
#define SYSOK(name, ...) said(#name "(" #__VA_ARGS__ ")", syscall(SYS_##name, __VA_ARGS__), 1)
static inline long said(const char* call, long r, int quiet) {
    if (r == -1)
        printf("%s = -1 %s\n", call, en());
    else if (quiet)
        printf("%s = ok\n", call);
    else
        printf("%s = %ld\n", call, r);
    return r;
}
