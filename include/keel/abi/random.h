// SPDX-License-Identifier: MIT
// getrandom's flags: Linux's include/uapi/linux/random.h (getrandom(2)).
#pragma once

#define GRND_NONBLOCK 0x0001  // EAGAIN rather than wait for the pool
#define GRND_RANDOM 0x0002    // no effect since Linux 5.6
#define GRND_INSECURE 0x0004  // never wait, even before the pool is ready
