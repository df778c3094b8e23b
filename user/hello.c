// SPDX-License-Identifier: MIT
// hello: greets from user mode, with its pid and arguments.
#include "keel.h"

int main(int argc, char** argv) {
    print("hello from user mode: pid ");
    print_number(getpid());
    print(", ");
    print_number(argc);
    print(argc == 1 ? " argument:" : " arguments:");
    for (int i = 0; i < argc; ++i) {
        print(" ");
        print(argv[i]);
    }
    print("\n");
    return 0;
}
