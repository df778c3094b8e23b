// SPDX-License-Identifier: MIT
// exit3: ends with status 3, for the shell's status report.
int main(void) {
    return 3;
}
