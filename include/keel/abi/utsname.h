// SPDX-License-Identifier: MIT
// What uname fills in: six NUL-terminated strings of 65 bytes (uname(2)). Linux calls it
// struct new_utsname (include/uapi/linux/utsname.h); libcs call it struct utsname.
#pragma once

#define __NEW_UTS_LEN 64

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 390 bytes.
struct utsname {
    char sysname[__NEW_UTS_LEN + 1];  // "Linux" for programs that check
    char nodename[__NEW_UTS_LEN + 1];
    char release[__NEW_UTS_LEN + 1];
    char version[__NEW_UTS_LEN + 1];
    char machine[__NEW_UTS_LEN + 1];  // "riscv64"
    char domainname[__NEW_UTS_LEN + 1];
};

// NOLINTEND(readability-identifier-naming)
