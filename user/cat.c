// SPDX-License-Identifier: MIT
// cat [FILE]...: copies each file of the initramfs to stdout; with none, what is typed (a line
// at a time) until Ctrl-D.
#include "keel.h"

static int copy(long fd) {
    char buffer[512];
    for (;;) {
        const long n = syscall6(SYS_read, fd, (long)buffer, sizeof buffer, 0, 0, 0);
        if (n < 0) return 1;
        if (n == 0) return 0;
        write(1, buffer, (size_t)n);
    }
}

int main(int argc, char** argv) {
    if (argc < 2) return copy(0);
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        const long fd = syscall6(SYS_openat, -100, (long)argv[i], 0, 0, 0, 0);
        if (fd < 0) {
            print("cat: ");
            print(argv[i]);
            print(fd == -2 ? ": no such file\n" : fd == -21 ? ": is a directory\n" : ": cannot open\n");
            status = 1;
            continue;
        }
        status |= copy(fd);
        syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
    }
    return status;
}
