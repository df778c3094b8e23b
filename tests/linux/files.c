// SPDX-License-Identifier: MIT
// The file layer as Linux has it, seen by an ordinary program: files created, written, read,
// appended, truncated and holed; the open flags and every path error; rename, hard and symbolic
// links, unlink of an open file, rmdir and mkdir; the working directory and relative paths; the
// *at calls relative to a directory fd; directory listings; dup, dup2, dup3 and fcntl; offsets
// shared by dup'd fds, forked children and exec'd programs; close-on-exec and the environment
// across execve; pipes between processes (end of file, EPIPE, a full pipe, atomic writes, FIONREAD,
// ppoll and pselect); /dev/null, /dev/zero, /dev/full, /dev/urandom; stdio on files; sendfile,
// statx, utimensat, chmod, chown, umask, fsync, statfs. Everything happens under /files-test,
// which it makes (the root must be writable) and removes at the end.
// Prints what it saw and nothing that differs between two correct kernels (no inode numbers, no
// times but those it set, listings sorted): the test compares its lines on keel with Linux's.
//   files                        the whole run
//   files exec-child FD FD FD    what the run re-executes itself as (reports on the fds it got)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define D "/files-test"

extern char** environ;

static char self[2 * PATH_MAX + 2] = "/bin/files";  // this program, for re-executing it
static char buf[300000];

// Bytes, escaped, with their count.
static void show(const char* what, const char* data, long n) {
    if (n < 0) {
        printf("%s: -1 %s\n", what, en());
        return;
    }
    printf("%s: %ld \"", what, n);
    for (long i = 0; i < n; ++i) {
        unsigned char c = (unsigned char)data[i];
        if (c == '\n')
            printf("\\n");
        else if (c == '\\' || c == '"')
            printf("\\%c", c);
        else if (c >= 32 && c < 127)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("\"\n");
}

static long read_all(int fd, char* into, size_t size) {
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, into + got, size - got);
        if (n < 0) return -1;
        if (n == 0) break;
        got += (size_t)n;
    }
    return (long)got;
}

static long write_all(int fd, const char* from, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, from + done, size - done);
        if (n < 0) return -1;
        done += (size_t)n;
    }
    return (long)done;
}

// A file's whole contents, printed.
static void contents(const char* what, const char* path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: open -1 %s\n", what, en());
        return;
    }
    show(what, buf, read_all(fd, buf, sizeof buf));
    close(fd);
}

static void put(const char* path, const char* text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write_all(fd, text, strlen(text)) < 0) printf("put %s: %s\n", path, en());
    if (fd >= 0) close(fd);
}

static const char* type_of(mode_t mode) {
    if (S_ISREG(mode)) return "regular";
    if (S_ISDIR(mode)) return "directory";
    if (S_ISLNK(mode)) return "symlink";
    if (S_ISCHR(mode)) return "char device";
    if (S_ISBLK(mode)) return "block device";
    if (S_ISFIFO(mode)) return "fifo";
    if (S_ISSOCK(mode)) return "socket";
    return "unknown";
}

static void stat_type(const char* what, int r, const struct stat* st) {
    if (r < 0)
        printf("%s: -1 %s\n", what, en());
    else
        printf("%s: %s\n", what, type_of(st->st_mode));
}

static long size_of(const char* path) {
    struct stat st;
    return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

static long nlink_of(const char* path) {
    struct stat st;
    return lstat(path, &st) < 0 ? -1 : (long)st.st_nlink;
}

static long fd_flags(int fd) {
    return fcntl(fd, F_GETFD);
}

static void octal(const char* what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, en());
    else
        printf("%s: 0%lo\n", what, r);
}

static long mode_of(const char* path) {
    struct stat st;
    return lstat(path, &st) < 0 ? -1 : (long)(st.st_mode & 07777);
}

static pid_t fork_flushed(void) {
    fflush(stdout);
    return fork();
}

static void waited(const char* what, pid_t pid) {
    int status;
    if (pid < 0) {
        printf("%s: fork -1 %s\n", what, en());
        return;
    }
    if (waitpid(pid, &status, 0) != pid)
        printf("%s: waitpid -1 %s\n", what, en());
    else if (WIFEXITED(status))
        printf("%s: exit status %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: status %#x\n", what, status);
}

static int all_zero(const char* p, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (p[i]) return 0;
    return 1;
}

// ---------------------------------------------------------------------------------------------

static void basics(void) {
    header("create, write, read, append, truncate");
    int fd = open(D "/a", O_CREAT | O_WRONLY | O_EXCL, 0644);
    ok("open a with O_CREAT|O_EXCL", fd);
    val("write 13 bytes", write(fd, "hello, world\n", 13));
    val("write 0 bytes", write(fd, "", 0));
    fails("read from a write-only fd", read(fd, buf, 1));
    close(fd);
    fd = open(D "/a", O_RDONLY);
    show("read it back", buf, read(fd, buf, sizeof buf));
    val("read at the end", read(fd, buf, sizeof buf));
    fails("write to a read-only fd", write(fd, "x", 1));
    close(fd);

    fd = open(D "/a", O_WRONLY | O_APPEND);
    val("O_APPEND: lseek to 0", lseek(fd, 0, SEEK_SET));
    val("O_APPEND: write 5 bytes", write(fd, "more\n", 5));
    val("O_APPEND: offset after the write", lseek(fd, 0, SEEK_CUR));
    close(fd);
    contents("the file after the append", D "/a");

    fd = open(D "/a", O_RDWR);
    struct stat st;
    ok("ftruncate to 5", ftruncate(fd, 5));
    fstat(fd, &st);
    val("  st_size", st.st_size);
    show("  read", buf, read(fd, buf, sizeof buf));
    ok("ftruncate to 10000", ftruncate(fd, 10000));
    fstat(fd, &st);
    val("  st_size", st.st_size);
    val("  offset unchanged", lseek(fd, 0, SEEK_CUR));
    long n = pread(fd, buf, sizeof buf, 0);
    val("  pread of all of it", n);
    show("  its first 5 bytes", buf, 5);
    yes("  the grown part reads as zeros", n == 10000 && all_zero(buf + 5, 9995));
    ok("ftruncate to 3", ftruncate(fd, 3));
    ok("ftruncate to 6", ftruncate(fd, 6));
    show("  read from 0", buf, pread(fd, buf, sizeof buf, 0));
    fails("ftruncate to -1", ftruncate(fd, -1));
    close(fd);
    fd = open(D "/a", O_RDONLY);
    fails("ftruncate of a read-only fd", ftruncate(fd, 0));
    close(fd);
    ok("truncate by path to 2", truncate(D "/a", 2));
    contents("  the file", D "/a");
    ok("truncate by path to 0", truncate(D "/a", 0));
    val("  st_size", size_of(D "/a"));
    fails("truncate of a missing file", truncate(D "/missing", 0));
    fails("truncate of a directory", truncate(D, 0));

    header("holes");
    fd = open(D "/sparse", O_CREAT | O_RDWR, 0644);
    val("lseek to 1 MiB", lseek(fd, 1 << 20, SEEK_SET));
    val("write 3 bytes there", write(fd, "end", 3));
    fstat(fd, &st);
    val("st_size", st.st_size);
    yes("st_blocks * 512 < st_size", st.st_blocks * 512 < st.st_size);
    yes("st_blocks > 0", st.st_blocks > 0);
    n = pread(fd, buf, 65536, 0);
    val("pread 64 KiB from 0", n);
    yes("  all zeros", n == 65536 && all_zero(buf, 65536));
    show("pread 5 bytes before the end", buf, pread(fd, buf, 5, (1 << 20) - 2));
    val("lseek to 2 MiB", lseek(fd, 2 << 20, SEEK_SET));
    fstat(fd, &st);
    val("  st_size unchanged", st.st_size);
    val("read there", read(fd, buf, 10));
    close(fd);
    ok("unlink sparse", unlink(D "/sparse"));

    header("open flags and path errors");
    put(D "/a", "abc");
    fails("O_CREAT|O_EXCL on an existing file", open(D "/a", O_CREAT | O_EXCL | O_WRONLY, 0644));
    fd = open(D "/a", O_WRONLY | O_TRUNC);
    ok("O_TRUNC", fd);
    close(fd);
    val("  st_size", size_of(D "/a"));
    put(D "/a", "abc");
    fd = open(D "/a", O_RDONLY | O_TRUNC);
    ok("O_RDONLY|O_TRUNC", fd);
    close(fd);
    val("  st_size", size_of(D "/a"));
    put(D "/a", "abc");
    fd = open(D "/a", O_CREAT | O_WRONLY, 0600);
    ok("O_CREAT on an existing file", fd);
    close(fd);
    val("  st_size kept", size_of(D "/a"));
    octal("  mode kept", mode_of(D "/a"));
    fails("O_DIRECTORY on a file", open(D "/a", O_RDONLY | O_DIRECTORY));
    fails("O_WRONLY on a directory", open(D, O_WRONLY));
    fails("O_RDWR on a directory", open(D, O_RDWR));
    fails("O_CREAT|O_WRONLY on a directory", open(D, O_CREAT | O_WRONLY, 0644));
    fails("O_CREAT|O_DIRECTORY on a new name",
          open(D "/newdir", O_CREAT | O_DIRECTORY | O_RDONLY, 0755));
    fd = open(D, O_RDONLY);
    ok("O_RDONLY on a directory", fd);
    fails("  read from it", read(fd, buf, 10));
    close(fd);

    char name[300];
    strcpy(name, D "/");
    memset(name + strlen(name), 'n', 255);
    name[strlen(D "/") + 255] = 0;
    fd = open(name, O_CREAT | O_WRONLY, 0644);
    ok("a name of 255 bytes", fd);
    close(fd);
    ok("  unlink it", unlink(name));
    strcat(name, "n");
    fails("a name of 256 bytes", open(name, O_CREAT | O_WRONLY, 0644));
    fails("  stat of it", stat(name, &st));
    fails("a missing file without O_CREAT", open(D "/missing", O_RDONLY));
    fails("a missing middle component", open(D "/nodir/x", O_CREAT | O_WRONLY, 0644));
    fails("a file in the middle", open(D "/a/x", O_RDONLY));
    fails("a file in the middle, O_CREAT", open(D "/a/x", O_CREAT | O_WRONLY, 0644));
    fails("a file with a trailing slash", open(D "/a/", O_RDONLY));
    fails("O_CREAT of a new name with a trailing slash", open(D "/new/", O_CREAT | O_WRONLY, 0644));
    fails("an empty path", open("", O_RDONLY));
    static char slashes[4200];
    memset(slashes, '/', 4095);
    slashes[4095] = 0;
    fd = open(slashes, O_RDONLY);
    stat_type("a path of 4095 slashes", fd < 0 ? -1 : fstat(fd, &st), &st);
    if (fd >= 0) close(fd);
    slashes[4095] = '/';
    slashes[4096] = 0;
    fails("a path of 4096 slashes", open(slashes, O_RDONLY));
    fd = open(D "/./a", O_RDONLY);
    ok("/files-test/./a", fd);
    close(fd);
    fd = open(D "/../files-test//a", O_RDONLY);
    ok("/files-test/../files-test//a", fd);
    close(fd);
    fd = open("/../../files-test/a", O_RDONLY);
    ok("/../../files-test/a", fd);
    close(fd);
}

static void renames(void) {
    header("rename");
    put(D "/old", "old contents\n");
    put(D "/new", "new contents\n");
    ok("rename new over old", rename(D "/new", D "/old"));
    contents("  old now holds", D "/old");
    struct stat st;
    fails("  stat new", stat(D "/new", &st));
    ok("rename old to itself", rename(D "/old", D "/old"));
    contents("  old still holds", D "/old");
    put(D "/x", "x\n");
    fails("renameat2 RENAME_NOREPLACE over old",
          renameat2(AT_FDCWD, D "/x", AT_FDCWD, D "/old", RENAME_NOREPLACE));
    contents("  x still holds", D "/x");
    contents("  old still holds", D "/old");
    ok("renameat2 RENAME_NOREPLACE to a new name",
       renameat2(AT_FDCWD, D "/x", AT_FDCWD, D "/y", RENAME_NOREPLACE));
    contents("  y holds", D "/y");
    fails("renameat2 RENAME_NOREPLACE|RENAME_EXCHANGE",
          renameat2(AT_FDCWD, D "/y", AT_FDCWD, D "/old", RENAME_NOREPLACE | RENAME_EXCHANGE));
    mkdir(D "/r1", 0755);
    mkdir(D "/r1/sub", 0755);
    fails("rename a directory into its own subdirectory", rename(D "/r1", D "/r1/sub/in"));
    fails("rename a directory over its own subdirectory", rename(D "/r1", D "/r1/sub"));
    fails("rename a missing file", rename(D "/missing", D "/z"));
    fails("rename into a missing directory", rename(D "/y", D "/nodir/y"));
    fails("rename a file over a directory", rename(D "/y", D "/r1"));
    fails("rename a directory over a file", rename(D "/r1", D "/y"));
    mkdir(D "/r2", 0755);
    ok("rename a directory over an empty directory", rename(D "/r2", D "/r1/sub"));
    mkdir(D "/r3", 0755);
    fails("rename a directory over a non-empty directory", rename(D "/r3", D "/r1"));
    ok("rename a directory to itself", rename(D "/r1", D "/r1"));
    ok("rename a non-empty directory", rename(D "/r1", D "/r4"));
    stat_type("  its subdirectory under the new name", stat(D "/r4/sub", &st), &st);
    fails("  the old name", stat(D "/r1", &st));
    fails("rename . ", rename(D "/r4/.", D "/r5"));
    fails("rename / ", rename("/", D "/r5"));
}

static void links(void) {
    header("hard links");
    put(D "/target", "linked\n");
    val("st_nlink", nlink_of(D "/target"));
    ok("link target to l2", link(D "/target", D "/l2"));
    val("  st_nlink of target", nlink_of(D "/target"));
    val("  st_nlink of l2", nlink_of(D "/l2"));
    struct stat a, b;
    stat(D "/target", &a);
    stat(D "/l2", &b);
    yes("  the same inode", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    int fd = open(D "/l2", O_WRONLY | O_APPEND);
    val("  append through l2", write(fd, "more\n", 5));
    close(fd);
    contents("  target holds", D "/target");
    ok("unlink l2", unlink(D "/l2"));
    val("  st_nlink of target", nlink_of(D "/target"));
    fails("link to an existing name", link(D "/target", D "/target"));
    fails("link of a directory", link(D "/r4", D "/r4-link"));
    fails("link of a missing file", link(D "/missing", D "/l3"));
    fails("link into a missing directory", link(D "/target", D "/nodir/l3"));
    put(D "/target", "linked\n");

    header("symbolic links");
    ok("symlink s -> target", symlink("target", D "/s"));
    memset(buf, '#', 64);
    long n = readlink(D "/s", buf, 64);
    show("readlink s", buf, n);
    yes("  no NUL after it", n >= 0 && buf[n] == '#');
    show("readlink s into 3 bytes", buf, readlink(D "/s", buf, 3));
    struct stat st;
    int r = lstat(D "/s", &st);
    stat_type("lstat s", r, &st);
    val("  st_size", st.st_size);
    octal("  mode", st.st_mode & 07777);
    r = stat(D "/s", &st);
    stat_type("stat s", r, &st);
    val("  st_size", st.st_size);
    contents("open s and read", D "/s");
    r = fstatat(AT_FDCWD, D "/s", &st, AT_SYMLINK_NOFOLLOW);
    stat_type("fstatat s AT_SYMLINK_NOFOLLOW", r, &st);
    r = fstatat(AT_FDCWD, D "/s", &st, 0);
    stat_type("fstatat s", r, &st);
    fails("symlink over an existing name", symlink("target", D "/s"));
    fails("symlink with an empty target", symlink("", D "/empty-link"));
    fails("readlink of a regular file", readlink(D "/target", buf, 64));
    fails("readlink of a missing name", readlink(D "/missing", buf, 64));
    ok("symlink abs -> /files-test/target", symlink(D "/target", D "/abs"));
    contents("  open abs and read", D "/abs");
    mkdir(D "/ldir", 0755);
    ok("symlink ldir/up -> ../target", symlink("../target", D "/ldir/up"));
    contents("  open ldir/up and read", D "/ldir/up");
    ok("symlink dlink -> ldir", symlink("ldir", D "/dlink"));
    contents("  open dlink/up and read", D "/dlink/up");
    r = stat(D "/dlink", &st);
    stat_type("  stat dlink", r, &st);

    ok("symlink dangling -> nowhere", symlink("nowhere", D "/dangling"));
    fails("  stat", stat(D "/dangling", &st));
    r = lstat(D "/dangling", &st);
    stat_type("  lstat", r, &st);
    fails("  open", open(D "/dangling", O_RDONLY));
    fails("  open O_CREAT|O_EXCL", open(D "/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
    fd = open(D "/dangling", O_CREAT | O_WRONLY, 0644);
    ok("  open O_CREAT", fd);
    if (fd >= 0) close(fd);
    r = lstat(D "/nowhere", &st);
    stat_type("  lstat nowhere now", r, &st);
    r = stat(D "/dangling", &st);
    stat_type("  stat dangling now", r, &st);

    symlink("loop-b", D "/loop-a");
    symlink("loop-a", D "/loop-b");
    fails("open of a symlink loop", open(D "/loop-a", O_RDONLY));
    fails("stat of a symlink loop", stat(D "/loop-a", &st));
    r = lstat(D "/loop-a", &st);
    stat_type("lstat of a symlink loop", r, &st);
    symlink("self", D "/self");
    fails("open of a symlink to itself", open(D "/self", O_RDONLY));
    fails("open of a path through it", open(D "/self/x", O_RDONLY));
    fails("O_NOFOLLOW on a symlink", open(D "/s", O_RDONLY | O_NOFOLLOW));
    fd = open(D "/target", O_RDONLY | O_NOFOLLOW);
    ok("O_NOFOLLOW on a regular file", fd);
    close(fd);
    fd = open(D "/dlink/up", O_RDONLY | O_NOFOLLOW);
    fails("O_NOFOLLOW, last component a symlink", fd);
    symlink(".", D "/here");
    fd = open(D "/here/target", O_RDONLY | O_NOFOLLOW);
    ok("O_NOFOLLOW, a symlink in the middle", fd);
    if (fd >= 0) close(fd);

    // A chain: chain0 -> target, chainK -> chain(K-1).
    char from[64], to[64];
    symlink("target", D "/chain0");
    for (int i = 1; i <= 40; ++i) {
        snprintf(from, sizeof from, "chain%d", i - 1);
        snprintf(to, sizeof to, D "/chain%d", i);
        symlink(from, to);
    }
    fd = open(D "/chain39", O_RDONLY);
    ok("open through a chain of 40 symlinks", fd);
    if (fd >= 0) close(fd);
    fails("open through a chain of 41 symlinks", open(D "/chain40", O_RDONLY));
    for (int i = 0; i <= 40; ++i) {
        snprintf(to, sizeof to, D "/chain%d", i);
        unlink(to);
    }
    ok("unlink s", unlink(D "/s"));
    r = stat(D "/target", &st);
    stat_type("  target still there", r, &st);
}

static void unlinks(void) {
    header("unlink of an open file");
    int fd = open(D "/u", O_CREAT | O_RDWR, 0644);
    val("write 4 bytes", write(fd, "data", 4));
    ok("unlink it", unlink(D "/u"));
    struct stat st;
    fstat(fd, &st);
    val("  fstat st_nlink", st.st_nlink);
    fails("  stat of the name", stat(D "/u", &st));
    lseek(fd, 0, SEEK_SET);
    show("  read through the fd", buf, read(fd, buf, sizeof buf));
    val("  write 5 more", write(fd, " more", 5));
    show("  pread all", buf, pread(fd, buf, sizeof buf, 0));
    int fd2 = open(D "/u", O_CREAT | O_RDWR, 0644);
    ok("  a new file of that name", fd2);
    fstat(fd2, &st);
    val("    its st_size", st.st_size);
    fstat(fd, &st);
    val("    the old one's st_size", st.st_size);
    close(fd);
    close(fd2);
    unlink(D "/u");

    header("unlink, rmdir, mkdir");
    fails("unlink of a directory", unlink(D "/r4"));
    fails("unlink of a missing name", unlink(D "/missing"));
    mkdir(D "/ne", 0755);
    put(D "/ne/f", "f");
    fails("rmdir of a non-empty directory", rmdir(D "/ne"));
    fails("rmdir of a file", rmdir(D "/ne/f"));
    fails("rmdir of a missing name", rmdir(D "/missing"));
    fails("rmdir of .", rmdir(D "/ne/."));
    fails("rmdir of ..", rmdir(D "/ne/.."));
    fails("rmdir of /", rmdir("/"));
    ok("unlink ne/f", unlink(D "/ne/f"));
    ok("rmdir ne", rmdir(D "/ne"));
    fails("  stat of it", stat(D "/ne", &st));
    fails("mkdir of an existing directory", mkdir(D "/r4", 0755));
    fails("mkdir of an existing file", mkdir(D "/target", 0755));
    fails("mkdir of an existing symlink", mkdir(D "/dangling", 0755));
    fails("mkdir with a missing parent", mkdir(D "/nodir/d", 0755));
    fails("mkdir under a file", mkdir(D "/target/d", 0755));
    fails("mkdir of .", mkdir(D "/.", 0755));
    ok("mkdir with a trailing slash", mkdir(D "/slash/", 0755));
    ok("rmdir with a trailing slash", rmdir(D "/slash/"));
    ok("mkdir n", mkdir(D "/n", 0755));
    val("  st_nlink", nlink_of(D "/n"));
    char path[128] = D "/n";
    const char* parts[] = {"/p", "/q", "/r", "/s", "/t"};
    for (size_t i = 0; i < 5; ++i) {
        strcat(path, parts[i]);
        char what[160];
        snprintf(what, sizeof what, "mkdir %s", path + strlen(D "/"));
        ok(what, mkdir(path, 0755));
    }
    int r = stat(path, &st);
    stat_type("  stat of the deepest", r, &st);
    val("  st_nlink of n", nlink_of(D "/n"));
    mkdir(D "/n/p2", 0755);
    val("  st_nlink of n with a second subdirectory", nlink_of(D "/n"));
    rmdir(D "/n/p2");
    val("  st_nlink of n after rmdir of it", nlink_of(D "/n"));
    put(D "/n/f", "");
    fails("unlinkat AT_REMOVEDIR of a file", unlinkat(AT_FDCWD, D "/n/f", AT_REMOVEDIR));
    fails("unlinkat 0 of a directory", unlinkat(AT_FDCWD, D "/n/p", 0));
    fails("unlinkat with a bad flag", unlinkat(AT_FDCWD, D "/n/f", 1));
    ok("unlinkat AT_REMOVEDIR of an empty directory",
       unlinkat(AT_FDCWD, D "/n/p/q/r/s/t", AT_REMOVEDIR));
}

static void show_cwd(const char* what) {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd))
        printf("%s: %s\n", what, cwd);
    else
        printf("%s: -1 %s\n", what, en());
}

static void cwd(void) {
    header("working directory");
    ok("chdir /", chdir("/"));
    show_cwd("  getcwd");
    ok("chdir /files-test", chdir(D));
    show_cwd("  getcwd");
    ok("mkdir sub (relative)", mkdir("sub", 0755));
    ok("chdir sub", chdir("sub"));
    show_cwd("  getcwd");
    int fd = open("rel", O_CREAT | O_WRONLY, 0644);
    ok("  open rel O_CREAT", fd);
    val("  write 4 bytes", write(fd, "rel\n", 4));
    close(fd);
    val("  st_size of /files-test/sub/rel", size_of(D "/sub/rel"));
    ok("chdir ..", chdir(".."));
    show_cwd("  getcwd");
    contents("  read sub/rel", "sub/rel");
    ok("chdir sub/../sub/./", chdir("sub/../sub/./"));
    show_cwd("  getcwd");
    ok("chdir /..", chdir("/.."));
    show_cwd("  getcwd");
    int dir = open(D "/sub", O_RDONLY | O_DIRECTORY);
    ok("fchdir to /files-test/sub", fchdir(dir));
    show_cwd("  getcwd");
    contents("  read rel", "rel");
    close(dir);
    fd = open(D "/target", O_RDONLY);
    fails("fchdir to a file", fchdir(fd));
    close(fd);
    fails("fchdir to a closed fd", fchdir(fd));
    fails("chdir to a file", chdir(D "/target"));
    fails("chdir to a missing name", chdir(D "/missing"));
    show_cwd("  getcwd still");
    char small[32];
    printf("getcwd into 16 bytes: %s\n", getcwd(small, 16) ? small : en());
    printf("getcwd into 15 bytes: %s\n", getcwd(small, 15) ? small : en());
    printf("getcwd into 1 byte: %s\n", getcwd(small, 1) ? small : en());
    mkdir(D "/gone", 0755);
    ok("chdir /files-test/gone", chdir(D "/gone"));
    ok("rmdir it while it is the working directory", rmdir(D "/gone"));
    show_cwd("  getcwd");
    fails("  open O_CREAT there", open("x", O_CREAT | O_WRONLY, 0644));
    fails("  mkdir there", mkdir("x", 0755));
    ok("  chdir ..", chdir(".."));
    show_cwd("  getcwd");
    ok("chdir /", chdir("/"));
}

static void at_calls(void) {
    header("dirfd calls");
    mkdir(D "/at", 0755);
    int dfd = open(D "/at", O_RDONLY | O_DIRECTORY);
    ok("open /files-test/at O_DIRECTORY", dfd);
    int fd = openat(dfd, "f", O_CREAT | O_WRONLY, 0644);
    ok("openat f O_CREAT", fd);
    val("  write 3 bytes", write(fd, "at\n", 3));
    close(fd);
    struct stat st;
    int r = fstatat(dfd, "f", &st, 0);
    val("fstatat f: st_size", r < 0 ? r : st.st_size);
    ok("mkdirat sub", mkdirat(dfd, "sub", 0755));
    r = fstatat(dfd, "sub", &st, 0);
    stat_type("  fstatat sub", r, &st);
    ok("renameat f to sub/g", renameat(dfd, "f", dfd, "sub/g"));
    fails("  fstatat f", fstatat(dfd, "f", &st, 0));
    r = fstatat(dfd, "sub/g", &st, 0);
    val("  fstatat sub/g: st_size", r < 0 ? r : st.st_size);
    ok("linkat sub/g to h", linkat(dfd, "sub/g", dfd, "h", 0));
    r = fstatat(dfd, "h", &st, 0);
    val("  st_nlink of h", r < 0 ? r : (long)st.st_nlink);
    ok("symlinkat sl -> sub/g", symlinkat("sub/g", dfd, "sl"));
    show("  readlinkat sl", buf, readlinkat(dfd, "sl", buf, sizeof buf));
    fd = openat(dfd, "sl", O_RDONLY);
    show("  openat sl and read", buf, read(fd, buf, sizeof buf));
    close(fd);
    r = fstatat(dfd, "sl", &st, AT_SYMLINK_NOFOLLOW);
    stat_type("  fstatat sl AT_SYMLINK_NOFOLLOW", r, &st);
    r = fstatat(dfd, "sl", &st, 0);
    stat_type("  fstatat sl", r, &st);
    fails("fstatat with a bad flag", fstatat(dfd, "sl", &st, 0x40000000));
    ok("unlinkat h", unlinkat(dfd, "h", 0));
    fails("unlinkat sub AT_REMOVEDIR", unlinkat(dfd, "sub", AT_REMOVEDIR));
    ok("chdir /files-test/at", chdir(D "/at"));
    fd = openat(AT_FDCWD, "sub/g", O_RDONLY);
    ok("  openat AT_FDCWD sub/g", fd);
    close(fd);
    r = fstatat(AT_FDCWD, "sub", &st, 0);
    stat_type("  fstatat AT_FDCWD sub", r, &st);
    chdir("/");
    fd = openat(dfd, D "/target", O_RDONLY);
    ok("openat with an absolute path", fd);
    close(fd);
    fd = openat(999, D "/target", O_RDONLY);
    ok("openat of a closed fd with an absolute path", fd);
    if (fd >= 0) close(fd);

    int file = open(D "/target", O_RDONLY);
    fails("openat of a file fd", openat(file, "x", O_RDONLY));
    fails("fstatat of a file fd", fstatat(file, "x", &st, 0));
    fails("mkdirat of a file fd", mkdirat(file, "x", 0755));
    fails("unlinkat of a file fd", unlinkat(file, "x", 0));
    r = fstatat(file, "", &st, AT_EMPTY_PATH);
    stat_type("fstatat of a file fd, \"\", AT_EMPTY_PATH", r, &st);
    fails("fstatat of a file fd, \"\", no flag", fstatat(file, "", &st, 0));
    close(file);
    fails("openat of a closed fd", openat(999, "x", O_RDONLY));
    fails("fstatat of a closed fd", fstatat(999, "x", &st, 0));
    fails("mkdirat of a closed fd", mkdirat(999, "x", 0755));
    fails("unlinkat of a closed fd", unlinkat(999, "x", 0));
    fails("renameat of a closed fd", renameat(999, "x", dfd, "y"));
    fails("linkat of a closed fd", linkat(dfd, "sub/g", 999, "y", 0));
    fails("symlinkat of a closed fd", symlinkat("x", 999, "y"));
    fails("readlinkat of a closed fd", readlinkat(999, "x", buf, 10));
    fails("openat of fd -1", openat(-1, "x", O_RDONLY));

    ok("faccessat sub/g F_OK", faccessat(dfd, "sub/g", F_OK, 0));
    ok("faccessat sub/g R_OK|W_OK", faccessat(dfd, "sub/g", R_OK | W_OK, 0));
    fails("faccessat sub/g X_OK (mode 0644, as root)", faccessat(dfd, "sub/g", X_OK, 0));
    ok("faccessat sub X_OK (a directory)", faccessat(dfd, "sub", X_OK, 0));
    fails("faccessat missing F_OK", faccessat(dfd, "missing", F_OK, 0));
    fails("faccessat with a bad mode", faccessat(dfd, "sub/g", 8, 0));
    ok("faccessat2 sub/g R_OK|W_OK AT_EACCESS",
       syscall(SYS_faccessat2, dfd, "sub/g", R_OK | W_OK, AT_EACCESS));
    symlinkat("nowhere", dfd, "dang");
    fails("faccessat2 of a dangling link", syscall(SYS_faccessat2, dfd, "dang", F_OK, 0));
    ok("faccessat2 of a dangling link AT_SYMLINK_NOFOLLOW",
       syscall(SYS_faccessat2, dfd, "dang", F_OK, AT_SYMLINK_NOFOLLOW));
    fails("faccessat2 missing", syscall(SYS_faccessat2, dfd, "missing", F_OK, 0));
    fails("faccessat2 with a bad flag", syscall(SYS_faccessat2, dfd, "sub/g", F_OK, 0x1));
    ok("access /files-test/at/sub/g R_OK", access(D "/at/sub/g", R_OK));
    close(dfd);
}

static int by_name(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

static const char* dtype(unsigned char t) {
    switch (t) {
    case DT_REG: return "reg";
    case DT_DIR: return "dir";
    case DT_LNK: return "lnk";
    case DT_CHR: return "chr";
    case DT_FIFO: return "fifo";
    case DT_UNKNOWN: return "unknown";
    default: return "other";
    }
}

// A directory's entries, sorted, as "name:type ...".
static void listing(const char* what, const char* path) {
    DIR* d = opendir(path);
    if (!d) {
        printf("%s: opendir -1 %s\n", what, en());
        return;
    }
    char* names[64];
    int count = 0;
    struct dirent* e;
    while ((e = readdir(d)) != NULL && count < 64) {
        names[count] = malloc(strlen(e->d_name) + 16);
        sprintf(names[count], "%s:%s", e->d_name, dtype(e->d_type));
        ++count;
    }
    qsort(names, (size_t)count, sizeof names[0], by_name);
    printf("%s: %d entries:", what, count);
    for (int i = 0; i < count; ++i) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    rewinddir(d);
    int again = 0;
    while (readdir(d) != NULL) ++again;
    printf("  after rewinddir: %d entries\n", again);
    closedir(d);
}

static void directories(void) {
    header("directory listings");
    mkdir(D "/list", 0755);
    char path[64];
    for (int i = 9; i >= 0; --i) {
        snprintf(path, sizeof path, D "/list/f%d", i);
        put(path, "x");
    }
    mkdir(D "/list/sub", 0755);
    symlink("f0", D "/list/link");
    listing("list", D "/list");
    listing("list/sub (empty)", D "/list/sub");

    int fd = open(D "/list", O_RDONLY | O_DIRECTORY);
    long total = 0, calls = 0, n;
    char names_seen = 0;
    while ((n = syscall(SYS_getdents64, fd, buf, 4096)) > 0) {
        ++calls;
        for (long at = 0; at < n;) {
            struct dirent64* e = (struct dirent64*)(buf + at);
            names_seen |= strcmp(e->d_name, "f5") == 0;
            ++total;
            at += e->d_reclen;
        }
    }
    val("getdents64 into 4096 bytes: entries", total);
    yes("  f5 among them", names_seen);
    val("  then at the end", n);
    lseek(fd, 0, SEEK_SET);
    fails("getdents64 into 1 byte", syscall(SYS_getdents64, fd, buf, 1));
    n = syscall(SYS_getdents64, fd, buf, 32);
    val("getdents64 into 32 bytes (room for one entry)", n > 0 ? 1 : n);
    close(fd);
    fd = open(D "/target", O_RDONLY);
    fails("getdents64 of a file", syscall(SYS_getdents64, fd, buf, 4096));
    close(fd);
    fails("getdents64 of a closed fd", syscall(SYS_getdents64, fd, buf, 4096));
    for (int i = 0; i < 10; i += 2) {
        snprintf(path, sizeof path, D "/list/f%d", i);
        unlink(path);
    }
    listing("list after unlinking f0 f2 f4 f6 f8", D "/list");
}

static void fds(void) {
    header("dup, dup2, dup3, fcntl");
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("RLIMIT_NOFILE soft limit: %ld\n", (long)rl.rlim_cur);
    int fd = open(D "/target", O_RDWR);
    int lowest = 0;
    while (fcntl(lowest, F_GETFD) >= 0) ++lowest;
    int d = dup(fd);
    yes("dup returns the lowest free fd", d == lowest);
    close(d);
    int d10 = fcntl(fd, F_DUPFD, 10);
    val("F_DUPFD 10", d10);
    int d11 = fcntl(fd, F_DUPFD, 10);
    val("F_DUPFD 10 again", d11);
    val("  F_GETFD", fd_flags(d11));
    int d20 = fcntl(fd, F_DUPFD_CLOEXEC, 20);
    val("F_DUPFD_CLOEXEC 20", d20);
    val("  F_GETFD", fd_flags(d20));
    val("F_GETFD of the original", fd_flags(fd));
    ok("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
    val("  F_GETFD", fd_flags(fd));
    val("  F_GETFD of its dup", fd_flags(d10));
    ok("F_SETFD 0", fcntl(fd, F_SETFD, 0));
    val("  F_GETFD", fd_flags(fd));
    octal("F_GETFL of an O_RDWR file", fcntl(fd, F_GETFL));
    ok("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
    octal("  F_GETFL", fcntl(fd, F_GETFL));
    octal("  F_GETFL of its dup", fcntl(d10, F_GETFL));
    ok("F_SETFL 0", fcntl(fd, F_SETFL, 0));
    octal("  F_GETFL", fcntl(fd, F_GETFL));
    ok("F_SETFL O_WRONLY|O_APPEND", fcntl(fd, F_SETFL, O_WRONLY | O_APPEND));
    octal("  F_GETFL", fcntl(fd, F_GETFL));
    fcntl(fd, F_SETFL, 0);
    int ro = open(D "/target", O_RDONLY);
    octal("F_GETFL of an O_RDONLY file", fcntl(ro, F_GETFL));
    close(ro);
    int wo = open(D "/target", O_WRONLY | O_APPEND | O_CLOEXEC);
    octal("F_GETFL of an O_WRONLY|O_APPEND|O_CLOEXEC file", fcntl(wo, F_GETFL));
    val("  F_GETFD", fd_flags(wo));
    close(wo);
    fails("F_GETFL of a closed fd", fcntl(999, F_GETFL));
    fails("an unknown fcntl command", fcntl(fd, 9999));

    val("dup3 to 30 O_CLOEXEC", dup3(fd, 30, O_CLOEXEC));
    val("  F_GETFD", fd_flags(30));
    val("dup2 to 30 (open, close-on-exec)", dup2(fd, 30));
    val("  F_GETFD", fd_flags(30));
    fails("dup3 to the same fd", dup3(fd, fd, 0));
    fails("dup3 with a bad flag", dup3(fd, 31, O_NONBLOCK));
    yes("dup2 to the same fd returns it", dup2(fd, fd) == fd);
    fails("dup2 of a closed fd", dup2(40, 41));
    fails("dup2 of a closed fd to itself", dup2(40, 40));
    fails("dup of a closed fd", dup(40));
    fails("close of a closed fd", close(40));
    fails("close of -1", close(-1));
    ok("close 30", close(30));
    fails("close 30 again", close(30));
    fails("F_GETFD of fd 1024 (past the limit)", fcntl(1024, F_GETFD));
    fails("dup2 to 1024", dup2(fd, 1024));
    fails("dup3 to 1024", dup3(fd, 1024, 0));
    fails("F_DUPFD 1024", fcntl(fd, F_DUPFD, 1024));
    val("F_DUPFD 1023", fcntl(fd, F_DUPFD, 1023));
    fails("F_DUPFD 1023 again (1023 taken)", fcntl(fd, F_DUPFD, 1023));
    val("dup2 to 1023 (taken)", dup2(fd, 1023));
    close(1023);
    close(d10);
    close(d11);
    close(d20);
    close(fd);
}

static void offsets(void) {
    header("offsets");
    put(D "/off", "0123456789");
    int fd = open(D "/off", O_RDWR);
    int d = dup(fd);
    show("read 3", buf, read(fd, buf, 3));
    val("  the dup's offset", lseek(d, 0, SEEK_CUR));
    val("lseek the dup to 5", lseek(d, 5, SEEK_SET));
    show("  read 2 from the original", buf, read(fd, buf, 2));
    int other = open(D "/off", O_RDONLY);
    val("a second open's offset", lseek(other, 0, SEEK_CUR));
    close(other);
    pid_t pid = fork_flushed();
    if (pid == 0) {
        show("  child: read 2", buf, read(fd, buf, 2));
        val("  child: write 2", write(fd, "XY", 2));
        fflush(stdout);
        _exit(0);
    }
    waited("  the child", pid);
    val("the parent's offset after the child", lseek(fd, 0, SEEK_CUR));
    contents("  the file", D "/off");
    show("pread 4 at 0", buf, pread(fd, buf, 4, 0));
    val("  offset", lseek(fd, 0, SEEK_CUR));
    val("pwrite 2 at 2", pwrite(fd, "ab", 2, 2));
    val("  offset", lseek(fd, 0, SEEK_CUR));
    contents("  the file", D "/off");
    val("pread past the end", pread(fd, buf, 4, 100));
    fails("pread at -1", pread(fd, buf, 4, -1));
    fails("pwrite at -1", pwrite(fd, "x", 1, -1));
    int ap = open(D "/off", O_WRONLY | O_APPEND);
    val("pwrite 1 at 0 on an O_APPEND fd", pwrite(ap, "Z", 1, 0));
    close(ap);
    contents("  the file", D "/off");

    int v = open(D "/vec", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct iovec out[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
    val("writev of 3 buffers", writev(v, out, 3));
    lseek(v, 0, SEEK_SET);
    char p1[4], p2[20];
    struct iovec in[2] = {{p1, 4}, {p2, 20}};
    long n = readv(v, in, 2);
    val("readv into 4 and 20 bytes", n);
    show("  first", p1, 4);
    show("  second", p2, n - 4);
    val("readv of 0 buffers", readv(v, in, 0));
    fails("readv of -1 buffers", syscall(SYS_readv, v, in, -1));
    static struct iovec many[1025];
    for (int i = 0; i < 1025; ++i) many[i] = out[0];
    fails("writev of 1025 buffers", writev(v, many, 1025));
    val("preadv at 4", preadv(v, in, 2, 4));
    show("  first", p1, 4);
    close(v);

    val("st_size", size_of(D "/off"));
    val("lseek SEEK_SET 5", lseek(fd, 5, SEEK_SET));
    val("lseek SEEK_CUR -2", lseek(fd, -2, SEEK_CUR));
    val("lseek SEEK_END 0", lseek(fd, 0, SEEK_END));
    val("lseek SEEK_END -3", lseek(fd, -3, SEEK_END));
    val("lseek SEEK_END 100", lseek(fd, 100, SEEK_END));
    fails("lseek SEEK_SET -1", lseek(fd, -1, SEEK_SET));
    fails("lseek SEEK_CUR -1000", lseek(fd, -1000, SEEK_CUR));
    fails("lseek whence 7", lseek(fd, 0, 7));
    val("  offset unchanged", lseek(fd, 0, SEEK_CUR));
    fails("lseek of a closed fd", lseek(999, 0, SEEK_SET));
    int dir = open(D, O_RDONLY);
    val("lseek of a directory to 0", lseek(dir, 0, SEEK_SET));
    close(dir);
    int p[2];
    pipe(p);
    fails("lseek of a pipe", lseek(p[0], 0, SEEK_CUR));
    fails("pread of a pipe", pread(p[0], buf, 1, 0));
    close(p[0]);
    close(p[1]);
    close(d);
    close(fd);
}

static void exec_child(int argc, char** argv) {
    printf("  child: argc %d, argv[1] %s\n", argc, argv[1]);
    const char* names[] = {"the O_CLOEXEC file", "the plain file", "the pipe2 O_CLOEXEC end"};
    for (int i = 0; i < 3 && i + 2 < argc; ++i) {
        int fd = atoi(argv[i + 2]);
        long r = fcntl(fd, F_GETFD);
        if (r < 0)
            printf("  child: %s: %s\n", names[i], en());
        else
            printf("  child: %s: open, F_GETFD %ld\n", names[i], r);
    }
    int plain = atoi(argv[3]);
    val("  child: the plain file's offset", lseek(plain, 0, SEEK_CUR));
    show("  child: read 4 from it", buf, read(plain, buf, 4));
    const char* set = getenv("KEEL_FILES_SET");
    printf("  child: KEEL_FILES_SET %s%s\n", set ? "= " : "absent", set ? set : "");
    printf("  child: KEEL_FILES_UNSET %s\n", getenv("KEEL_FILES_UNSET") ? "present" : "absent");
    fflush(stdout);
}

static void exec(void) {
    header("close-on-exec and the environment across execve");
    int a = open(D "/target", O_RDONLY | O_CLOEXEC);
    int b = open(D "/off", O_RDONLY);
    int p[2];
    ok("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
    setenv("KEEL_FILES_SET", "set by the parent", 1);
    unsetenv("KEEL_FILES_UNSET");
    char fa[16], fb[16], fp[16];
    snprintf(fa, sizeof fa, "%d", a);
    snprintf(fb, sizeof fb, "%d", b);
    snprintf(fp, sizeof fp, "%d", p[0]);
    char* args[] = {"files", "exec-child", fa, fb, fp, NULL};
    pid_t pid = fork_flushed();
    if (pid == 0) {
        execve(self, args, environ);
        printf("  execve %s: %s\n", self, en());
        fflush(stdout);
        _exit(127);
    }
    waited("the exec'd child", pid);
    val("the plain file's offset in the parent", lseek(b, 0, SEEK_CUR));
    val("the O_CLOEXEC file in the parent: F_GETFD", fd_flags(a));
    close(a);
    close(b);
    close(p[0]);
    close(p[1]);
    char* none[] = {"x", NULL};
    fails("execve of a missing file", execve(D "/missing", none, environ));
    fails("execve of a directory", execve(D, none, environ));
    fails("execve of a 0644 file", execve(D "/target", none, environ));
    chmod(D "/off", 0755);
    fails("execve of a 0755 file that is no program", execve(D "/off", none, environ));
    chmod(D "/off", 0644);
}

static const char* events(short e) {
    static char s[128];
    s[0] = 0;
    if (e & POLLIN) strcat(s, " POLLIN");
    if (e & POLLOUT) strcat(s, " POLLOUT");
    if (e & POLLHUP) strcat(s, " POLLHUP");
    if (e & POLLERR) strcat(s, " POLLERR");
    if (e & POLLNVAL) strcat(s, " POLLNVAL");
    if (e & ~(POLLIN | POLLOUT | POLLHUP | POLLERR | POLLNVAL)) sprintf(s + strlen(s), " %#x", e);
    if (!s[0]) strcpy(s, " none");
    return s + 1;
}

static void poll_one(const char* what, int fd, short want, const struct timespec* timeout) {
    struct pollfd pfd = {fd, want, 0};
    int r = ppoll(&pfd, 1, timeout, NULL);
    if (r < 0)
        printf("%s: -1 %s\n", what, en());
    else
        printf("%s: %d, revents %s\n", what, r, events(pfd.revents));
}

static void pipes(void) {
    header("pipes");
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    ok("pipe", pipe(p));
    struct stat st;
    int r = fstat(p[0], &st);
    stat_type("  fstat of the read end", r, &st);
    octal("  F_GETFL of the read end", fcntl(p[0], F_GETFL));
    octal("  F_GETFL of the write end", fcntl(p[1], F_GETFL));
    val("  F_GETFD", fd_flags(p[0]));
    val("  F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    fails("  write to the read end", write(p[0], "x", 1));
    fails("  read from the write end", read(p[1], buf, 1));

    // The parent writes more than a pipe holds; the child reads to the end.
    pid_t pid = fork_flushed();
    if (pid == 0) {
        close(p[1]);
        long total = 0, right = 1;
        ssize_t n;
        char in[5000];
        while ((n = read(p[0], in, sizeof in)) > 0) {
            for (ssize_t i = 0; i < n; ++i) right &= in[i] == (char)((total + i) % 251);
            total += n;
        }
        printf("  child: read %ld bytes until end of file (last read %zd), as written: %s\n", total,
               n, right ? "yes" : "no");
        fflush(stdout);
        _exit(0);
    }
    close(p[0]);
    for (int i = 0; i < 100000; ++i) buf[i] = (char)(i % 251);
    val("the parent writes to a reading child", write_all(p[1], buf, 100000));
    close(p[1]);
    waited("  the child", pid);

    pipe(p);
    pid = fork_flushed();
    if (pid == 0) {
        close(p[0]);
        write_all(p[1], "hello from the child\n", 21);
        _exit(0);
    }
    close(p[1]);
    show("the parent reads what a child wrote, until end of file", buf,
         read_all(p[0], buf, sizeof buf));
    close(p[0]);
    waited("  the child", pid);

    pipe2(p, O_NONBLOCK);
    int w2 = dup(p[1]);
    close(p[1]);
    fails("read of an empty pipe with one of two writers closed", read(p[0], buf, 1));
    close(w2);
    val("read once the last writer closed", read(p[0], buf, 1));
    close(p[0]);

    pipe(p);
    close(p[0]);
    fails("write with no reader (SIGPIPE ignored)", write(p[1], "x", 1));
    close(p[1]);

    ok("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK));
    octal("  F_GETFL of the read end", fcntl(p[0], F_GETFL));
    fails("  read of the empty pipe", read(p[0], buf, 1));
    long total = 0;
    ssize_t n;
    memset(buf, 'f', 4096);
    while ((n = write(p[1], buf, 4096)) > 0) total += n;
    printf("  4096-byte writes until full: %ld bytes, then %s\n", total, n < 0 ? en() : "0");
    int queued = -1;
    val("  FIONREAD", ioctl(p[0], FIONREAD, &queued) < 0 ? -1 : queued);
    fails("  write of 1 more byte", write(p[1], "x", 1));
    val("  drain it", read_all(p[0], buf, 65536));
    fails("  read of the empty pipe", read(p[0], buf, 1));
    memset(buf, 'g', 100000);
    val("  write of 100000 bytes into the empty pipe", write(p[1], buf, 100000));
    val("  drain it", read_all(p[0], buf, 65536));
    val("  write 61440", write(p[1], buf, 61440));
    val("  write 3996 (100 bytes of room left)", write(p[1], buf, 3996));
    fails("  write of 4096 (PIPE_BUF) bytes", write(p[1], buf, 4096));
    val("  write of 100", write(p[1], buf, 100));
    fails("  write of 1", write(p[1], buf, 1));
    close(p[0]);
    close(p[1]);

    ok("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
    val("  F_GETFD of the read end", fd_flags(p[0]));
    val("  F_GETFD of the write end", fd_flags(p[1]));
    close(p[0]);
    close(p[1]);
    fails("pipe2 with a bad flag", pipe2(p, O_APPEND));

    // Two children write 4096-byte blocks at once; each block arrives whole.
    pipe(p);
    pid_t kids[2];
    for (int k = 0; k < 2; ++k) {
        kids[k] = fork_flushed();
        if (kids[k] == 0) {
            close(p[0]);
            char block[4096];
            memset(block, 'a' + k, sizeof block);
            for (int i = 0; i < 32; ++i)
                if (write(p[1], block, sizeof block) != sizeof block) _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    long got = read_all(p[0], buf, sizeof buf);
    int whole = got == 65 * 4096 - 4096, as = 0, bs = 0;
    for (long at = 0; whole && at < got; at += 4096) {
        for (long i = 1; i < 4096; ++i) whole &= buf[at + i] == buf[at];
        as += buf[at] == 'a';
        bs += buf[at] == 'b';
    }
    close(p[0]);
    val("two children each write 32 blocks of 4096 bytes: read", got);
    printf("  every block whole: %s, from the first %d, from the second %d\n", whole ? "yes" : "no",
           as, bs);
    waited("  the first child", kids[0]);
    waited("  the second child", kids[1]);

    pipe(p);
    write(p[1], buf, 123);
    ioctl(p[0], FIONREAD, &queued);
    val("FIONREAD with 123 bytes in the pipe", queued);
    read(p[0], buf, 23);
    ioctl(p[0], FIONREAD, &queued);
    val("  after reading 23", queued);
    read(p[0], buf, 100);

    struct timespec zero = {0, 0}, short_wait = {0, 10 * 1000 * 1000};
    poll_one("ppoll of the empty read end, timeout 0", p[0], POLLIN, &zero);
    poll_one("ppoll of the empty read end, timeout 10 ms", p[0], POLLIN, &short_wait);
    poll_one("ppoll of the write end", p[1], POLLOUT, &zero);
    poll_one("ppoll of the write end for POLLIN", p[1], POLLIN, &zero);
    write(p[1], "abc", 3);
    poll_one("ppoll of the read end after a write", p[0], POLLIN, &zero);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(p[0], &set);
    r = pselect(p[0] + 1, &set, NULL, NULL, &zero, NULL);
    printf("pselect of the read end with 3 bytes: %d, set: %s\n", r,
           FD_ISSET(p[0], &set) ? "yes" : "no");
    read(p[0], buf, 3);
    FD_ZERO(&set);
    FD_SET(p[0], &set);
    r = pselect(p[0] + 1, &set, NULL, NULL, &zero, NULL);
    printf("pselect of the empty read end, timeout 0: %d, set: %s\n", r,
           FD_ISSET(p[0], &set) ? "yes" : "no");
    FD_ZERO(&set);
    FD_SET(p[0], &set);
    r = pselect(p[0] + 1, &set, NULL, NULL, &short_wait, NULL);
    printf("pselect of the empty read end, timeout 10 ms: %d, set: %s\n", r,
           FD_ISSET(p[0], &set) ? "yes" : "no");
    FD_ZERO(&set);
    FD_SET(p[1], &set);
    r = pselect(p[1] + 1, NULL, &set, NULL, &zero, NULL);
    printf("pselect of the write end for writing: %d, set: %s\n", r,
           FD_ISSET(p[1], &set) ? "yes" : "no");
    FD_ZERO(&set);
    FD_SET(999, &set);
    fails("pselect of a closed fd", pselect(1000, &set, NULL, NULL, &zero, NULL));

    pid = fork_flushed();
    if (pid == 0) {
        write(p[1], "late", 4);
        _exit(0);
    }
    poll_one("ppoll with no timeout while a child writes", p[0], POLLIN, NULL);
    waited("  the child", pid);
    write(p[1], "z", 1);
    close(p[1]);
    poll_one("ppoll of the read end, writer closed, 5 bytes left", p[0], POLLIN, &zero);
    read_all(p[0], buf, 5);
    poll_one("ppoll of the read end, writer closed, empty", p[0], POLLIN, &zero);
    close(p[0]);
    pipe(p);
    close(p[0]);
    poll_one("ppoll of the write end, reader closed", p[1], POLLOUT, &zero);
    close(p[1]);
    poll_one("ppoll of a closed fd", p[1], POLLIN, &zero);
}

static void devices(void) {
    header("/dev");
    struct stat st;
    const char* names[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/urandom"};
    for (int i = 0; i < 4; ++i) {
        if (stat(names[i], &st) < 0)
            printf("stat %s: -1 %s\n", names[i], en());
        else
            printf("stat %s: %s %u:%u\n", names[i], type_of(st.st_mode), major(st.st_rdev),
                   minor(st.st_rdev));
    }
    int fd = open("/dev/null", O_RDWR);
    val("read /dev/null", read(fd, buf, 100));
    val("write 100 to /dev/null", write(fd, buf, 100));
    val("lseek /dev/null", lseek(fd, 10, SEEK_SET));
    close(fd);
    fd = open("/dev/zero", O_RDWR);
    memset(buf, 1, 10000);
    long n = read(fd, buf, 10000);
    val("read 10000 from /dev/zero", n);
    yes("  all zeros", n == 10000 && all_zero(buf, 10000));
    val("write 100 to /dev/zero", write(fd, buf, 100));
    close(fd);
    fd = open("/dev/full", O_RDWR);
    fails("write to /dev/full", write(fd, "x", 1));
    memset(buf, 1, 100);
    n = read(fd, buf, 100);
    val("read /dev/full", n);
    yes("  all zeros", n == 100 && all_zero(buf, 100));
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    val("read 64 from /dev/urandom", read(fd, buf, 64));
    val("read 100000 from /dev/urandom", read_all(fd, buf, 100000));
    close(fd);
    fails("O_CREAT|O_EXCL of /dev/null", open("/dev/null", O_CREAT | O_EXCL | O_WRONLY, 0644));
    fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ok("O_CREAT|O_TRUNC of /dev/null", fd);
    close(fd);
    if (stat("/dev/null", &st) == 0) printf("  still a %s\n", type_of(st.st_mode));
}

static void stdio_files(void) {
    header("stdio");
    FILE* f = fopen(D "/stdio", "w");
    ok("fopen w", f ? 0 : -1);
    for (int i = 1; i <= 3; ++i) fprintf(f, "line %d\n", i);
    ok("fclose", fclose(f));
    f = fopen(D "/stdio", "r");
    char line[64];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        printf("fgets: %s\n", line);
    }
    yes("  feof", feof(f));
    fseek(f, 0, SEEK_END);
    val("fseek to the end: ftell", ftell(f));
    fseek(f, 5, SEEK_SET);
    printf("fseek 5, fgets: %s", fgets(line, sizeof line, f));
    fclose(f);
    f = fopen(D "/stdio", "a");
    val("fopen a: ftell", ftell(f));
    fprintf(f, "line 4\n");
    val("  after fprintf: ftell", ftell(f));
    fclose(f);
    f = fopen(D "/stdio", "a+");
    val("fopen a+: ftell", ftell(f));
    printf("  fgets: %s", fgets(line, sizeof line, f));
    fprintf(f, "line 5\n");
    fflush(f);
    val("  after fprintf: ftell", ftell(f));
    fseek(f, 0, SEEK_SET);
    int lines = 0;
    while (fgets(line, sizeof line, f)) ++lines;
    printf("  lines: %d, the last: %s", lines, line);
    fclose(f);
    f = fopen(D "/stdio", "r+");
    fputs("LINE", f);
    fclose(f);
    f = fopen(D "/stdio", "r");
    printf("fopen r+, fputs at 0, then the first line: %s", fgets(line, sizeof line, f));
    fclose(f);
    f = fopen(D "/stdio", "w+");
    val("fopen w+: the size", size_of(D "/stdio"));
    fputs("rewritten\n", f);
    rewind(f);
    printf("  fputs, rewind, fgets: %s", fgets(line, sizeof line, f));
    fclose(f);
    f = fopen(D "/missing", "r");
    printf("fopen of a missing file: %s\n", f ? "succeeded" : en());
    f = fopen(D, "w");
    printf("fopen of a directory for writing: %s\n", f ? "succeeded" : en());
}

static void misc(void) {
    header("sendfile");
    for (int i = 0; i < 10000; ++i) buf[i] = (char)(i % 251);
    int src = open(D "/sf-src", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write_all(src, buf, 10000);
    lseek(src, 0, SEEK_SET);
    int dst = open(D "/sf-dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
    val("sendfile 10000 from a file to a file", sendfile(dst, src, NULL, 10000));
    val("  the source offset", lseek(src, 0, SEEK_CUR));
    val("  the destination offset", lseek(dst, 0, SEEK_CUR));
    static char copy[10000];
    long n = pread(dst, copy, sizeof copy, 0);
    yes("  the same bytes", n == 10000 && memcmp(copy, buf, 10000) == 0);
    val("sendfile at the end of the source", sendfile(dst, src, NULL, 10));
    off_t at = 100;
    val("sendfile 50 from offset 100", sendfile(dst, src, &at, 50));
    val("  the offset variable", at);
    val("  the source offset", lseek(src, 0, SEEK_CUR));
    int p[2];
    pipe(p);
    at = 0;
    val("sendfile 100 from a file to a pipe", sendfile(p[1], src, &at, 100));
    n = read(p[0], copy, sizeof copy);
    yes("  read from the pipe: the same bytes", n == 100 && memcmp(copy, buf, 100) == 0);
    close(p[0]);
    close(p[1]);
    fails("sendfile from a closed fd", sendfile(dst, 999, NULL, 10));
    int ro = open(D "/sf-dst", O_RDONLY);
    fails("sendfile to a read-only fd", sendfile(ro, src, &at, 10));
    close(ro);
    close(dst);

    header("statx");
    struct statx sx;
    int r = statx(AT_FDCWD, D "/sf-src", 0, STATX_BASIC_STATS, &sx);
    ok("statx", r);
    unsigned want = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_SIZE | STATX_UID | STATX_GID;
    yes("  type, mode, nlink, size, uid and gid in stx_mask", (sx.stx_mask & want) == want);
    printf("  %s, mode 0%o, size %llu, nlink %u, uid %u, gid %u\n", type_of(sx.stx_mode),
           sx.stx_mode & 07777, (unsigned long long)sx.stx_size, sx.stx_nlink, sx.stx_uid,
           sx.stx_gid);
    r = statx(src, "", AT_EMPTY_PATH, STATX_SIZE, &sx);
    val("statx of an fd with AT_EMPTY_PATH: size", r < 0 ? r : (long)sx.stx_size);
    symlink("sf-src", D "/sf-link");
    r = statx(AT_FDCWD, D "/sf-link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
    printf("statx of a symlink AT_SYMLINK_NOFOLLOW: %s\n", r < 0 ? en() : type_of(sx.stx_mode));
    r = statx(AT_FDCWD, D "/sf-link", 0, STATX_BASIC_STATS, &sx);
    printf("statx of a symlink: %s\n", r < 0 ? en() : type_of(sx.stx_mode));
    fails("statx of a missing name", statx(AT_FDCWD, D "/missing", 0, STATX_BASIC_STATS, &sx));
    fails("statx with a bad flag",
          statx(AT_FDCWD, D "/sf-src", 0x40000000, STATX_BASIC_STATS, &sx));

    header("times");
    struct timespec ts[2] = {{1000000000, 0}, {1234567890, 123456789}};
    ok("utimensat atime 1000000000, mtime 1234567890.123456789",
       utimensat(AT_FDCWD, D "/sf-src", ts, 0));
    struct stat st;
    stat(D "/sf-src", &st);
    printf("  stat: atime %ld.%09ld, mtime %ld.%09ld\n", (long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
    ok("utimensat atime UTIME_OMIT, mtime 1500000000", utimensat(AT_FDCWD, D "/sf-src", omit, 0));
    stat(D "/sf-src", &st);
    printf("  stat: atime %ld.%09ld, mtime %ld.%09ld\n", (long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec f[2] = {{1600000000, 5}, {1700000000, 7}};
    ok("futimens atime 1600000000.5, mtime 1700000000.7", futimens(src, f));
    fstat(src, &st);
    printf("  fstat: atime %ld.%09ld, mtime %ld.%09ld\n", (long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    ok("utimensat of a symlink AT_SYMLINK_NOFOLLOW, mtime 1100000000",
       utimensat(AT_FDCWD, D "/sf-link", (struct timespec[2]){{1100000000, 0}, {1100000000, 0}},
                 AT_SYMLINK_NOFOLLOW));
    lstat(D "/sf-link", &st);
    printf("  lstat mtime %ld\n", (long)st.st_mtim.tv_sec);
    stat(D "/sf-link", &st);
    printf("  stat mtime %ld\n", (long)st.st_mtim.tv_sec);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    fails("utimensat with tv_nsec 1000000000", utimensat(AT_FDCWD, D "/sf-src", bad, 0));
    fails("utimensat of a missing name", utimensat(AT_FDCWD, D "/missing", ts, 0));
    ts[0].tv_sec = 1234567890;
    utimensat(AT_FDCWD, D "/sf-src", ts, 0);
    struct timespec before, after;
    clock_gettime(CLOCK_REALTIME, &before);
    ok("utimensat NULL (now)", utimensat(AT_FDCWD, D "/sf-src", NULL, 0));
    clock_gettime(CLOCK_REALTIME, &after);
    stat(D "/sf-src", &st);
    // File times come from a coarse clock: allow the second before.
    yes("  mtime and atime are CLOCK_REALTIME's seconds",
        st.st_mtim.tv_sec >= before.tv_sec - 1 && st.st_mtim.tv_sec <= after.tv_sec &&
            st.st_atim.tv_sec == st.st_mtim.tv_sec);

    header("modes and owners");
    ok("fchmod 0600", fchmod(src, 0600));
    octal("  mode", mode_of(D "/sf-src"));
    ok("fchmodat 0751", fchmodat(AT_FDCWD, D "/sf-src", 0751, 0));
    octal("  mode", mode_of(D "/sf-src"));
    ok("chmod 04755", chmod(D "/sf-src", 04755));
    octal("  mode", mode_of(D "/sf-src"));
    ok("fchownat to 0:0", fchownat(AT_FDCWD, D "/sf-src", 0, 0, 0));
    stat(D "/sf-src", &st);
    printf("  uid %u, gid %u, mode 0%o\n", st.st_uid, st.st_gid, st.st_mode & 07777);
    ok("chown to 1000:1000", chown(D "/sf-src", 1000, 1000));
    stat(D "/sf-src", &st);
    printf("  uid %u, gid %u\n", st.st_uid, st.st_gid);
    ok("fchown to -1:-1", fchown(src, -1, -1));
    ok("lchown of a symlink to 1:1", lchown(D "/sf-link", 1, 1));
    lstat(D "/sf-link", &st);
    printf("  the link: uid %u, gid %u\n", st.st_uid, st.st_gid);
    stat(D "/sf-link", &st);
    printf("  its target: uid %u, gid %u\n", st.st_uid, st.st_gid);
    ok("fchownat back to 0:0", fchownat(AT_FDCWD, D "/sf-src", 0, 0, 0));
    fails("fchmodat of a missing name", fchmodat(AT_FDCWD, D "/missing", 0644, 0));
    fails("fchown of a closed fd", fchown(999, 0, 0));
    octal("umask 077 returns the old mask", umask(077));
    int fd = open(D "/masked", O_CREAT | O_WRONLY, 0666);
    close(fd);
    octal("  a file created 0666", mode_of(D "/masked"));
    mkdir(D "/masked-dir", 0777);
    octal("  a directory created 0777", mode_of(D "/masked-dir"));
    symlink("masked", D "/masked-link");
    octal("  a symlink", mode_of(D "/masked-link"));
    octal("umask 022 returns the old mask", umask(022));
    unlink(D "/masked");
    fd = open(D "/masked", O_CREAT | O_WRONLY, 0777);
    octal("  a file created 0777", mode_of(D "/masked"));
    ok("  fchmod 0777", fchmod(fd, 0777));
    octal("  mode", mode_of(D "/masked"));
    close(fd);

    header("sync, statfs");
    ok("fsync", fsync(src));
    ok("fdatasync", fdatasync(src));
    ok("syncfs", syncfs(src));
    sync();
    printf("sync: returned\n");
    pipe(p);
    fails("fsync of a pipe", fsync(p[0]));
    close(p[0]);
    close(p[1]);
    fails("fsync of a closed fd", fsync(999));
    struct statfs sf;
    ok("statfs /", statfs("/", &sf));
    ok("fstatfs", fstatfs(src, &sf));
    fails("statfs of a missing name", statfs(D "/missing", &sf));
    close(src);
}

// Removes a tree (what rm -r does), printing nothing but failures.
static void remove_tree(int dirfd, const char* name) {
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0) {
        if (unlinkat(dirfd, name, 0) < 0) printf("remove %s: %s\n", name, en());
        return;
    }
    DIR* d = fdopendir(fd);
    struct dirent* e;
    char* names[256];
    int count = 0;
    while ((e = readdir(d)) != NULL && count < 256)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[count++] = strdup(e->d_name);
    for (int i = 0; i < count; ++i) {
        remove_tree(fd, names[i]);
        free(names[i]);
    }
    closedir(d);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0) printf("remove %s: %s\n", name, en());
}

int main(int argc, char** argv) {
    if (argc >= 2 && strcmp(argv[1], "exec-child") == 0) {
        exec_child(argc, argv);
        return 0;
    }
    if (argv[0] && argv[0][0] == '/')
        snprintf(self, sizeof self, "%s", argv[0]);
    else if (argv[0] && strchr(argv[0], '/')) {
        char here[PATH_MAX];
        if (getcwd(here, sizeof here)) snprintf(self, sizeof self, "%s/%s", here, argv[0]);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);  // lines in order with the children's, tty or not
    umask(022);
    header("the test directory");
    ok("mkdir /files-test", mkdir(D, 0755));
    struct stat st;
    int r = stat(D, &st);
    stat_type("  stat", r, &st);
    octal("  mode", st.st_mode & 07777);
    val("  st_nlink", st.st_nlink);
    basics();
    renames();
    links();
    unlinks();
    cwd();
    at_calls();
    directories();
    fds();
    offsets();
    exec();
    pipes();
    devices();
    stdio_files();
    misc();
    header("clean up");
    remove_tree(AT_FDCWD, D);
    fails("stat /files-test after removing it", stat(D, &st));
    int lowest = 0;
    while (fcntl(lowest, F_GETFD) >= 0) ++lowest;
    val("the lowest free fd", lowest);
    return 0;
}
