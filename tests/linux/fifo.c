// SPDX-License-Identifier: MIT
// Named pipes (fifo(7)) and tmpfs's mount options, as Linux has them. FIFOs: mkfifo and stat, the
// opens that wait for a partner and those that do not (O_NONBLOCK, O_RDWR, ENXIO), one pipe shared
// by every opener, end of file, EPIPE, poll's readiness, a signal cutting a waiting open short,
// unlink while open, and the data going when the last opener closes. tmpfs: size= (statfs's
// blocks, ENOSPC past it), mode=, uid=, gid=, nr_inodes=, and the options Linux refuses (EINVAL).
// Everything happens under /fifo-test, which it makes and removes. Prints nothing that differs
// between two correct kernels.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

#define D "/fifo-test"
#define P D "/p"

static void show_poll(const char* what, int fd, short events) {
    struct pollfd pfd = {.fd = fd, .events = events};
    const int n = poll(&pfd, 1, 0);
    if (n < 0) {
        printf("%s: -1 %s\n", what, en());
        return;
    }
    printf("%s:%s%s%s%s%s\n", what, n == 0 ? " none" : "", (pfd.revents & POLLIN) ? " POLLIN" : "",
           (pfd.revents & POLLOUT) ? " POLLOUT" : "", (pfd.revents & POLLERR) ? " POLLERR" : "",
           (pfd.revents & POLLHUP) ? " POLLHUP" : "");
}

static void show_read(const char* what, int fd) {
    char buffer[64];
    const ssize_t n = read(fd, buffer, sizeof buffer - 1);
    if (n < 0) {
        printf("%s: -1 %s\n", what, en());
        return;
    }
    buffer[n] = '\0';
    printf("%s: %zd \"%s\"\n", what, n, buffer);
}

static pid_t fork_flushed(void) {
    fflush(stdout);
    return fork();
}

static void reap(const char* what, pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        printf("%s: waitpid -1 %s\n", what, en());
    else
        printf("%s: exit %d\n", what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void names(void) {
    header("mkfifo and stat");
    umask(022);
    ok("mkfifo", mkfifo(P, 0666));
    fails("mkfifo again", mkfifo(P, 0666));
    struct stat st;
    ok("stat", stat(P, &st));
    yes("S_ISFIFO", S_ISFIFO(st.st_mode));
    printf("mode: %o size: %lld blocks: %lld nlink: %lu\n", st.st_mode & 07777,
           (long long)st.st_size, (long long)st.st_blocks, (unsigned long)st.st_nlink);
    ok("mknod S_IFIFO", mknod(D "/q", S_IFIFO | 0600, 0));
    ok("stat of the mknod one", stat(D "/q", &st));
    yes("S_ISFIFO", S_ISFIFO(st.st_mode));
    ok("unlink it", unlink(D "/q"));
}

static void nonblocking_opens(void) {
    header("O_NONBLOCK opens");
    fails("O_WRONLY|O_NONBLOCK, no reader", open(P, O_WRONLY | O_NONBLOCK));
    const int r = open(P, O_RDONLY | O_NONBLOCK);
    ok("O_RDONLY|O_NONBLOCK, no writer", r);
    show_poll("poll of the reader, no writer yet", r, POLLIN);
    show_read("read, no writer", r);
    const int w = open(P, O_WRONLY | O_NONBLOCK);
    ok("O_WRONLY|O_NONBLOCK with a reader", w);
    show_poll("poll of the writer", w, POLLOUT);
    show_poll("poll of the reader, nothing written", r, POLLIN);
    fails("read of an empty fifo with a writer", read(r, (char[4]){0}, 4));
    val("write", write(w, "hello", 5));
    int n = -1;
    ok("FIONREAD", ioctl(r, FIONREAD, &n));
    printf("FIONREAD: %d\n", n);
    show_poll("poll of the reader, 5 bytes in", r, POLLIN);
    show_read("read", r);
    val("fcntl F_GETPIPE_SZ", fcntl(w, F_GETPIPE_SZ));
    fails("lseek", lseek(r, 0, SEEK_SET));
    struct stat st;
    ok("fstat", fstat(w, &st));
    yes("fstat: S_ISFIFO", S_ISFIFO(st.st_mode));
    val("fstat: size", st.st_size);
    ok("close the writer", close(w));
    show_poll("poll of the reader, the writer gone", r, POLLIN);
    show_read("read after the writer closed", r);
    const int w2 = open(P, O_WRONLY | O_NONBLOCK);
    ok("a second writer", w2);
    ok("close the reader", close(r));
    show_poll("poll of the writer, no reader", w2, POLLOUT);
    signal(SIGPIPE, SIG_IGN);
    fails("write with no reader", write(w2, "x", 1));
    signal(SIGPIPE, SIG_DFL);
    ok("close the writer", close(w2));
}

static void data_goes_with_last_close(void) {
    header("the last close discards the data");
    const int r = open(P, O_RDONLY | O_NONBLOCK);
    const int w = open(P, O_WRONLY | O_NONBLOCK);
    val("write", write(w, "left behind", 11));
    close(w);
    close(r);
    const int r2 = open(P, O_RDONLY | O_NONBLOCK);
    ok("reopen", r2);
    show_read("read after every opener closed", r2);
    close(r2);
}

static void blocking_opens(void) {
    header("blocking opens");
    pid_t pid = fork_flushed();
    if (pid == 0) {
        const int w = open(P, O_WRONLY);
        if (w < 0) _exit(1);
        if (write(w, "from the child", 14) != 14) _exit(2);
        _exit(close(w) == 0 ? 0 : 3);
    }
    const int r = open(P, O_RDONLY);
    ok("the parent's O_RDONLY, the child writing", r);
    char buffer[64];
    size_t got = 0;
    for (ssize_t n; (n = read(r, buffer + got, sizeof buffer - 1 - got)) > 0;) got += (size_t)n;
    buffer[got] = '\0';
    printf("read to end of file: %zu \"%s\"\n", got, buffer);
    close(r);
    reap("the writing child", pid);

    pid = fork_flushed();
    if (pid == 0) {
        usleep(100000);
        const int rr = open(P, O_RDONLY);
        if (rr < 0) _exit(1);
        char c[32];
        const ssize_t n = read(rr, c, sizeof c);
        _exit(n == 6 && memcmp(c, "parent", 6) == 0 ? 0 : 2);
    }
    const int w = open(P, O_WRONLY);
    ok("the parent's O_WRONLY, the child reading late", w);
    val("write", write(w, "parent", 6));
    close(w);
    reap("the reading child", pid);
}

static void on_alarm(int sig) {
    (void)sig;
}

static void interrupted_open(void) {
    header("a signal interrupts a waiting open");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;  // no SA_RESTART: EINTR
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval t = {.it_value = {.tv_usec = 100000}};
    setitimer(ITIMER_REAL, &t, NULL);
    fails("O_RDONLY with no writer", open(P, O_RDONLY));
    setitimer(ITIMER_REAL, &t, NULL);
    fails("O_WRONLY with no reader", open(P, O_WRONLY));
    signal(SIGALRM, SIG_DFL);
    fails("no reader is left behind: O_WRONLY|O_NONBLOCK", open(P, O_WRONLY | O_NONBLOCK));
}

static void read_write_open(void) {
    header("O_RDWR");
    const int fd = open(P, O_RDWR);
    ok("O_RDWR, nobody else", fd);
    show_poll("poll", fd, POLLIN | POLLOUT);
    val("write", write(fd, "both ends", 9));
    show_poll("poll, 9 bytes in", fd, POLLIN | POLLOUT);
    const int w = open(P, O_WRONLY | O_NONBLOCK);
    ok("O_WRONLY|O_NONBLOCK beside it", w);
    val("write through the other", write(w, "!", 1));
    close(w);
    show_read("read", fd);
    ok("unlink while open", unlink(P));
    struct stat st;
    ok("fstat", fstat(fd, &st));
    printf("fstat: fifo %d nlink %lu\n", S_ISFIFO(st.st_mode), (unsigned long)st.st_nlink);
    val("write after unlink", write(fd, "still", 5));
    show_read("read after unlink", fd);
    close(fd);
    fails("stat of the unlinked name", stat(P, &st));
}

static void show_statfs(const char* what, const char* path) {
    struct statfs s;
    if (statfs(path, &s) != 0) {
        printf("%s: -1 %s\n", what, en());
        return;
    }
    printf("%s: tmpfs %d bsize %ld blocks %llu free %llu\n", what, s.f_type == 0x01021994,
           (long)s.f_bsize, (unsigned long long)s.f_blocks, (unsigned long long)s.f_bfree);
}

static void show_root_mode(const char* what, const char* path) {
    struct stat st;
    if (stat(path, &st) != 0)
        printf("%s: -1 %s\n", what, en());
    else
        printf("%s: %o uid %u gid %u\n", what, st.st_mode & 07777, st.st_uid, st.st_gid);
}

static void fill(const char* path) {
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    static char chunk[4096];
    memset(chunk, 'z', sizeof chunk);
    long total = 0;
    ssize_t n;
    while ((n = write(fd, chunk, sizeof chunk)) > 0) total += n;
    printf("written until %s: %ld bytes\n", n < 0 ? en() : "0", total);
    close(fd);
}

static void tmpfs_size(void) {
    header("tmpfs size=");
    const char* m = D "/m";
    ok("mkdir", mkdir(m, 0755));
    ok("mount size=64k", mount("tmpfs", m, "tmpfs", 0, "size=64k"));
    show_statfs("statfs", m);
    show_root_mode("its root", m);
    fill(D "/m/big");
    show_statfs("statfs, full", m);
    const int more = open(D "/m/more", O_WRONLY | O_CREAT, 0644);
    ok("a new file in a full tmpfs", more);
    fails("its first byte", write(more, "x", 1));
    close(more);
    ok("unlink", unlink(D "/m/big"));
    show_statfs("statfs, emptied", m);
    unlink(D "/m/more");
    ok("umount2", umount2(m, 0));
    ok("mount size=1m,mode=0755,uid=0,gid=0,nr_inodes=100",
       mount("tmpfs", m, "tmpfs", 0, "size=1m,mode=0755,uid=0,gid=0,nr_inodes=100"));
    show_statfs("statfs", m);
    show_root_mode("its root", m);
    ok("umount2", umount2(m, 0));
    ok("mount rw,size=0x2000,,mode=700", mount("tmpfs", m, "tmpfs", 0, "rw,size=0x2000,,mode=700"));
    show_statfs("statfs", m);
    show_root_mode("its root", m);
    ok("umount2", umount2(m, 0));
    ok("mount size=10%", mount("tmpfs", m, "tmpfs", 0, "size=10%"));
    ok("umount2", umount2(m, 0));
    ok("mount with no data", mount("tmpfs", m, "tmpfs", 0, NULL));
    show_root_mode("its root", m);
    ok("umount2", umount2(m, 0));
    static const char* const bad[] = {
        "bogus",  "size=abc", "size=",        "size",  "size=1q",
        "mode=9", "mode=",    "nr_inodes=1x", "uid=x", "size=64k,frob=1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        char what[64];
        snprintf(what, sizeof what, "mount \"%s\"", bad[i]);
        fails(what, mount("tmpfs", m, "tmpfs", 0, bad[i]));
    }
    ok("rmdir", rmdir(m));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir(D, 0755);
    names();
    nonblocking_opens();
    data_goes_with_last_close();
    blocking_opens();
    interrupted_open();
    read_write_open();
    tmpfs_size();
    ok("rmdir " D, rmdir(D));
    return 0;
}
