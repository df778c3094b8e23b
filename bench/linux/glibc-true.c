// SPDX-License-Identifier: MIT
// glibc-true: a static glibc program that does nothing, as coreutils' true does: what exec-true
// runs (glibc's start-up is all it costs).
int main(void) {
    return 0;
}
