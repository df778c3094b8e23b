// SPDX-License-Identifier: MIT
// renameat2's flags as Linux's tmpfs has them: RENAME_EXCHANGE swaps two names (a file and a
// directory, in one directory or two, a directory's ".." and its parents' link counts following
// it), refuses a missing name, a directory swapped with one below it and a trailing slash on a
// file, and does nothing for a name swapped with itself; RENAME_WHITEOUT leaves a 0:0 character
// device where the name was. Linux's order of checks: the parents' mounts (EXDEV), ".", ".." and
// trailing slashes before two names of one file do nothing, mount points late (EBUSY), and EPERM
// where a file system cannot rename (/proc). Everything happens under /tmp/renames, removed at the
// end.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "report.h"

#define D "/tmp/renames"

static int exchange(const char* a, const char* b) {
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

static void put(const char* path, const char* text) {
    FILE* f = fopen(path, "w");
    if (f == NULL) return;
    fputs(text, f);
    fclose(f);
}

// "what: TYPE, N links[, holds TEXT]" for the name at `path`.
static void show(const char* what, const char* path) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("%s: %s\n", what, en());
        return;
    }
    const char* type = S_ISDIR(st.st_mode)   ? "directory"
                       : S_ISREG(st.st_mode) ? "file"
                       : S_ISCHR(st.st_mode) ? "character device"
                                             : "other";
    printf("%s: %s, %lu links", what, type, (unsigned long)st.st_nlink);
    if (S_ISCHR(st.st_mode))
        printf(", device %u:%u, mode %04o", major(st.st_rdev), minor(st.st_rdev),
               (unsigned)(st.st_mode & 07777));
    if (S_ISREG(st.st_mode)) {
        char text[64] = {0};
        FILE* f = fopen(path, "r");
        if (f != NULL) {
            if (fgets(text, sizeof text, f) == NULL) text[0] = 0;
            fclose(f);
        }
        printf(", holds %s", text[0] != 0 ? text : "nothing\n");
        return;
    }
    printf("\n");
}

static void in_one_directory(void) {
    header("exchange in one directory");
    put(D "/f", "f's text\n");
    mkdir(D "/d", 0755);
    put(D "/d/inside", "inside\n");
    ok("exchange f and d", exchange(D "/f", D "/d"));
    show("  f", D "/f");
    show("  d", D "/d");
    show("  f/inside", D "/f/inside");
    show("  the directory", D);
    ok("exchange them back", exchange(D "/f", D "/d"));
    show("  f", D "/f");
    show("  d", D "/d");
    ok("exchange f with itself", exchange(D "/f", D "/f"));
    show("  f", D "/f");
    ok("link f as g", link(D "/f", D "/g"));
    ok("exchange f with its own other name", exchange(D "/f", D "/g"));
    show("  g", D "/g");
}

static void across_directories(void) {
    header("exchange across directories");
    mkdir(D "/a", 0755);
    mkdir(D "/b", 0755);
    mkdir(D "/a/sub", 0755);
    put(D "/b/file", "b's file\n");
    show("a before", D "/a");
    show("b before", D "/b");
    ok("exchange a/sub and b/file", exchange(D "/a/sub", D "/b/file"));
    show("  a", D "/a");
    show("  b", D "/b");
    show("  a/sub", D "/a/sub");
    show("  b/file", D "/b/file");
    ok("b/file/.. is b: make b/file/../mark", mkdir(D "/b/file/../mark", 0755));
    show("  b/mark", D "/b/mark");
    mkdir(D "/a/two", 0755);
    ok("exchange two directories: a/two and b/file", exchange(D "/a/two", D "/b/file"));
    show("  a", D "/a");
    show("  b", D "/b");
    show("  b/file", D "/b/file");
}

static void refusals(void) {
    header("exchange refused");
    mkdir(D "/top", 0755);
    mkdir(D "/top/mid", 0755);
    mkdir(D "/top/mid/low", 0755);
    put(D "/plain", "plain\n");
    fails("with a missing name", exchange(D "/plain", D "/missing"));
    fails("of a missing name", exchange(D "/missing", D "/plain"));
    fails("a directory with one below it", exchange(D "/top", D "/top/mid/low"));
    fails("a directory with one above it", exchange(D "/top/mid/low", D "/top"));
    fails("a directory with its own child", exchange(D "/top/mid", D "/top/mid/low"));
    fails("a file with a trailing slash", exchange(D "/plain/", D "/top"));
    fails("with a file with a trailing slash", exchange(D "/top", D "/plain/"));
    fails("with NOREPLACE",
          renameat2(AT_FDCWD, D "/plain", AT_FDCWD, D "/top", RENAME_EXCHANGE | RENAME_NOREPLACE));
    fails("with WHITEOUT",
          renameat2(AT_FDCWD, D "/plain", AT_FDCWD, D "/top", RENAME_EXCHANGE | RENAME_WHITEOUT));
    fails("with . as a name", exchange(D "/top/.", D "/plain"));
    fails("with /proc's file", exchange(D "/plain", "/proc/self/comm"));
    show("plain after them", D "/plain");
    show("top after them", D "/top");
}

static void check_order(void) {
    header("the order of the checks");
    put(D "/h1", "h\n");
    ok("link h1 as h2", link(D "/h1", D "/h2"));
    fails("exchange h1/ and h2 (one file)", exchange(D "/h1/", D "/h2"));
    fails("exchange h1 and h2/", exchange(D "/h1", D "/h2/"));
    fails("rename h1/ to h2", rename(D "/h1/", D "/h2"));
    ok("rename h1 to h2", rename(D "/h1", D "/h2"));
    mkdir(D "/o", 0755);
    mkdir(D "/o/in", 0755);
    fails("rename o/. to o", rename(D "/o/.", D "/o"));
    fails("exchange o/. and o", exchange(D "/o/.", D "/o"));
    fails("exchange o and o/in/..", exchange(D "/o", D "/o/in/.."));
    ok("rename o to o/in/..", rename(D "/o", D "/o/in/.."));
    fails("rename o/in onto o (it lies below)", rename(D "/o/in", D "/o"));
    fails("rename /proc/self/comm", rename("/proc/self/comm", "/proc/self/comm2"));
    fails("exchange /proc/version and /proc/meminfo", exchange("/proc/version", "/proc/meminfo"));
    mkdir(D "/m", 0755);
    mkdir(D "/m2", 0755);
    ok("mount a tmpfs on m", mount("tmpfs", D "/m", "tmpfs", 0, NULL));
    put(D "/m/in", "in\n");
    fails("exchange m and a missing name", exchange(D "/m", D "/missing"));
    fails("exchange m and h2/", exchange(D "/m", D "/h2/"));
    fails("exchange m and m2", exchange(D "/m", D "/m2"));
    fails("rename m to m3", rename(D "/m", D "/m3"));
    fails("exchange a missing name and m/in", exchange(D "/missing", D "/m/in"));
    fails("rename m/in to h2", rename(D "/m/in", D "/h2"));
    fails("rename h2 onto m", rename(D "/h2", D "/m"));
    fails("link o to m/o (a directory, across mounts)", link(D "/o", D "/m/o"));
    fails("link o to h2 (a directory, onto a name)", link(D "/o", D "/h2"));
    fails("link o to /proc/x", link(D "/o", "/proc/x"));
    fails("link h2 to o2/ (a file, with a slash)", link(D "/h2", D "/o2/"));
    ok("umount m", umount(D "/m"));
    mkdir(D "/gone", 0755);
    ok("chdir into gone", chdir(D "/gone"));
    ok("rmdir gone", rmdir(D "/gone"));
    fails("rename h2 to x/ in the removed directory", rename(D "/h2", "x/"));
    fails("rename o to x in it", rename(D "/o", "x"));
    ok("chdir /", chdir("/"));
}

// /proc makes no names: a lookup of one it does not have is ENOENT (it keeps no negative
// entries), so every call that would make one says so before anything else.
static void proc_names(void) {
    header("names in /proc");
    fails("mkdir /proc/x", mkdir("/proc/x", 0755));
    fails("mkdir /proc/self/x", mkdir("/proc/self/x", 0755));
    fails("open O_CREAT /proc/x", open("/proc/x", O_CREAT | O_WRONLY, 0644));
    fails("symlink to /proc/x", symlink("a", "/proc/x"));
    fails("link /proc/version to /proc/x", link("/proc/version", "/proc/x"));
    fails("mknod /proc/x", mknod("/proc/x", S_IFIFO | 0644, 0));
    fails("rename /proc/version to /proc/x", rename("/proc/version", "/proc/x"));
    fails("unlink /proc/x", unlink("/proc/x"));
    fails("mkdir /proc/version", mkdir("/proc/version", 0755));
    fails("unlink /proc/version", unlink("/proc/version"));
    fails("rmdir /proc/self", rmdir("/proc/self"));
    fails("rmdir /proc/self/fd", rmdir("/proc/self/fd"));
    fails("unlink /proc/self/fd/0", unlink("/proc/self/fd/0"));
    fails("rename /proc/version onto /proc/meminfo", rename("/proc/version", "/proc/meminfo"));
}

static void whiteouts(void) {
    header("whiteout");
    put(D "/w", "w's text\n");
    ok("rename w to w2 leaving a whiteout",
       renameat2(AT_FDCWD, D "/w", AT_FDCWD, D "/w2", RENAME_WHITEOUT));
    show("  w", D "/w");
    show("  w2", D "/w2");
    put(D "/v", "v's text\n");
    ok("the same over an existing name",
       renameat2(AT_FDCWD, D "/v", AT_FDCWD, D "/w2", RENAME_WHITEOUT));
    show("  v", D "/v");
    show("  w2", D "/w2");
    fails("with NOREPLACE over an existing name",
          renameat2(AT_FDCWD, D "/w2", AT_FDCWD, D "/plain", RENAME_WHITEOUT | RENAME_NOREPLACE));
    ok("with NOREPLACE to a new name",
       renameat2(AT_FDCWD, D "/w2", AT_FDCWD, D "/w3", RENAME_WHITEOUT | RENAME_NOREPLACE));
    show("  w2", D "/w2");
    show("  w3", D "/w3");
}

int main(void) {
    if (mkdir(D, 0755) != 0) {
        printf("mkdir " D ": %s\n", en());
        return 1;
    }
    in_one_directory();
    across_directories();
    refusals();
    check_order();
    proc_names();
    whiteouts();
    const char* const names[] = {
        "/d/inside", "/d",  "/f",           "/g",       "/a/sub", "/a/two", "/a", "/b/file",
        "/b/mark",   "/b",  "/top/mid/low", "/top/mid", "/top",   "/plain", "/w", "/v",
        "/w2",       "/w3", "/h1",          "/h2",      "/o/in",  "/o",     "/m", "/m2"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        char path[64];
        snprintf(path, sizeof path, D "%s", names[i]);
        if (unlink(path) != 0) rmdir(path);
    }
    ok("rmdir " D, rmdir(D));
    return 0;
}
