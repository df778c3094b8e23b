// SPDX-License-Identifier: MIT
// forktest: fork gives the child a copy of the address space (a change in one is not seen by
// the other), wait4 returns each child's exit status, a child's fault reaches its parent as
// SIGSEGV and hurts nothing else, execve replaces a child with another program, and fork says
// EAGAIN once RLIMIT_NPROC processes run (run it alone: the limit counts every process).
#include "keel.h"

static long wait_for(long pid, int* status) {
    return waitpid(pid, status, 0);
}

static void expect(const char* what, long got, long want) {
    check("forktest", what, got, want);
}

static volatile int shared = 1;

// Children that wait on a pipe until fork refuses one: with this process, as many as the limit.
static void as_many_as_rlimit_nproc(void) {
    struct rlimit limit = {0, 0};
    expect("prlimit64 RLIMIT_NPROC",
           syscall6(SYS_prlimit64, 0, RLIMIT_NPROC, 0, (long)&limit, 0, 0), 0);
    expect("its soft limit is its hard one", limit.rlim_cur == limit.rlim_max, 1);
    int fds[2];
    expect("pipe", pipe(fds), 0);
    long forked = 0, last = 0;
    while (forked < (long)limit.rlim_cur) {
        last = fork();
        if (last == 0) {
            char byte;
            close(fds[1]);
            exit(read(fds[0], &byte, 1) == 0 ? 0 : 1);  // the end of the pipe: its writer gone
        }
        if (last < 0) break;
        ++forked;
    }
    expect("fork past the limit", last, -EAGAIN);
    expect("processes then (this one and its children)", forked + 1, (long)limit.rlim_cur);
    close(fds[1]);
    close(fds[0]);
    int status = -1, clean = 1;
    for (long i = 0; i < forked; ++i) clean &= wait(&status) > 0 && status == 0;
    expect("every child ended at the pipe's end", clean, 1);
}

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

    as_many_as_rlimit_nproc();
    print(checks_failed() == 0 ? "forktest: ok\n" : "forktest: failed\n");
    return checks_failed() == 0 ? 0 : 1;
}
