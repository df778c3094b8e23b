// SPDX-License-Identifier: MIT
// The kernel log (core/log.h): a LogRing under a spinlock (lines come from every hart, and from
// interrupt handlers), each line stamped with the time since boot as it starts.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/lock.h>
#include <keel/core/log.h>
#include <keel/lib/atomic.h>
#include <keel/lib/log_ring.h>

namespace keel::log {
namespace {

constinit LogRing<kCapacity> g_ring;
constinit Lock g_lock;
bool g_mid_line = false;  // the last text kept did not end its line
uint64_t g_cleared = 0;   // syslog's CLEAR: READ_ALL and dmesg start here, READ does not
constinit Atomic<int> g_console_level{kDefaultConsoleLevel};

// "<6>[    1.234567] ": Linux's prefix of a record, as syslog(2) reads it.
size_t prefix(int level, char* out, size_t capacity) {
    const uint64_t now = csr::time();
    const uint64_t hz = timer::frequency();
    const uint64_t micros = now % hz * 1'000'000 / hz;
    return format_to(out, capacity, "<{}>[{:5}.{:06}] ", level, now / hz, micros);
}

void keep_locked(int level, const char* text, size_t length) {
    for (size_t i = 0; i < length;) {
        size_t n = 0;
        while (i + n < length && text[i + n] != '\n') ++n;
        if (i + n < length) ++n;                         // and its newline
        if (!g_mid_line && n == 1 && text[i] == '\n') {  // an empty line (spacing) is not kept
            ++i;
            continue;
        }
        if (!g_mid_line) {
            char head[40];
            g_ring.append(head, prefix(level, head, sizeof head));
        }
        g_ring.append(text + i, n);
        g_mid_line = text[i + n - 1] != '\n';
        i += n;
    }
}

}  // namespace

void keep(const char* text, size_t length) {
    LockGuard guard(g_lock, KEEL_HERE);
    keep_locked(kInfo, text, length);
}

void note_line(int level, const char* text, size_t length) {
    LockGuard guard(g_lock, KEEL_HERE);
    if (g_mid_line) g_ring.append("\n", 1);  // a line of its own
    g_mid_line = false;
    keep_locked(level, text, length);
    if (g_mid_line) {
        g_ring.append("\n", 1);
        g_mid_line = false;
    }
}

bool shown(int level) {
    return level < g_console_level.load(MemoryOrder::kRelaxed);
}
int console_level() {
    return g_console_level.load(MemoryOrder::kRelaxed);
}
void set_console_level(int level) {
    g_console_level.store(level, MemoryOrder::kRelaxed);
}

uint64_t start() {
    LockGuard guard(g_lock, KEEL_HERE);
    return g_ring.start();
}
uint64_t end() {
    LockGuard guard(g_lock, KEEL_HERE);
    return g_ring.end();
}
uint64_t newest(size_t capacity) {
    LockGuard guard(g_lock, KEEL_HERE);
    const uint64_t position = g_ring.newest(capacity);
    return position > g_cleared ? position : g_cleared;
}
size_t copy(uint64_t& position, char* out, size_t capacity) {
    LockGuard guard(g_lock, KEEL_HERE);
    return g_ring.copy(position, out, capacity);
}
void clear(uint64_t up_to) {
    LockGuard guard(g_lock, KEEL_HERE);
    if (up_to > g_cleared) g_cleared = up_to;
}

}  // namespace keel::log
