// SPDX-License-Identifier: MIT
// mmap of files as Linux has it, on a tmpfs file (/tmp): MAP_PRIVATE reads the file's bytes and
// keeps its writes to itself (the file's later changes show in pages it has not written), while
// MAP_SHARED writes reach the file, read(), every other mapping and a forked child; msync's flags
// and errnos; munmap of a part; mprotect (never writable when shared from a read-only descriptor);
// mmap's errnos for descriptors it cannot map; SIGBUS past the end of the file; a fork with both
// kinds; read() and write() between a file and its own mapping; an unlinked file's mapping; and
// /proc/self/maps' lines for file mappings. Only contents, yes/no and errno names are printed.
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

#define PAGE 4096
#define FILE_BYTES (3 * PAGE + 100)

static const char* const kPath = "/tmp/filemap-data";

// The byte the test file holds at `offset`.
static unsigned char pattern(size_t offset) {
    return (unsigned char)(offset * 7 + offset / PAGE + 1);
}

static int make_file(const char* path, size_t bytes) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    unsigned char* buffer = malloc(bytes);
    for (size_t i = 0; i < bytes; ++i) buffer[i] = pattern(i);
    if (write(fd, buffer, bytes) != (ssize_t)bytes) printf("write of the file failed\n");
    free(buffer);
    return fd;
}

// The test file as it was made, whatever a section before wrote into it.
static void reset(int fd) {
    static unsigned char buffer[FILE_BYTES];
    for (size_t i = 0; i < FILE_BYTES; ++i) buffer[i] = pattern(i);
    if (ftruncate(fd, FILE_BYTES) != 0 || pwrite(fd, buffer, FILE_BYTES, 0) != FILE_BYTES)
        printf("reset failed\n");
}

static int matches(const unsigned char* p, size_t offset, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (p[i] != pattern(offset + i)) return 0;
    return 1;
}

static unsigned char file_byte(int fd, off_t offset) {
    unsigned char c = 0;
    if (pread(fd, &c, 1, offset) != 1) return 0xee;
    return c;
}

// A touch of one byte that may fault: the signal and its code, or "none".
static sigjmp_buf jump;
static volatile sig_atomic_t caught_signal, caught_code;

static void on_fault(int signal, siginfo_t* info, void* context) {
    (void)context;
    caught_signal = signal;
    caught_code = info->si_code;
    siglongjmp(jump, 1);
}

static void touch(const char* what, volatile unsigned char* p, int write) {
    caught_signal = 0;
    if (sigsetjmp(jump, 1) == 0) {
        if (write)
            *p = 0x55;
        else
            (void)*p;
    }
    if (caught_signal == 0)
        printf("%s: none\n", what);
    else
        printf("%s: %s code %d\n", what, sigabbrev_np(caught_signal), (int)caught_code);
}

static void private_mappings(int fd) {
    header("MAP_PRIVATE");
    reset(fd);
    unsigned char* p = mmap(NULL, FILE_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
    yes("mapped", p != MAP_FAILED);
    yes("reads the file's bytes", matches(p, 0, FILE_BYTES));
    yes("zeros past the end in the last page", p[FILE_BYTES] == 0 && p[4 * PAGE - 1] == 0);
    unsigned char* at_offset = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
    yes("at an offset: that page's bytes", matches(at_offset, 2 * PAGE, PAGE));
    unsigned char* q = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    q[10] = 'X';
    q[PAGE + 10] = 'Y';
    yes("its write reads back", q[10] == 'X' && q[PAGE + 10] == 'Y');
    yes("the file is unchanged", file_byte(fd, 10) == pattern(10));
    yes("another private mapping is unchanged", p[10] == pattern(10));
    yes("the rest of the written page is the file's", matches(q + 11, 11, PAGE - 11));
    // The file changes after the mapping: a page not yet written shows the change, one written
    // keeps its own bytes.
    const unsigned char z = 'Z';
    val("pwrite to page 0", pwrite(fd, &z, 1, 20));
    val("pwrite to page 2", pwrite(fd, &z, 1, 2 * PAGE + 20));
    yes("an unwritten page sees the file's change", q[2 * PAGE + 20] == 'Z');
    yes("a written page keeps its own bytes", q[20] == pattern(20));
    // MADV_DONTNEED drops the private copy: the page is the file's again.
    ok("madvise MADV_DONTNEED", madvise(q, PAGE, MADV_DONTNEED));
    yes("the written page reads the file again", q[10] == pattern(10) && q[20] == 'Z');
    ok("munmap", munmap(p, FILE_BYTES) + munmap(at_offset, PAGE) + munmap(q, FILE_BYTES));
}

static void shared_mappings(int fd) {
    header("MAP_SHARED");
    reset(fd);
    unsigned char* s = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char* t = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char* p = mmap(NULL, FILE_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
    yes("mapped", s != MAP_FAILED && t != MAP_FAILED && p != MAP_FAILED);
    yes("reads the file's bytes", matches(s, 0, FILE_BYTES));
    s[100] = 'S';
    s[2 * PAGE + 5] = 'T';
    yes("read() sees its write", file_byte(fd, 100) == 'S' && file_byte(fd, 2 * PAGE + 5) == 'T');
    yes("another shared mapping sees it", t[100] == 'S' && t[2 * PAGE + 5] == 'T');
    yes("a private mapping's unwritten page sees it", p[100] == 'S');
    const unsigned char w = 'W';
    ok("pwrite", pwrite(fd, &w, 1, PAGE + 1) - 1);
    yes("the mapping sees the file's write", s[PAGE + 1] == 'W' && t[PAGE + 1] == 'W');
    // A write past the end, inside the last page: in the page, not in the file.
    s[FILE_BYTES + 1] = 'E';
    struct stat st;
    fstat(fd, &st);
    val("size after a write past the end", (long)st.st_size);
    s[FILE_BYTES + 1] = 0;
    // read() and write() between the file and its own mapping.
    val("read() of the file into its own mapping", pread(fd, s + PAGE + 512, 64, 0));
    yes("the mapping holds the bytes read", memcmp(s + PAGE + 512, s, 64) == 0);
    val("write() from the mapping into the file", pwrite(fd, t + 2 * PAGE, 16, 3 * PAGE));
    yes("the file holds them", memcmp(s + 3 * PAGE, s + 2 * PAGE, 16) == 0);
    ok("munmap", munmap(s, FILE_BYTES) + munmap(t, FILE_BYTES) + munmap(p, FILE_BYTES));
}

// A child writes into both kinds; its parent sees the shared write only.
static void fork_with_both(int fd) {
    header("fork");
    reset(fd);
    unsigned char* s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char* p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    s[0] = 'a';     // touched before the fork
    p[PAGE] = 'b';  // a private copy before the fork
    (void)p[0];     // the file's page, mapped read-only
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        s[0] = 'c';
        s[PAGE + 7] = 'd';  // untouched before the fork
        p[0] = 'e';
        p[PAGE] = 'f';
        _exit(s[0] == 'c' && p[0] == 'e' && p[PAGE] == 'f' ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    val("child's exit", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    yes("the child's shared writes are the parent's", s[0] == 'c' && s[PAGE + 7] == 'd');
    yes("and the file's", file_byte(fd, 0) == 'c' && file_byte(fd, PAGE + 7) == 'd');
    yes("the child's private writes are not", p[PAGE] == 'b');
    yes("the parent's private page 0 shows the file", p[0] == 'c');
    // The parent's shared writes after the fork reach a child that looks later.
    int go[2];
    if (pipe(go) != 0) return;
    fflush(stdout);
    const pid_t looker = fork();
    if (looker == 0) {
        char c;
        if (read(go[0], &c, 1) != 1) _exit(2);
        _exit(s[50] == 'g' && p[50] == 'g' ? 0 : 1);  // p[50]: its page is still the file's
    }
    s[50] = 'g';
    if (write(go[1], "x", 1) != 1) printf("pipe write failed\n");
    waitpid(looker, &status, 0);
    yes("a child sees the parent's later shared write",
        WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(go[0]);
    close(go[1]);
    ok("munmap", munmap(s, 2 * PAGE) + munmap(p, 2 * PAGE));
}

static void msync_calls(int fd) {
    header("msync");
    reset(fd);
    unsigned char* s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char* a =
        mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    s[1] = 'M';
    ok("MS_SYNC", msync(s, 3 * PAGE, MS_SYNC));
    yes("read() sees the write", file_byte(fd, 1) == 'M');
    ok("MS_ASYNC", msync(s, PAGE, MS_ASYNC));
    ok("MS_INVALIDATE", msync(s, PAGE, MS_INVALIDATE));
    ok("MS_SYNC | MS_INVALIDATE", msync(s, PAGE, MS_SYNC | MS_INVALIDATE));
    ok("no flags", msync(s, PAGE, 0));
    ok("a length not a page multiple", msync(s, 100, MS_SYNC));
    ok("zero length", msync(s, 0, MS_SYNC));
    ok("anonymous memory", msync(a, 2 * PAGE, MS_SYNC));
    fails("MS_SYNC | MS_ASYNC", msync(s, PAGE, MS_SYNC | MS_ASYNC));
    fails("an unknown flag", msync(s, PAGE, 8));
    fails("an unaligned address", msync(s + 1, PAGE, MS_SYNC));
    ok("munmap of the middle page", munmap(s + PAGE, PAGE));
    fails("over a hole, MS_SYNC", msync(s, 3 * PAGE, MS_SYNC));
    fails("over a hole, MS_ASYNC", msync(s, 3 * PAGE, MS_ASYNC));
    fails("over a hole, MS_INVALIDATE", msync(s, 3 * PAGE, MS_INVALIDATE));
    fails("unmapped only", msync(s + PAGE, PAGE, MS_SYNC));
    fails("a length that wraps", msync(s, (size_t)-2 * PAGE, MS_SYNC));
    munmap(s, 3 * PAGE);
    munmap(a, 2 * PAGE);
}

static void munmap_and_mprotect(int fd) {
    header("munmap and mprotect");
    reset(fd);
    unsigned char* s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ok("munmap of the middle page", munmap(s + PAGE, PAGE));
    yes("the first page still maps the file", matches(s, 0, PAGE));
    yes("the third too", matches(s + 2 * PAGE, 2 * PAGE, PAGE));
    touch("the middle page", s + PAGE, 0);
    s[2 * PAGE] = 'U';
    yes("a write to the third reaches the file", file_byte(fd, 2 * PAGE) == 'U');
    s[2 * PAGE] = pattern(2 * PAGE);
    ok("mprotect read-only", mprotect(s, PAGE, PROT_READ));
    touch("a write to it", s, 1);
    ok("mprotect read+write again", mprotect(s, PAGE, PROT_READ | PROT_WRITE));
    s[3] = 'P';
    yes("its write reaches the file", file_byte(fd, 3) == 'P');
    s[3] = pattern(3);
    munmap(s, PAGE);
    munmap(s + 2 * PAGE, PAGE);
    // A private read-only mapping made writable: its writes stay its own.
    unsigned char* p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    ok("mprotect of a private mapping to read+write", mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    p[4] = 'Q';
    yes("its write stays its own", p[4] == 'Q' && file_byte(fd, 4) == pattern(4));
    munmap(p, PAGE);
    // Shared from a read-only descriptor: never writable.
    int readonly = open(kPath, O_RDONLY);
    unsigned char* r = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, readonly, 0);
    yes("MAP_SHARED read-only of a read-only descriptor", r != MAP_FAILED);
    yes("reads the file", matches(r, 0, 2 * PAGE));
    fails("mprotect it writable", mprotect(r, 2 * PAGE, PROT_READ | PROT_WRITE));
    touch("a write to it", r, 1);
    unsigned char* rp = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, readonly, 0);
    ok("mprotect a private one of it writable", mprotect(rp, PAGE, PROT_READ | PROT_WRITE));
    munmap(r, 2 * PAGE);
    munmap(rp, PAGE);
    close(readonly);
}

static void refusals(int fd) {
    header("errnos");
    int writeonly = open(kPath, O_WRONLY);
    int readonly = open(kPath, O_RDONLY);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    int path_only = open(kPath, O_PATH);
    int null = open("/dev/null", O_RDWR);
    int pipes[2];
    if (pipe(pipes) != 0) return;
#define MAPS(what, prot, flags, fd, offset) \
    fails(what, (long)mmap(NULL, PAGE, prot, flags, fd, offset) == -1 ? -1 : 0)
    MAPS("private of a write-only descriptor", PROT_READ, MAP_PRIVATE, writeonly, 0);
    MAPS("shared of a write-only descriptor", PROT_READ | PROT_WRITE, MAP_SHARED, writeonly, 0);
    MAPS("shared writable of a read-only descriptor", PROT_READ | PROT_WRITE, MAP_SHARED, readonly,
         0);
    MAPS("an offset not page aligned", PROT_READ, MAP_PRIVATE, fd, 100);
    MAPS("a directory", PROT_READ, MAP_PRIVATE, dir, 0);
    MAPS("a pipe's read end", PROT_READ, MAP_PRIVATE, pipes[0], 0);
    MAPS("a pipe's write end", PROT_READ, MAP_SHARED, pipes[1], 0);
    MAPS("/dev/null", PROT_READ, MAP_SHARED, null, 0);
    MAPS("a closed descriptor", PROT_READ, MAP_PRIVATE, 999, 0);
    MAPS("an O_PATH descriptor", PROT_READ, MAP_PRIVATE, path_only, 0);
    MAPS("no type", PROT_READ, 0, fd, 0);
    MAPS("MAP_SHARED_VALIDATE with MAP_SYNC", PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
    MAPS("MAP_GROWSDOWN of a file", PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0);
    MAPS("an offset past any file", PROT_READ, MAP_PRIVATE, fd, (off_t)0x7ffffffffffff000);
    fails("zero length", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0) == -1 ? -1 : 0);
    void* v = mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
    yes("MAP_SHARED_VALIDATE with known flags maps", v != MAP_FAILED);
    munmap(v, PAGE);
    void* ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, readonly, 0);
    yes("shared read-only of a read-only descriptor maps", ro != MAP_FAILED);
    munmap(ro, PAGE);
    close(writeonly);
    close(readonly);
    close(dir);
    close(path_only);
    close(null);
    close(pipes[0]);
    close(pipes[1]);
}

// Past the end of the file: SIGBUS for a page not yet touched (also after a truncate), zeros past
// the end in the last page (also after a truncate into a page already touched), EFAULT for the
// kernel's copies, or the bytes before that page.
static void past_the_end(void) {
    header("past the end");
    const char* path = "/tmp/filemap-short";
    int fd = make_file(path, PAGE + PAGE / 2);
    unsigned char* s = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    yes("the last page's bytes past the end read zero",
        s[PAGE + PAGE / 2] == 0 && s[2 * PAGE - 1] == 0);
    touch("a read of the page past the end", s + 2 * PAGE, 0);
    touch("a write there", s + 3 * PAGE + 8, 1);
    fails("pread() into it", pread(fd, s + 2 * PAGE, 10, 0));
    val("pread() into the last page's 8 bytes and on", pread(fd, s + 2 * PAGE - 8, 20, 0));
    val("pwrite() from them and on", pwrite(fd, s + 2 * PAGE - 8, 20, PAGE));
    ok("ftruncate to 3 pages", ftruncate(fd, 3 * PAGE));
    touch("a read of the page now inside", s + 2 * PAGE, 0);
    yes("it reads zeros", s[2 * PAGE + 1] == 0);
    touch("the page still past the end", s + 3 * PAGE, 0);
    s[2 * PAGE + 200] = 'x';
    s[2 * PAGE + 50] = 'y';
    ok("ftruncate into that page", ftruncate(fd, 2 * PAGE + 100));
    yes("its bytes past the new end read zeros", s[2 * PAGE + 200] == 0);
    yes("its bytes before it stay", s[2 * PAGE + 50] == 'y');
    ok("ftruncate to 100 bytes", ftruncate(fd, 100));
    ok("ftruncate back to a page", ftruncate(fd, PAGE));
    yes("past the old end reads zeros", s[100] == 0 && s[PAGE - 1] == 0);
    yes("before it, the file", matches(s, 0, 100));
    munmap(s, 4 * PAGE);
    unsigned char* again = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    touch("a new mapping: its page past the shrunk end", again + PAGE, 0);
    munmap(again, 3 * PAGE);
    unsigned char* p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    touch("private: a write past the end", p + PAGE, 1);
    touch("private: a write before it", p + 5, 1);
    munmap(p, 2 * PAGE);
    close(fd);
    unlink(path);
}

// An unlinked file lives on in its mapping; and mremap moves and grows one.
static void unlinked_and_moved(void) {
    header("unlinked and moved");
    const char* path = "/tmp/filemap-gone";
    int fd = make_file(path, 2 * PAGE);
    unsigned char* s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char* p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    (void)p[0];
    close(fd);
    ok("unlink", unlink(path));
    yes("the mapping still reads it", matches(s, 0, 2 * PAGE) && matches(p, 0, PAGE));
    s[5] = 'u';
    yes("and writes it", s[5] == 'u' && p[5] == 'u');
    unsigned char* grown = mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    yes("mremap grows the private mapping", grown != MAP_FAILED);
    yes("its new page is the file's", grown[PAGE] == pattern(PAGE) && grown[5] == 'u');
    munmap(grown, 2 * PAGE);
    munmap(s, 2 * PAGE);
}

// /proc/self/maps: a file mapping's line has its offset and its path.
static void maps_lines(int fd) {
    header("maps");
    reset(fd);
    unsigned char* s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PAGE);
    unsigned char* p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    char start_s[32], start_p[32];
    snprintf(start_s, sizeof start_s, "%08lx-", (unsigned long)s);
    snprintf(start_p, sizeof start_p, "%08lx-", (unsigned long)p);
    static char text[65536];
    int maps = open("/proc/self/maps", O_RDONLY);
    long total = 0;
    for (long n; (n = read(maps, text + total, sizeof text - 1 - (size_t)total)) > 0;) total += n;
    close(maps);
    text[total] = '\0';
    for (char* line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        const char* which = strncmp(line, start_s, strlen(start_s)) == 0   ? "shared"
                            : strncmp(line, start_p, strlen(start_p)) == 0 ? "private"
                                                                           : NULL;
        if (!which) continue;
        char range[64], perms[8], offset[32], device[16], path[256] = "";
        unsigned long inode = 0;
        sscanf(line, "%63s %7s %31s %15s %lu %255s", range, perms, offset, device, &inode, path);
        printf("%s: %s %s %s, inode is the file's: %s\n", which, perms, offset, path,
               inode == (unsigned long)({
                   struct stat st;
                   fstat(fd, &st);
                   st.st_ino;
               })
                   ? "yes"
                   : "no");
    }
    munmap(s, PAGE);
    munmap(p, 2 * PAGE);
}

int main(void) {
    struct sigaction action = {0};
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    int fd = make_file(kPath, FILE_BYTES);
    if (fd < 0) {
        printf("no file\n");
        return 1;
    }
    private_mappings(fd);
    shared_mappings(fd);
    fork_with_both(fd);
    msync_calls(fd);
    munmap_and_mprotect(fd);
    refusals(fd);
    past_the_end();
    unlinked_and_moved();
    maps_lines(fd);
    close(fd);
    unlink(kPath);
    return 0;
}
