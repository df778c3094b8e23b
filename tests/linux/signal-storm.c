// SPDX-License-Identifier: MIT
// A signal storm: for SECONDS, 8 workers in a process group of their own send each other signals
// as fast as they can (kill of one peer and of the whole group with SIGUSR1, SIGUSR2 and three
// real-time signals, sigqueue with values, SIGSTOP then SIGCONT to a peer, signal 0 to pids that
// may have just ended), toggle their masks, take signals with sigtimedwait, sleep and are cut
// short, fork children that exit at once, while their handlers raise more signals. Meanwhile the
// parent forks short-lived children and kills them at random moments: right after fork, racing
// their exit, around their execve, stopped, or stopped while a sibling exits, in its group and in
// a session of their own (no SIGHUP: neither group is newly orphaned), and takes SIGCHLD for every
// stop and end. A worker stops only workers of a higher index, each time continuing it at once, so
// a worker left stopped had a SIGCONT lost.
//
// Then the workers stop sending, the parent tells each to take what is pending and report, and
// it checks, against Linux's rules: every real-time signal sent to one process (by kill or by
// sigqueue) that the call accepted arrived exactly once, those of one sender in the order sent;
// a real-time signal sent to the group arrived at most as often as sent, and at least once; a
// standard signal sent reached its target; every handler saw its own signal, a sender that was a
// worker, the si_code of the call that sent it; nothing stayed pending once unblocked; every
// child of a worker exited 7; every worker ended running and exited 0; every one of the parent's
// children was reaped with the status it exited with, or with the signal the parent sent it (one
// that has not ended 5 s later, stopped for good or deaf to its kill, is said so and killed).
// Each check prints one line that does not depend on timing; "verbose" adds the counts.
//   signal-storm SECONDS [verbose]
//   signal-storm exit CODE      (what the parent's children execve: exits with CODE)
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 8
#define CHANNELS (WORKERS + 1)  // RT_Q's senders: each worker, and a worker's own USR1 handler
#define HANDLER_CHANNEL WORKERS
#define OUTSTANDING 4  // the parent's children alive at once

// The real-time signals (glibc's SIGRTMIN is a function): RT_Q by sigqueue to one process (with
// a value: sender and sequence), RT_K by kill to one process, RT_G by kill to the group.
static int RT_Q, RT_K, RT_G;

// What a worker counts (atomically: handlers nest into the main loop and into each other).
// clang-format off
enum {
    RECV_USR1, RECV_USR2, RECV_Q, RECV_K, RECV_G, RECV_WAITED,
    BAD_SIGNO, BAD_CODE, BAD_SENDER, OUT_OF_ORDER, PENDING_AFTER_UNBLOCK, CHILD_BAD_STATUS,
    SENT_SIGNALS, SENT_REFUSED, STOPS, FORKS, PROBES, SLEEPS_CUT, MASK_CHANGES, COUNTERS
};
// clang-format on

struct report {
    int index;
    long counters[COUNTERS];
    long sent_q[WORKERS];    // RT_Q sigqueue() accepted, to each worker
    long sent_k[WORKERS];    // RT_K kill() accepted, to each worker
    long sent_std[WORKERS];  // SIGUSR1/SIGUSR2 accepted, to each worker (a group send to all)
    long sent_g;             // RT_G sends to the group accepted
};

static struct report me;
static pid_t pids[WORKERS];  // the workers', in the order of their index
static pid_t parent_pid;
static long last_seq[CHANNELS];  // per RT_Q sender: the last sequence number received
static long seq_to[CHANNELS][WORKERS];

static void add(long* counter, long n) {
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static void count(int which) {
    add(&me.counters[which], 1);
}

static uint64_t next_random(uint64_t* state) {
    uint64_t x = *state;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return *state = x;
}

static uint64_t main_rng, handler_rng;

static unsigned pick(unsigned n) {
    return (unsigned)(next_random(&main_rng) % n);
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int worker_index(pid_t pid) {
    for (int i = 0; i < WORKERS; i++)
        if (pids[i] == pid) return i;
    return -1;
}

// A signal received, by a handler or by sigtimedwait (with that signal blocked, so that no
// handler for it runs in between): checks what the siginfo says and counts it.
static void received(int sig, const siginfo_t* si) {
    if (si->si_signo != sig) count(BAD_SIGNO);
    const int from = worker_index(si->si_pid);
    if (sig == RT_Q) {
        const int channel = si->si_value.sival_int >> 24;
        const long seq = si->si_value.sival_int & 0xffffff;
        if (si->si_code != SI_QUEUE) count(BAD_CODE);
        if (channel < 0 || channel >= CHANNELS || from < 0 ||
            (channel == HANDLER_CHANNEL ? from != me.index : from != channel)) {
            count(BAD_SENDER);
        } else {
            if (seq <= last_seq[channel]) count(OUT_OF_ORDER);
            last_seq[channel] = seq;
        }
        count(RECV_Q);
    } else if (sig == RT_K || sig == RT_G) {
        if (si->si_code != SI_USER) count(BAD_CODE);
        if (from < 0) count(BAD_SENDER);
        count(sig == RT_K ? RECV_K : RECV_G);
    } else if (sig == SIGUSR1 || sig == SIGUSR2) {
        // kill from a peer or the parent, or raise (tgkill) by the worker itself.
        if (si->si_code != SI_USER && si->si_code != SI_TKILL) count(BAD_CODE);
        if (from < 0 && si->si_pid != parent_pid) count(BAD_SENDER);
        count(sig == SIGUSR1 ? RECV_USR1 : RECV_USR2);
    } else {
        count(BAD_SIGNO);
    }
}

// SIGUSR1's handler raises more: SIGUSR2 (a nested handler), RT_Q to itself on its own channel.
static void on_usr1(int sig, siginfo_t* si, void* uc) {
    (void)uc;
    const int saved = errno;
    received(sig, si);
    const uint64_t r = next_random(&handler_rng);
    if (r % 4 == 0) raise(SIGUSR2);
    if (r % 8 == 1) {
        const long seq = ++seq_to[HANDLER_CHANNEL][me.index];
        const union sigval value = {.sival_int = (int)((HANDLER_CHANNEL << 24) | seq)};
        if (sigqueue(getpid(), RT_Q, value) == 0)
            add(&me.sent_q[me.index], 1);
        else
            count(SENT_REFUSED);
    }
    errno = saved;
}

static void on_signal(int sig, siginfo_t* si, void* uc) {
    (void)uc;
    const int saved = errno;
    received(sig, si);
    errno = saved;
}

static void handle(int sig, void (*handler)(int, siginfo_t*, void*), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) {
        printf("storm: sigaction(%d): %s\n", sig, strerror(errno));
        exit(1);
    }
}

static sigset_t storm_set(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, RT_Q);
    sigaddset(&set, RT_K);
    sigaddset(&set, RT_G);
    return set;
}

static void write_all(int fd, const void* data, size_t size) {
    const char* p = data;
    while (size > 0) {
        const ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            printf("storm: write: %s\n", strerror(errno));
            exit(1);
        }
        p += n, size -= (size_t)n;
    }
}

// Reads exactly `size` bytes, through interruptions; 0 at end of file.
static int read_all(int fd, void* data, size_t size) {
    char* p = data;
    while (size > 0) {
        const ssize_t n = read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        p += n, size -= (size_t)n;
    }
    return 1;
}

struct start {
    pid_t pids[WORKERS];
    pid_t parent;
    long end_ms;  // CLOCK_MONOTONIC, when the storm ends
};

static void send_one(int target, int sig, long* sent) {
    if (kill(pids[target], sig) == 0) {
        count(SENT_SIGNALS);
        if (sent) add(&sent[target], 1);
    } else {
        count(SENT_REFUSED);
    }
}

static void worker_fork(void) {
    const pid_t child = fork();
    if (child == 0) _exit(7);
    if (child < 0) return;  // out of tasks for a moment: not the storm's business
    count(FORKS);
    int status = 0;
    pid_t got;
    while ((got = waitpid(child, &status, 0)) < 0 && errno == EINTR) {
    }
    if (got != child || !WIFEXITED(status) || WEXITSTATUS(status) != 7) count(CHILD_BAD_STATUS);
}

static void storm_step(pid_t group) {
    const int peer = (int)pick(WORKERS);
    const unsigned r = pick(100);
    if (r < 20) {
        send_one(peer, pick(2) ? SIGUSR1 : SIGUSR2, me.sent_std);
    } else if (r < 35) {
        const long seq = ++seq_to[me.index][peer];
        const union sigval value = {.sival_int = (int)((me.index << 24) | seq)};
        if (sigqueue(pids[peer], RT_Q, value) == 0) {
            count(SENT_SIGNALS);
            add(&me.sent_q[peer], 1);
        } else {
            count(SENT_REFUSED);
        }
    } else if (r < 45) {
        send_one(peer, RT_K, me.sent_k);
    } else if (r < 50) {
        const int sig = r < 47 ? RT_G : r < 49 ? SIGUSR1 : SIGUSR2;
        if (kill(-group, sig) == 0) {
            count(SENT_SIGNALS);
            if (sig == RT_G)
                add(&me.sent_g, 1);
            else
                for (int i = 0; i < WORKERS; i++) add(&me.sent_std[i], 1);
        } else {
            count(SENT_REFUSED);
        }
    } else if (r < 60) {
        sigset_t set;
        sigemptyset(&set);
        const int sigs[] = {SIGUSR1, SIGUSR2, RT_Q, RT_K, RT_G};
        for (int i = 0; i < 5; i++)
            if (pick(2)) sigaddset(&set, sigs[i]);
        sigprocmask(r < 55 ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
        count(MASK_CHANGES);
    } else if (r < 66) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        count(MASK_CHANGES);
    } else if (r < 71) {
        // Only a worker of a higher index: no two can stop each other, so every SIGSTOP is
        // followed by its SIGCONT (worker 0, stopped by none, goes on to continue the others).
        if (me.index == WORKERS - 1) return;
        const int victim = me.index + 1 + (int)pick(WORKERS - 1 - (unsigned)me.index);
        send_one(victim, SIGSTOP, NULL);
        if (pick(2)) sched_yield();
        send_one(victim, SIGCONT, NULL);
        count(STOPS);
    } else if (r < 76) {
        raise(SIGUSR1);
        add(&me.sent_std[me.index], 1);
    } else if (r < 82) {
        sigset_t set, old;
        sigemptyset(&set);
        sigaddset(&set, RT_Q);
        sigaddset(&set, RT_K);
        sigaddset(&set, SIGUSR2);
        sigprocmask(SIG_BLOCK, &set, &old);
        const struct timespec wait = {0, pick(2) ? 0 : 200000};
        siginfo_t si;
        const int sig = sigtimedwait(&set, &si, &wait);
        if (sig > 0) {
            received(sig, &si);
            count(RECV_WAITED);
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
    } else if (r < 87) {
        const struct timespec nap = {0, (long)pick(500) * 1000};
        if (nanosleep(&nap, NULL) != 0 && errno == EINTR) count(SLEEPS_CUT);
    } else if (r < 89) {
        worker_fork();
    } else if (r < 95) {
        // Signal 0 to a pid near ours: a worker, a child just reaped or about to be, nobody.
        (void)kill(parent_pid + (pid_t)pick(4 * WORKERS + 64), 0);
        count(PROBES);
    } else {
        sched_yield();
    }
}

static void worker(int index, int command, int reports) {
    me.index = index;
    main_rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)getpid() << 20) ^ (uint64_t)now_ms();
    handler_rng = main_rng * 2654435761u + 1;
    handle(SIGUSR1, on_usr1, SA_RESTART);
    handle(SIGUSR2, on_signal, SA_NODEFER);  // no SA_RESTART: calls end with EINTR
    handle(RT_Q, on_signal, SA_RESTART);
    handle(RT_K, on_signal, SA_RESTART);
    handle(RT_G, on_signal, 0);
    // Until it knows every worker's pid, what peers that started first send it waits.
    sigset_t storm = storm_set();
    sigprocmask(SIG_BLOCK, &storm, NULL);
    write_all(reports, "r", 1);  // ready: its handlers are in place
    struct start start;
    if (!read_all(command, &start, sizeof start)) _exit(2);
    memcpy(pids, start.pids, sizeof pids);
    parent_pid = start.parent;
    sigprocmask(SIG_UNBLOCK, &storm, NULL);
    const pid_t group = pids[0];
    while (now_ms() < start.end_ms) storm_step(group);
    const char done[2] = {'d', (char)index};
    write_all(reports, done, 2);  // done sending
    char go;
    if (!read_all(command, &go, 1)) _exit(3);
    // Every sender is done: what was sent is pending or taken. Take it, then look.
    sigset_t none, pending;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    sigpending(&pending);
    const int sigs[] = {SIGUSR1, SIGUSR2, RT_Q, RT_K, RT_G};
    for (int i = 0; i < 5; i++)
        if (sigismember(&pending, sigs[i])) count(PENDING_AFTER_UNBLOCK);
    sigprocmask(SIG_BLOCK, &storm, NULL);  // the report holds still
    write_all(reports, &me, sizeof me);
    _exit(0);
}

// The parent's children: each ends by exiting with its code or by the signal the parent sent.
struct child {
    pid_t pid;
    int code;
    int sent;  // the signal that may end it (0: none)
    unsigned mode;
};

static int unexpected;
static long children, children_killed, children_exited, chld_signals;

static void on_chld(int sig) {
    (void)sig;
    __atomic_fetch_add(&chld_signals, 1, __ATOMIC_RELAXED);
}

static void on_alarm(int sig) {
    (void)sig;  // (it cuts a wait short)
}

// waitpid, cut short after `ms` (0 then): a child that never ends is a verdict, not a hang. The
// first few get 5 s each, the rest a moment.
static int stuck;
static pid_t wait_bounded(pid_t pid, int* status, int options) {
    const long limit = now_ms() + (stuck < 3 ? 5000 : 200);
    for (;;) {
        alarm(1);
        const pid_t got = waitpid(pid, status, options);
        alarm(0);
        if (got >= 0 || errno != EINTR) return got;
        if (now_ms() >= limit) {
            stuck++;
            return 0;
        }
    }
}

static void reap(struct child* c) {
    int status = 0;
    pid_t got = wait_bounded(c->pid, &status, 0);
    if (got == 0) {  // still there: stopped for good, or deaf to its kill
        int now = 0;
        const int stopped = waitpid(c->pid, &now, WNOHANG | WUNTRACED) == c->pid && WIFSTOPPED(now);
        printf("storm: child %d (mode %u, code %d, sent %d) has not ended%s\n", c->pid, c->mode,
               c->code, c->sent, stopped ? ": it is stopped" : "");
        unexpected++;
        kill(c->pid, SIGKILL);
        got = wait_bounded(c->pid, &status, 0);
        c->pid = 0;
        return;
    }
    if (got != c->pid) {
        printf("storm: waitpid(child %d): %s\n", c->pid, strerror(errno));
        unexpected++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == c->code) {
        children_exited++;
    } else if (WIFSIGNALED(status) && c->sent != 0 && WTERMSIG(status) == c->sent) {
        children_killed++;
    } else {
        if (unexpected < 10)
            printf("storm: child %d (code %d, sent %d): unexpected status %#x\n", c->pid, c->code,
                   c->sent, status);
        unexpected++;
    }
    c->pid = 0;
}

static void spin(unsigned n) {
    for (volatile unsigned i = 0; i < n; i++) {
    }
}

// One short-lived child, killed (or not) at a random moment.
static void fork_and_kill(const char* self, struct child* c) {
    c->code = 1 + (int)(children % 100);
    c->sent = 0;
    const unsigned mode = children < 2 ? 8 - (unsigned)children : pick(10);  // 8 and 7 surely
    c->mode = mode;
    const unsigned delay = pick(3000);
    fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) return;
    if (pid == 0) {
        switch (mode) {
        case 2: usleep(delay); break;
        case 3: {
            char code[8];
            snprintf(code, sizeof code, "%d", c->code);
            execl(self, "signal-storm", "exit", code, (char*)NULL);  // (self: a path)
            _exit(99);
        }
        case 4: spin(delay * 50); break;
        case 6:  // calls (each return looks for signals) while it is stopped and continued
            for (unsigned i = 0; i < delay; i++) getppid();
            break;
        case 7:
            for (;;) pause();
        // A session of its own, its group orphaned from the start: a child stopped while
        // another exits, and no SIGHUP for any of them (the group is not newly orphaned).
        case 8: {
            if (setsid() < 0) _exit(98);
            const pid_t stopped = fork();
            if (stopped == 0)
                for (;;) pause();
            if (stopped < 0) _exit(c->code);
            int status = 0;
            kill(stopped, SIGSTOP);
            while (waitpid(stopped, &status, WUNTRACED) < 0 && errno == EINTR) {
            }
            const pid_t exits = fork();
            if (exits == 0) _exit(0);
            while (exits > 0 && waitpid(exits, &status, 0) < 0 && errno == EINTR) {
            }
            kill(stopped, SIGKILL);
            while (waitpid(stopped, &status, 0) < 0 && errno == EINTR) {
            }
            _exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? c->code : 97);
        }
        }
        _exit(c->code);
    }
    c->pid = pid;
    children++;
    static const int fatal[] = {SIGKILL, SIGTERM, SIGINT};
    switch (mode) {
    case 0:  // right after fork
        c->sent = SIGKILL;
        kill(pid, SIGKILL);
        break;
    case 1:  // racing its exit
        for (unsigned i = pick(4); i > 0; i--) sched_yield();
        c->sent = SIGTERM;
        kill(pid, SIGTERM);
        break;
    case 2:
    case 3:
        usleep(pick(3000));
        c->sent = fatal[pick(3)];
        kill(pid, c->sent);
        break;
    case 4:  // stopped, then killed
        kill(pid, SIGSTOP);
        usleep(pick(1000));
        c->sent = SIGKILL;
        kill(pid, SIGKILL);
        break;
    case 5: kill(pid, 0); break;
    case 6:  // stopped and continued, again and again: it goes on to exit
        for (int i = 0; i < 20; i++) {
            kill(pid, SIGSTOP);
            if (pick(2)) sched_yield();
            kill(pid, SIGCONT);
        }
        break;
    case 7: {  // stopped while a sibling in its group exits: the group was orphaned or not before,
               // and stays as it was, so no SIGHUP for anyone (POSIX: only a newly orphaned one)
        kill(pid, SIGSTOP);
        int status = 0;
        if (wait_bounded(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status)) {
            printf("storm: child %d: not stopped (%#x)\n", pid, status);
            unexpected++;
        }
        struct child sibling = {.code = 0, .sent = 0, .mode = 7};
        sibling.pid = fork();
        if (sibling.pid == 0) _exit(0);
        if (sibling.pid > 0) {
            children++;
            reap(&sibling);
        }
        c->sent = SIGKILL;
        kill(pid, SIGKILL);
        break;
    }
    default: break;
    }
}

int main(int argc, char** argv) {
    if (argc == 3 && strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
    if (argc < 2 || atoi(argv[1]) <= 0) {
        fprintf(stderr, "usage: signal-storm SECONDS [verbose]\n");
        return 2;
    }
    const int seconds = atoi(argv[1]);
    const int verbose = argc > 2 && strcmp(argv[2], "verbose") == 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    RT_Q = SIGRTMIN, RT_K = SIGRTMIN + 1, RT_G = SIGRTMIN + 2;
    main_rng = 0x2545f4914f6cdd1dull ^ (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32);
    parent_pid = getpid();

    int reports[2];
    if (pipe(reports) != 0) return 1;
    int commands[WORKERS];
    pid_t group = 0;
    for (int i = 0; i < WORKERS; i++) {
        int command[2];
        if (pipe(command) != 0) return 1;
        fflush(stdout);
        const pid_t pid = fork();
        if (pid < 0) {
            printf("storm: fork: %s\n", strerror(errno));
            return 1;
        }
        if (pid == 0) {
            if (setpgid(0, group) != 0) _exit(4);
            close(command[1]);
            close(reports[0]);
            for (int j = 0; j < i; j++) close(commands[j]);
            worker(i, command[0], reports[1]);
        }
        if (group == 0) group = pid;
        (void)setpgid(pid, group);  // either of the two calls makes it so before anyone sends
        close(command[0]);
        commands[i] = command[1];
        pids[i] = pid;
    }
    close(reports[1]);
    for (int i = 0; i < WORKERS; i++) {
        char ready;
        if (!read_all(reports[0], &ready, 1) || ready != 'r') {
            printf("storm: a worker did not start\n");
            return 1;
        }
    }
    int grouped = 1;
    for (int i = 0; i < WORKERS; i++) grouped &= getpgid(pids[i]) == group;
    printf("storm: %d workers in a process group of their own: %s\n", WORKERS,
           grouped ? "yes" : "no");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;  // no SA_RESTART, no SA_NOCLDSTOP: waitpid is cut short often
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    // The parent's children start with the storm's signals blocked: a worker's probe may reach
    // one, and its end is to be the one the parent gives it.
    sigset_t storm = storm_set(), unblocked;
    sigprocmask(SIG_BLOCK, &storm, &unblocked);

    struct start start;
    memcpy(start.pids, pids, sizeof pids);
    start.parent = getpid();
    start.end_ms = now_ms() + seconds * 1000L;
    for (int i = 0; i < WORKERS; i++) write_all(commands[i], &start, sizeof start);

    struct child live[OUTSTANDING] = {{0}};
    long group_stops = 0;
    unsigned slot = 0;
    // What the children execve: this program, by its path (keel's shell gives the name alone).
    char self[256];
    snprintf(self, sizeof self, "%s%s", strchr(argv[0], '/') ? "" : "/bin/", argv[0]);
    while (now_ms() < start.end_ms) {
        if (live[slot].pid) reap(&live[slot]);
        fork_and_kill(self, &live[slot]);
        slot = (slot + 1) % OUTSTANDING;
        const unsigned r = pick(100);
        if (r < 10) {
            kill(-group, pick(2) ? SIGUSR1 : SIGUSR2);
        } else if (r < 14) {
            const pid_t victim = pids[pick(WORKERS)];
            kill(victim, SIGSTOP);
            sched_yield();
            kill(victim, SIGCONT);
            group_stops++;
        }
    }
    for (int i = 0; i < OUTSTANDING; i++)
        if (live[i].pid) reap(&live[i]);

    // The workers finish their last sends. One that does not was stopped and never continued (a
    // SIGCONT lost): it is said so, and continued, to see the rest.
    int done = 0, rescued = 0, finished[WORKERS] = {0};
    long limit = now_ms() + 10000;
    while (done < WORKERS) {
        struct pollfd p = {.fd = reports[0], .events = POLLIN};
        if (poll(&p, 1, 100) == 1) {
            unsigned char d[2];
            if (!read_all(reports[0], d, 2) || d[0] != 'd' || d[1] >= WORKERS) break;
            finished[d[1]] = 1;
            done++;
        } else if (now_ms() >= limit) {
            if (rescued) break;
            for (int i = 0; i < WORKERS; i++) {
                int status = 0;
                if (finished[i]) continue;
                const int stopped =
                    waitpid(pids[i], &status, WNOHANG | WUNTRACED) == pids[i] && WIFSTOPPED(status);
                printf("storm: worker %d has not finished 10 s after the storm%s\n", i,
                       stopped ? ": it is stopped" : "");
            }
            kill(-group, SIGCONT);
            rescued = 1;
            limit = now_ms() + 10000;
        }
    }
    printf("storm: every worker finished sending, none left stopped: %s\n",
           done == WORKERS && !rescued ? "yes" : "no");
    if (done < WORKERS) {
        kill(-group, SIGKILL);
        return 1;
    }
    // From here nobody stops anybody: a worker still stopped was never continued.
    struct report all[WORKERS];
    int got = 0;
    for (int i = 0; i < WORKERS; i++) write_all(commands[i], "g", 1);
    const long report_limit = now_ms() + 15000;
    while (got < WORKERS && now_ms() < report_limit) {
        struct pollfd p = {.fd = reports[0], .events = POLLIN};
        if (poll(&p, 1, 100) == 1) {
            struct report r;
            if (!read_all(reports[0], &r, sizeof r) || r.index < 0 || r.index >= WORKERS) break;
            all[got++] = r;
        }
    }
    printf("storm: every worker reported: %s\n", got == WORKERS ? "yes" : "no");
    if (got < WORKERS) {
        kill(-group, SIGKILL);
        return 1;
    }
    int exited = 0;
    for (int i = 0; i < WORKERS; i++) {
        int status = 0;
        pid_t w;
        while ((w = waitpid(pids[i], &status, 0)) < 0 && errno == EINTR) {
        }
        if (w == pids[i] && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            exited++;
        else
            printf("storm: worker %d: status %#x\n", i, status);
    }
    printf("storm: every worker exited 0: %s\n", exited == WORKERS ? "yes" : "no");
    sigprocmask(SIG_SETMASK, &unblocked, NULL);

    long totals[COUNTERS] = {0}, sent_g = 0;
    int exact = 1, reached = 1, group_bounds = 1;
    for (int i = 0; i < WORKERS; i++) {
        for (int c = 0; c < COUNTERS; c++) totals[c] += all[i].counters[c];
        sent_g += all[i].sent_g;
    }
    for (int t = 0; t < WORKERS; t++) {
        const struct report* target = NULL;
        for (int i = 0; i < WORKERS; i++)
            if (all[i].index == t) target = &all[i];
        long q = 0, k = 0, std = 0;
        for (int i = 0; i < WORKERS; i++) {
            q += all[i].sent_q[t], k += all[i].sent_k[t], std += all[i].sent_std[t];
        }
        const long recv_q = target->counters[RECV_Q], recv_k = target->counters[RECV_K];
        if (recv_q != q || recv_k != k) {
            exact = 0;
            printf("storm: worker %d: RT_Q sent %ld received %ld, RT_K sent %ld received %ld\n", t,
                   q, recv_q, k, recv_k);
        }
        if (std > 0 && target->counters[RECV_USR1] + target->counters[RECV_USR2] == 0) reached = 0;
        const long recv_g = target->counters[RECV_G];
        if (recv_g > sent_g || (sent_g > 0 && recv_g == 0)) {
            group_bounds = 0;
            printf("storm: worker %d: RT_G sent to the group %ld, received %ld\n", t, sent_g,
                   recv_g);
        }
    }
    printf("storm: real-time signals sent to one process arrived once each: %s\n",
           exact ? "yes" : "no");
    printf("storm: those of one sender arrived in the order sent: %s\n",
           totals[OUT_OF_ORDER] == 0 ? "yes" : "no");
    printf(
        "storm: real-time signals sent to the group arrived at most as often as sent, at "
        "least once: %s\n",
        group_bounds ? "yes" : "no");
    printf("storm: every standard signal sent reached its target: %s\n", reached ? "yes" : "no");
    printf("storm: handlers saw their own signal, from a worker, with the sender's si_code: %s\n",
           totals[BAD_SIGNO] + totals[BAD_SENDER] + totals[BAD_CODE] == 0 ? "yes" : "no");
    if (totals[BAD_SIGNO] + totals[BAD_SENDER] + totals[BAD_CODE])
        printf("storm: bad si_signo %ld, bad sender %ld, bad si_code %ld\n", totals[BAD_SIGNO],
               totals[BAD_SENDER], totals[BAD_CODE]);
    printf("storm: nothing stayed pending once unblocked: %s\n",
           totals[PENDING_AFTER_UNBLOCK] == 0 ? "yes" : "no");
    printf("storm: every child of a worker exited 7: %s\n",
           totals[CHILD_BAD_STATUS] == 0 ? "yes" : "no");
    printf("storm: the parent's children all reaped, each as it exited or as it was killed: %s\n",
           unexpected == 0 ? "yes" : "no");
    if (verbose) {
        long handled = totals[RECV_USR1] + totals[RECV_USR2] + totals[RECV_Q] + totals[RECV_K] +
                       totals[RECV_G];
        printf(
            "storm: counts: handled %ld (by sigtimedwait %ld), sent %ld, refused %ld, "
            "stop-continue pairs %ld, worker forks %ld, probes %ld, sleeps cut %ld, "
            "mask changes %ld, parent's children %ld (killed %ld, exited %ld), "
            "parent's stop-continue pairs %ld, SIGCHLD %ld\n",
            handled, totals[RECV_WAITED], totals[SENT_SIGNALS], totals[SENT_REFUSED], totals[STOPS],
            totals[FORKS], totals[PROBES], totals[SLEEPS_CUT], totals[MASK_CHANGES], children,
            children_killed, children_exited, group_stops, chld_signals);
    }
    printf("storm: done\n");
    return 0;
}
