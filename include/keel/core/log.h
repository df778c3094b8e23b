// SPDX-License-Identifier: MIT
// The kernel log: what the kernel has said, as Linux's printk buffer keeps it for dmesg. Every
// line the console sends is kept here too (boot lines, reports of processes that died), except
// what keel's shell prints as its commands' output; note() keeps a line here only, for what must
// not land in the middle of a program's output (a call keel lacks). Each line is kept as syslog(2)
// hands it out: "<level>[seconds.micros] text\n", the newest kCapacity bytes of them.
#pragma once
#include <keel/lib/format.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::log {

inline constexpr size_t kCapacity = 16 * 1024;

// Linux's levels (syslog(2)): the console shows a line whose level is below the console level.
inline constexpr int kWarning = 4;
inline constexpr int kInfo = 6;  // what the console prints
inline constexpr int kDefaultConsoleLevel = 7;

// A line (or part of one: the rest follows) the console is sending, at kInfo.
void keep(const char* text, size_t length);
// A line for the log alone, at `level`.
void note_line(int level, const char* text, size_t length);
template <typename... Args>
void note(const char* format, const Args&... args) {
    char line[200];
    note_line(kWarning, line, format_to(line, sizeof line, format, args...));
}

// Whether the console shows lines of `level` (dmesg -n; syslog's CONSOLE_OFF/ON/LEVEL).
bool shown(int level);
int console_level();
void set_console_level(int level);

// For syslog(2): the oldest position held and the end (positions count every byte ever kept);
// the newest whole lines that fit `capacity` and are not cleared start at newest(capacity);
// copy() moves bytes from `position` (clamped to what is held) and advances it. clear() is
// syslog's CLEAR: what came before `up_to` is no longer shown (READ_ALL, dmesg), though still
// held for the consuming READ.
uint64_t start();
uint64_t end();
uint64_t newest(size_t capacity);
size_t copy(uint64_t& position, char* out, size_t capacity);
void clear(uint64_t up_to);

}  // namespace keel::log
