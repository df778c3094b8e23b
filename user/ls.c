// SPDX-License-Identifier: MIT
// ls [DIR]...: the entries of each directory of the initramfs (default /), one per line, a
// directory's name ending in "/".
#include "keel.h"

#define SYS_getdents64 61
#define O_DIRECTORY 0200000

static int list(const char* path) {
    const long fd = syscall6(SYS_openat, -100, (long)path, O_DIRECTORY, 0, 0, 0);
    if (fd < 0) {
        print("ls: ");
        print(path);
        print(fd == -2 ? ": no such file or directory\n" : ": not a directory\n");
        return 1;
    }
    char buffer[1024];
    for (;;) {
        const long n = syscall6(SYS_getdents64, fd, (long)buffer, sizeof buffer, 0, 0, 0);
        if (n <= 0) break;
        for (long at = 0; at < n;) {
            // struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name.
            const unsigned short length = *(unsigned short*)(buffer + at + 16);
            const unsigned char type = (unsigned char)buffer[at + 18];
            print(buffer + at + 19);
            print(type == 4 ? "/\n" : "\n");
            at += length;
        }
    }
    syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) return list("/");
    int status = 0;
    for (int i = 1; i < argc; ++i) status |= list(argv[i]);
    return status;
}
