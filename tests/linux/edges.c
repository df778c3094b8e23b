// SPDX-License-Identifier: MIT
// Edges of the file and process calls where a kernel easily answers otherwise than Linux: dup3's
// order of checks, mknod of a directory, lseek past the end of the numbers and on directories and
// devices, what an O_PATH descriptor may do, utimensat with NULL paths and UTIME_OMIT, linkat of
// a descriptor's file (AT_EMPTY_PATH), a zero-length write to a pipe without a reader, sendfile
// into an O_APPEND file or through an offset it cannot write back, select with nfds past the
// table, clone3's sizes, a CLONE_VFORK child in memory of its own, and execve with an empty argv.
// Everything happens under /edges-test, removed at the end. Prints only what two correct kernels
// agree on.
//   edges              the run
//   (EDGES_CHILD set)  what the run executes with an empty argv: reports its argc and argv[0]
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define D "/edges-test"

static char buf[4096];

static void descriptors_and_names(void) {
    header("descriptors and names");
    fails("dup3 of a closed fd onto itself", dup3(99, 99, 0));
    fails("dup3 onto fd 5000", dup3(1, 5000, 0));
    fails("mknod of a directory", mknod(D "/d", S_IFDIR | 0755, 0));
    fails("mknod of an unknown type", mknod(D "/x", 0170000 | 0644, 0));
    ok("mknod of type 0", mknod(D "/plain", 0644, 0));
    struct stat st;
    stat(D "/plain", &st);
    yes("  it is a regular file", S_ISREG(st.st_mode));
}

static void seeking(void) {
    header("lseek");
    const int dir = open(D, O_RDONLY | O_DIRECTORY);
    fails("SEEK_END on a directory", lseek(dir, 0, SEEK_END));
    val("SEEK_CUR 0 on a directory", lseek(dir, 0, SEEK_CUR));
    close(dir);
    const int f = open(D "/f", O_CREAT | O_RDWR, 0644);
    write(f, "0123456789", 10);
    fails("SEEK_END by LONG_MAX on a 10-byte file", lseek(f, LONG_MAX, SEEK_END));
    val("  the offset stays", lseek(f, 0, SEEK_CUR));
    close(f);
    const int null = open("/dev/null", O_RDWR);
    val("/dev/null with whence 42", lseek(null, 5, 42));
    close(null);
}

static void path_descriptors(void) {
    header("O_PATH");
    const int p = open(D, O_PATH);
    fails("getdents64", syscall(SYS_getdents64, p, buf, sizeof buf));
    fails("fchmod", fchmod(p, 0700));
    fails("fchown", fchown(p, 0, 0));
    fails("lseek", lseek(p, 0, SEEK_SET));
    fails("fsync", fsync(p));
    fails("read", read(p, buf, 1));
    struct stat st;
    ok("fstat", fstat(p, &st));
    struct statfs sfs;
    ok("fstatfs", fstatfs(p, &sfs));
    const int f = openat(p, "f", O_RDONLY);
    ok("openat through it", f);
    close(f);
    close(p);
}

static void times(void) {
    header("utimensat");
    fails("a NULL path with AT_FDCWD", syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0));
    const int f = open(D "/f", O_RDONLY);
    fails("a NULL path with flags", syscall(SYS_utimensat, f, NULL, NULL, AT_SYMLINK_NOFOLLOW));
    const struct timespec set[2] = {{1000, 0}, {2000, 0}};
    ok("set both", utimensat(AT_FDCWD, D "/f", set, 0));
    struct stat before, after;
    stat(D "/f", &before);
    const struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    const struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    ok("both UTIME_OMIT", utimensat(AT_FDCWD, D "/f", omit, 0));
    stat(D "/f", &after);
    yes("  the change time stays", before.st_ctim.tv_sec == after.st_ctim.tv_sec &&
                                       before.st_ctim.tv_nsec == after.st_ctim.tv_nsec);
    printf("  atime %ld, mtime %ld\n", (long)after.st_atim.tv_sec, (long)after.st_mtim.tv_sec);
    fails("both UTIME_OMIT of a missing file", utimensat(AT_FDCWD, D "/nope", omit, 0));
    ok("futimens", futimens(f, set));
    close(f);
}

static void links(void) {
    header("linkat AT_EMPTY_PATH");
    const int f = open(D "/f", O_RDONLY);
    ok("a descriptor's file", linkat(f, "", AT_FDCWD, D "/f2", AT_EMPTY_PATH));
    struct stat st;
    stat(D "/f", &st);
    val("  links", (long)st.st_nlink);
    fails("without AT_EMPTY_PATH", linkat(f, "", AT_FDCWD, D "/f3", 0));
    unlink(D "/f");
    unlink(D "/f2");
    fails("of a file with no name left", linkat(f, "", AT_FDCWD, D "/f3", AT_EMPTY_PATH));
    close(f);
    const int dir = open(D, O_RDONLY | O_DIRECTORY);
    fails("of a directory", linkat(dir, "", AT_FDCWD, D "/d2", AT_EMPTY_PATH));
    close(dir);
}

static void pipes_and_sendfile(void) {
    header("pipes and sendfile");
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    pipe(p);
    close(p[0]);
    val("a write of 0 bytes with no reader", write(p[1], "", 0));
    fails("a write of 1 byte with no reader", write(p[1], "x", 1));
    close(p[1]);
    const int in = open(D "/in", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(in, "abcdefgh", 8);
    const int append = open(D "/app", O_CREAT | O_WRONLY | O_APPEND, 0644);
    fails("sendfile into an O_APPEND file", sendfile(append, in, NULL, 5));
    close(append);
    const int out = open(D "/out", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    off_t* readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fails("sendfile with an offset it cannot write back", sendfile(out, in, readonly, 5));
    struct stat st;
    fstat(out, &st);
    val("  bytes that went all the same", (long)st.st_size);
    close(out);
    close(in);
    pipe(p);
    write(p[1], "x", 1);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(p[0], &readable);
    struct timeval now = {0, 0};
    val("select of nfds 2000", select(2000, &readable, NULL, NULL, &now));
    close(p[0]);
    close(p[1]);
}

static void processes(char* self) {
    header("clone3, vfork, execve");
    struct clone_args args = {0};
    args.exit_signal = SIGCHLD;
    fails("clone3 of 4097 bytes", syscall(SYS_clone3, &args, 4097));
    fails("clone3 of 8 bytes", syscall(SYS_clone3, &args, 8));
    fflush(stdout);
    const long child = syscall(SYS_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
    if (child == 0) _exit(5);  // in memory of its own: the parent waited for this
    int status = 0;
    val("a CLONE_VFORK child without CLONE_VM: waited", waitpid((pid_t)child, &status, 0) == child);
    val("  its status", WEXITSTATUS(status));
    const pid_t pid = fork();
    if (pid == 0) {
        char* argv[] = {NULL};
        char* envp[] = {"EDGES_CHILD=1", NULL};
        execve(self, argv, envp);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    val("the child of an empty argv", WEXITSTATUS(status));
}

int main(int argc, char** argv) {
    if (getenv("EDGES_CHILD") != NULL) {
        printf("  argc %d, argv[0] \"%s\"\n", argc, argc > 0 ? argv[0] : "(none)");
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir(D, 0755);
    descriptors_and_names();
    seeking();
    path_descriptors();
    times();
    links();
    pipes_and_sendfile();
    processes("/bin/edges");  // where both initramfs put it (argv[0] is as the shell was told)
    printf("cleaned up: %d %d %d %d %d\n", unlink(D "/plain"), unlink(D "/in"), unlink(D "/app"),
           unlink(D "/out"), rmdir(D));
    return 0;
}
