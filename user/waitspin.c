// SPDX-License-Identifier: MIT
// waitspin: forks a child that spins forever and waits for it. Ctrl-C ends the waiting parent;
// the child, now an orphan, spins on until `kill` ends it, and then nothing of it is left.
#include "keel.h"

int main(void) {
    const long child = syscall6(220 /* clone */, 17 /* SIGCHLD */, 0, 0, 0, 0, 0);
    if (child == 0) {
        for (;;) {
        }
    }
    printf("waitspin: child %ld spins; waiting for it\n", child);
    int status;
    syscall6(260 /* wait4 */, child, (long)&status, 0, 0, 0, 0);
    printf("waitspin: the child ended (it should not have)\n");
    return 1;
}
