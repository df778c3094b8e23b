// SPDX-License-Identifier: MIT
// nbwrite [BYTES]: writes numbered lines ("00000000".."99999999", one per line) to its terminal
// with O_NONBLOCK set, as fast as the terminal takes them. A terminal that stops reading fills
// up, and then a write says EAGAIN (Linux: once its 4 KiB transmit buffer is full); nbwrite then
// waits in poll() for POLLOUT, which comes once the terminal reads again and little is left to
// send, and says what it saw. Without a full terminal it stops after BYTES (4 MiB).
#include "keel.h"

static long write_some(const char* bytes, long size) {
    return syscall6(SYS_write, 1, (long)bytes, size, 0, 0, 0);
}

static long now_ms(void) {
    struct timespec t;
    syscall6(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t, 0, 0, 0, 0);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

// Line `n` into `line`: eight digits and a newline.
static void number_line(long n, char* line) {
    for (int i = 7; i >= 0; --i, n /= 10) line[i] = (char)('0' + n % 10);
    line[8] = '\n';
}

int main(int argc, char** argv) {
    const long limit = argc > 1 ? parse_number(argv[1]) : 4L << 20;
    const long flags = syscall6(SYS_fcntl, 1, F_GETFL, 0, 0, 0, 0);
    syscall6(SYS_fcntl, 1, F_SETFL, flags | O_NONBLOCK, 0, 0, 0);
    char line[9];
    long lines = 0, sent = 0, written = 0, result = 0;  // sent: of the current line
    number_line(lines, line);
    while (written < limit) {
        result = write_some(line + sent, 9 - sent);
        if (result < 0) break;
        written += result;
        sent += result;
        if (sent == 9) {
            number_line(++lines, line);
            sent = 0;
        }
    }
    long waited = -1, events = 0;
    if (result == -EAGAIN) {
        struct pollfd out = {1, POLLOUT, 0};
        const long start = now_ms();
        const struct timespec limit_time = {30, 0};
        if (syscall6(SYS_ppoll, (long)&out, 1, (long)&limit_time, 0, 0, 0) == 1)
            events = out.revents;
        waited = now_ms() - start;
    }
    syscall6(SYS_fcntl, 1, F_SETFL, flags, 0, 0, 0);
    if (sent != 0) write_some(line + sent, 9 - sent);  // the rest of the line it was in
    if (result == -EAGAIN) {
        printf("nbwrite: %ld bytes, then EAGAIN; POLLOUT %s after %ld ms\n", written,
               (events & POLLOUT) != 0 ? "came" : "did not come", waited);
    } else {
        printf("nbwrite: %ld bytes, never EAGAIN (last result %ld)\n", written, result);
    }
    return result == -EAGAIN && (events & POLLOUT) != 0 ? 0 : 1;
}
