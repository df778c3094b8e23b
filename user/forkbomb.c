// SPDX-License-Identifier: MIT
// forkbomb: every process forks for ever. keel lets processes hold at most 192 tasks, so the
// shell still answers beside it; Ctrl-C (in the foreground) or `kill` of any of its processes
// ends the whole job, and every page comes back.
#include "keel.h"

int main(void) {
    print("forkbomb: every process forks for ever\n");
    for (;;) fork();
}
