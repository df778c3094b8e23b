// SPDX-License-Identifier: MIT
// sysspin: calls getpid forever, so it spends its life going in and out of the kernel. It must
// not keep its hart: the shell answers beside it on one hart, and Ctrl-C or kill ends it.
#include "keel.h"

int main(void) {
    print("sysspin: calling getpid forever\n");
    for (;;) getpid();
}
