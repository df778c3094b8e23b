// SPDX-License-Identifier: MIT
// forktest: fork gives the child a copy of the address space (a change in one is not seen by
// the other), wait4 returns each child's exit status, a child's fault reaches its parent as
// SIGSEGV and hurts nothing else, and execve replaces a child with another program.
#include "keel.h"

static long wait_for(long pid, int* status) {
    return waitpid(pid, status, 0);
}

static void expect(const char* what, long got, long want) {
    check("forktest", what, got, want);
}

static volatile int shared = 1;

int main(void) {
    const int children = 8;
    long pids[8];
    for (int i = 0; i < children; ++i) {
        pids[i] = fork();
        if (pids[i] == 0) {
            shared = 100 + i;  // the child's own copy
            exit(i);
        }
        expect("fork gives a pid", pids[i] > 0, 1);
    }
    for (int i = 0; i < children; ++i) {
        int status = -1;
        expect("wait4 returns the child", wait_for(pids[i], &status), pids[i]);
        expect("the child's exit status", status, W_EXITCODE(i, 0));
    }
    expect("the parent's copy unchanged", shared, 1);

    const long crasher = fork();
    if (crasher == 0) {
        *(volatile int*)0 = 1;
        exit(99);
    }
    int status = -1;
    expect("wait4 on the crashed child", wait_for(crasher, &status), crasher);
    expect("its status says SIGSEGV", status, SIGSEGV);

    const long runner = fork();
    if (runner == 0) {
        char* argv[] = {"exit3", 0};
        execve("/bin/exit3", argv, 0);
        exit(42);  // only if execve failed
    }
    expect("wait4 on the exec'd child", wait_for(runner, &status), runner);
    expect("exit3's status through execve", status, W_EXITCODE(3, 0));
    expect("no children left", wait_for(-1, &status), -ECHILD);

    print(checks_failed() == 0 ? "forktest: ok\n" : "forktest: failed\n");
    return checks_failed() == 0 ? 0 : 1;
}
