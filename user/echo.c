// SPDX-License-Identifier: MIT
// echo [ARGS...]: its arguments, separated by spaces, then a newline (the shell's own echo is a
// command; this one is the program: run echo ...).
#include "keel.h"

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) printf(i > 1 ? " %s" : "%s", argv[i]);
    printf("\n");
    return 0;
}
