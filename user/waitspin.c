// SPDX-License-Identifier: MIT
// waitspin: forks a child that spins forever and waits for it. Ctrl-C ends the waiting parent;
// the child, now an orphan, spins on until `kill` ends it, and then nothing of it is left.
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
