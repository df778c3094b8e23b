// SPDX-License-Identifier: MIT
// cat [FILE]...: copies each file of the initramfs to stdout; with none, what is typed (a line
// at a time) until Ctrl-D.
#include "keel.h"

static int copy(int fd) {
    char buffer[512];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0) return 1;
        if (n == 0) return 0;
        write(1, buffer, (size_t)n);
    }
}

int main(int argc, char** argv) {
    if (argc < 2) return copy(0);
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        const int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            print("cat: ");
            print(argv[i]);
            print(fd == -ENOENT   ? ": no such file\n"
                  : fd == -EISDIR ? ": is a directory\n"
                                  : ": cannot open\n");
            status = 1;
            continue;
        }
        status |= copy(fd);
        close(fd);
    }
    return status;
}
