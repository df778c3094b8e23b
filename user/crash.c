// SPDX-License-Identifier: MIT
// crash: a program with a bug. It stores through a null pointer; keel ends it alone.
#include "keel.h"

int main(void) {
    print("crash: storing to address 0\n");
    *(volatile int*)0 = 1;
    print("crash: still running (it should not be)\n");
    return 1;
}
