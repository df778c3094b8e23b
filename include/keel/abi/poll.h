// SPDX-License-Identifier: MIT
// ppoll's descriptors and events: Linux's include/uapi/asm-generic/poll.h, which riscv64 uses
// unchanged (poll(2)).
#pragma once
#include <stdint.h>

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

// 8 bytes: the descriptor (negative: ignored), the events asked for, the events that happened.
struct pollfd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};

// NOLINTEND(readability-identifier-naming)

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008   // always reported, never asked for
#define POLLHUP 0x0010   // always reported, never asked for
#define POLLNVAL 0x0020  // fd is not open; always reported
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLMSG 0x0400
#define POLLREMOVE 0x1000
#define POLLRDHUP 0x2000
