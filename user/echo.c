// SPDX-License-Identifier: MIT
// echo [ARGS...]: its arguments, separated by spaces, then a newline (the shell's own echo is a
// command; this one is the program: run echo ...). A failed write is said as Linux's echo says it
// ("echo: write error: Bad file descriptor"), and the status is then 1.
#include "keel.h"

static int put(const char* text) {
    const ssize_t wrote = write(1, text, strlen(text));
    if (wrote < 0) print_error("echo", "write error", wrote);
    return wrote < 0;
}

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if ((i > 1 && put(" ")) || put(argv[i])) return 1;
    }
    return put("\n");
}
