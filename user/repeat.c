// SPDX-License-Identifier: MIT
// repeat N PROGRAM [ARGS...]: runs PROGRAM (from /bin unless it names a path) N times, one after
// another, each in a child (fork, execve, wait4), and says how many ended with status 0. For
// tests that need a program run many times without typing it each time.
#include "keel.h"

int main(int argc, char** argv) {
    if (argc < 3) {
        print("usage: repeat N PROGRAM [ARGS...]\n");
        return 2;
    }
    const long count = parse_number(argv[1]);
    char path[256] = "/bin/";
    const char* name = argv[2];
    size_t at = name[0] == '/' ? 0 : 5;
    for (size_t i = 0; name[i] != '\0' && at + 1 < sizeof path; ++i) path[at++] = name[i];
    path[at] = '\0';
    long clean = 0;
    int last = 0;
    for (long i = 0; i < count; ++i) {
        const long child = fork();
        if (child == 0) {
            execve(path, argv + 2, 0);
            exit(127);
        }
        int status = -1;
        if (child < 0 || waitpid(child, &status, 0) != child) break;
        clean += status == 0;
        last = status;
    }
    printf("repeat: %ld of %ld runs of %s ended with status 0 (last status %d)\n", clean, count,
           name, last);
    return clean == count ? 0 : 1;
}
