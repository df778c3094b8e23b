// SPDX-License-Identifier: MIT
// Orphans and zombies as Linux has them. A process whose parent ends is adopted by the process
// that reaps orphans: on Linux init (pid 1, no subreaper here), which in this test's setup also
// started the program; on keel, keel's shell, which started it too. So an orphan's new parent is
// the program's own parent, from the moment its old parent is reaped, in getppid, /proc's stat
// and status alike; its grandparent cannot wait for it, and when it ends its adopter reaps it.
// A child that ended is a zombie until its parent waits: still there for kill and /proc, gone
// after the wait. A process that says PR_SET_CHILD_SUBREAPER adopts its descendants' orphans
// instead, a zombie among them too, and waits for them as for its own children; its children do
// not inherit the setting.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static char text[4096];

// The whole of a small file into `text`; its length, or -1.
static long slurp(const char* path) {
    FILE* f = fopen(path, "r");
    if (!f) return -1;
    const size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return (long)n;
}

// /proc/PID/stat's state letter and ppid: 0 (and -1) when there is no such process.
static char stat_of(pid_t pid, long* ppid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    *ppid = -1;
    if (slurp(path) <= 0) return 0;
    const char* after = strrchr(text, ')');
    char state = 0;
    if (!after || sscanf(after + 1, " %c %ld", &state, ppid) != 2) return '?';
    return state;
}

// /proc/self/status's PPid.
static long status_ppid(void) {
    if (slurp("/proc/self/status") <= 0) return -1;
    const char* line = strstr(text, "\nPPid:");
    return line ? strtol(line + 6, NULL, 10) : -1;
}

static void nap_ms(long ms) {
    const struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

// Whether process `pid` is gone from /proc within about two seconds.
static int vanishes(pid_t pid) {
    long ppid;
    for (int i = 0; i < 200; i++) {
        if (stat_of(pid, &ppid) == 0) return 1;
        nap_ms(10);
    }
    return 0;
}

// What the orphan saw, sent to the program as one record.
struct Seen {
    pid_t getppid;
    long stat_ppid;
    long status_ppid;
};

// The program forks a child that forks a grandchild and ends; once the child is reaped, the
// grandchild (an orphan now) says who its parent is.
static void an_orphan_is_adopted(pid_t starter) {
    header("an orphan");
    int pids[2], go[2], seen[2];
    if (pipe(pids) || pipe(go) || pipe(seen)) return;
    const pid_t child = fork();
    if (child == 0) {
        const pid_t grandchild = fork();
        if (grandchild == 0) {
            char byte;
            if (read(go[0], &byte, 1) != 1) _exit(1);
            struct Seen s = {getppid(), 0, status_ppid()};
            stat_of(getpid(), &s.stat_ppid);
            if (write(seen[1], &s, sizeof s) != sizeof s) _exit(1);
            if (read(go[0], &byte, 1) != 1) _exit(1);  // until the program has looked at it
            _exit(0);
        }
        if (write(pids[1], &grandchild, sizeof grandchild) != sizeof grandchild) _exit(1);
        _exit(7);
    }
    pid_t orphan = 0;
    if (read(pids[0], &orphan, sizeof orphan) != sizeof orphan) return;
    int status = 0;
    yes("the parent is reaped", waitpid(child, &status, 0) == child);
    val("its exit status", WEXITSTATUS(status));
    if (write(go[1], "g", 1) != 1) return;
    struct Seen s;
    if (read(seen[0], &s, sizeof s) != sizeof s) return;
    yes("the orphan's getppid is the program's own parent", s.getppid == starter);
    yes("its /proc stat says the same", s.stat_ppid == starter);
    yes("its /proc status says the same", s.status_ppid == starter);
    long ppid;
    yes("the program sees the same in its stat", stat_of(orphan, &ppid) != 0 && ppid == starter);
    fails("waitpid for the orphan", waitpid(orphan, &status, WNOHANG));
    fails("wait for any child", wait(&status));
    if (write(go[1], "g", 1) != 1) return;
    yes("when it ends its adopter reaps it", vanishes(orphan));
}

static void a_zombie_stays_until_reaped(void) {
    header("a zombie");
    const pid_t child = fork();
    if (child == 0) _exit(3);
    long ppid;
    char state = 0;
    for (int i = 0; i < 200 && (state = stat_of(child, &ppid)) != 'Z'; i++) nap_ms(10);
    printf("its state: %c\n", state);
    yes("its ppid is the program", ppid == getpid());
    ok("kill 0 reaches it", kill(child, 0));
    int status = 0;
    yes("waitpid reaps it", waitpid(child, &status, 0) == child);
    val("its exit status", WEXITSTATUS(status));
    yes("then it is gone from /proc", stat_of(child, &ppid) == 0);
    fails("kill 0 then", kill(child, 0));
}

static void subreaper_setting(const char* what) {
    int value = -1;
    if (prctl(PR_GET_CHILD_SUBREAPER, &value) != 0)
        printf("%s: %s\n", what, en());
    else
        printf("%s: %d\n", what, value);
}

// The program, a subreaper, forks a child that forks two grandchildren, one that ends at once
// and one that waits, and then ends: the program adopts both.
static void a_subreaper_adopts_orphans(void) {
    header("a subreaper");
    subreaper_setting("PR_GET_CHILD_SUBREAPER");
    ok("PR_SET_CHILD_SUBREAPER 1", prctl(PR_SET_CHILD_SUBREAPER, 1));
    subreaper_setting("PR_GET_CHILD_SUBREAPER then");
    int pids[2], go[2], seen[2];
    if (pipe(pids) || pipe(go) || pipe(seen)) return;
    const pid_t child = fork();
    if (child == 0) {
        int inherited = -1;
        prctl(PR_GET_CHILD_SUBREAPER, &inherited);
        pid_t kids[3] = {0, 0, inherited};
        kids[0] = fork();
        if (kids[0] == 0) _exit(9);
        kids[1] = fork();
        if (kids[1] == 0) {
            char byte;
            if (read(go[0], &byte, 1) != 1) _exit(1);
            const pid_t parent = getppid();
            if (write(seen[1], &parent, sizeof parent) != sizeof parent) _exit(1);
            _exit(0);
        }
        long ppid;
        for (int i = 0; i < 200 && stat_of(kids[0], &ppid) != 'Z'; i++) nap_ms(10);
        if (write(pids[1], kids, sizeof kids) != sizeof kids) _exit(1);
        _exit(5);
    }
    pid_t kids[3];
    if (read(pids[0], kids, sizeof kids) != sizeof kids) return;
    printf("the child's own setting (not inherited): %d\n", kids[2]);
    int status = 0;
    yes("the child is reaped", waitpid(child, &status, 0) == child);
    val("its exit status", WEXITSTATUS(status));
    long ppid;
    yes("the ended grandchild is the program's zombie now",
        stat_of(kids[0], &ppid) == 'Z' && ppid == getpid());
    yes("waitpid reaps it", waitpid(kids[0], &status, 0) == kids[0]);
    val("its exit status", WEXITSTATUS(status));
    if (write(go[1], "g", 1) != 1) return;
    pid_t parent = 0;
    if (read(seen[0], &parent, sizeof parent) != sizeof parent) return;
    yes("the other's getppid is the program", parent == getpid());
    yes("waitpid reaps it too", waitpid(kids[1], &status, 0) == kids[1]);
    val("its exit status", WEXITSTATUS(status));
    fails("then no child is left", wait(&status));
    ok("PR_SET_CHILD_SUBREAPER 0", prctl(PR_SET_CHILD_SUBREAPER, 0));
    subreaper_setting("PR_GET_CHILD_SUBREAPER at last");
    fails("PR_GET_CHILD_SUBREAPER into a bad address", prctl(PR_GET_CHILD_SUBREAPER, 8));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);  // children write nothing, but keep the order plain
    const pid_t starter = getppid();
    an_orphan_is_adopted(starter);
    a_zombie_stays_until_reaped();
    a_subreaper_adopts_orphans();
    return 0;
}
