// SPDX-License-Identifier: MIT
// waitspin: forks a child that spins forever and waits for it. Ctrl-C ends both: SIGINT goes to the
// whole foreground process group, which the child shares with its parent (as on Linux), so the
// parent is interrupted in its wait and the child in its loop, and nothing of either is left.
#include "keel.h"

int main(void) {
    const pid_t child = fork();
    if (child == 0) {
        for (;;) {
        }
    }
    printf("waitspin: child %d spins; waiting for it\n", child);
    int status;
    waitpid(child, &status, 0);
    printf("waitspin: the child ended (it should not have)\n");
    return 1;
}
