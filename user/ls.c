// SPDX-License-Identifier: MIT
// ls [DIR]...: the entries of each directory (default /), one per line, a directory's name ending
// in "/"; like ls without -a, it leaves out the names that start with a dot ("." and ".." too).
// What goes wrong is said in Linux's words ("ls: /nope: No such file or directory"), and the
// status is then 1.
#include "keel.h"

static int list(const char* path) {
    const int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        print_error("ls", path, fd);
        return 1;
    }
    uint64_t buffer[128];  // getdents64 writes entries 8-byte aligned
    for (;;) {
        const long n = syscall6(SYS_getdents64, fd, (long)buffer, sizeof buffer, 0, 0, 0);
        if (n < 0) {
            print_error("ls", path, n);
            close(fd);
            return 1;
        }
        if (n == 0) break;
        for (long at = 0; at < n;) {
            const struct linux_dirent64* entry = (const struct linux_dirent64*)((char*)buffer + at);
            at += entry->d_reclen;
            if (entry->d_name[0] == '.') continue;
            print(entry->d_name);
            print(entry->d_type == DT_DIR ? "/\n" : "\n");
        }
    }
    close(fd);
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) return list("/");
    int status = 0;
    for (int i = 1; i < argc; ++i) status |= list(argv[i]);
    return status;
}
