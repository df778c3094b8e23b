// SPDX-License-Identifier: MIT
// cat [FILE]...: copies each file to stdout; with none, what is typed (a line at a time) until
// Ctrl-D. What goes wrong is said as Linux's cat says it ("cat: /etc: Is a directory"), and the
// status is then 1.
#include "keel.h"

// Copies `fd` to stdout; 0, or 1 once it has said what failed (`name`: the file's).
static int copy(int fd, const char* name) {
    char buffer[512];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0) {
            print_error("cat", name, n);
            return 1;
        }
        if (n == 0) return 0;
        for (ssize_t done = 0; done < n;) {
            const ssize_t wrote = write(1, buffer + done, (size_t)(n - done));
            if (wrote < 0) {
                print_error("cat", "write error", wrote);
                return 1;
            }
            done += wrote;
        }
    }
}

int main(int argc, char** argv) {
    if (argc < 2) return copy(0, "-");
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        const int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            print_error("cat", argv[i], fd);
            status = 1;
            continue;
        }
        status |= copy(fd, argv[i]);
        close(fd);
    }
    return status;
}
