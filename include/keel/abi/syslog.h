// SPDX-License-Identifier: MIT
// syslog(2)'s actions (Linux's include/linux/syslog.h): reading and clearing the kernel log, and
// the console's level, as dmesg and klogd ask.
#pragma once

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2        // what came since the last READ; waits for something
#define SYSLOG_ACTION_READ_ALL 3    // the newest whole lines that fit
#define SYSLOG_ACTION_READ_CLEAR 4  // READ_ALL, then CLEAR
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6    // the console shows nothing but emergencies
#define SYSLOG_ACTION_CONSOLE_ON 7     // ...and again what it showed before
#define SYSLOG_ACTION_CONSOLE_LEVEL 8  // len: the level (1-8) below which the console shows a line
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10
