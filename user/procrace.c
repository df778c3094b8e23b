// SPDX-License-Identifier: MIT
// procrace [ROUNDS]: /proc reads another process's address space while that process changes it.
// A child churns its memory as fast as it can (many small mmaps, each touched, mprotect, munmap;
// every few rounds an execve of itself, which frees all of its old space) while two reader
// children and the parent read its /proc/PID/cmdline, maps, stat and status in a loop. The
// kernel must stay up, and a cmdline read must be the churner's own arguments (or empty), never
// the bytes of a page that has gone to someone else, and every maps line a region (start below
// end), never one read from a freed region list.
#include "keel.h"

enum {
    kReaders = 2,         // reader children, besides the parent
    kRoundsPerImage = 2,  // churn rounds between two execs
    kRegions = 128,       // mappings made (and unmapped) each round: the region list grows
    kFiller = 6000,       // bytes of the churner's last argument: its cmdline spans pages
};

static char filler[kFiller + 1];

// The churner: ROUNDS rounds left. Its arguments are "churn", the count, and the filler.
static void churn_round(void) {
    char* at[kRegions];
    for (int i = 0; i < kRegions; ++i) {
        // Alternate protections, so that neighbours never merge into one region.
        const int protection = i % 2 == 0 ? PROT_READ | PROT_WRITE : PROT_READ;
        at[i] = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if ((long)at[i] < 0) exit(3);
        at[i][0] = (char)i;  // a page of its own, and the tables on the way
        at[i][4096] = (char)i;
        syscall6(SYS_mprotect, (long)at[i], 2 * 4096, protection, 0, 0, 0);
    }
    for (int i = 0; i < kRegions; i += 2) munmap(at[i], 2 * 4096);
    for (int i = 1; i < kRegions; i += 2) munmap(at[i], 2 * 4096);
}

static void number_text(long value, char* out) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0) *out++ = digits[--n];
    *out = '\0';
}

static int churn(long rounds) {
    for (int i = 0; i < kRoundsPerImage && rounds > 0; ++i, --rounds) churn_round();
    if (rounds <= 0) return 0;
    char count[24];
    number_text(rounds, count);
    for (int i = 0; i < kFiller; ++i) filler[i] = 'x';
    char* argv[] = {"procrace", "churn", count, filler, 0};
    execve("/bin/procrace", argv, 0);
    return 4;  // only if execve failed
}

// Whether a cmdline is the churner's own (or its parent's, before its first exec): empty, or
// "procrace\0" then lower-case letters, digits and NULs only.
static int plausible_cmdline(const char* text, long n) {
    static const char prefix[] = "procrace";
    if (n == 0) return 1;
    if (n < (long)sizeof prefix) return 0;
    for (long i = 0; i < (long)sizeof prefix; ++i) {
        if (text[i] != prefix[i]) return 0;
    }
    for (long i = 0; i < n; ++i) {
        const char c = text[i];
        if (c != '\0' && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) return 0;
    }
    return 1;
}

static long hex_at(const char** at) {
    long value = 0;
    for (;; ++*at) {
        const char c = **at;
        if (c >= '0' && c <= '9')
            value = value * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f')
            value = value * 16 + (c - 'a' + 10);
        else
            return value;
    }
}

// Whether every line of a maps text starts "START-END " with START below END.
static int plausible_maps(const char* text, long n) {
    for (const char* at = text; at < text + n;) {
        const long start = hex_at(&at);
        if (*at++ != '-') return 0;
        const long end = hex_at(&at);
        if (*at != ' ' || start >= end) return 0;
        while (at < text + n && *at != '\n') ++at;
        ++at;
    }
    return 1;
}

static char buffer[32768];

// /proc/PID/NAME into buffer (all of it, as it fits): its length, or -1 when it cannot be opened
// (PID is gone).
static long read_proc(long pid, const char* name) {
    char path[64] = "/proc/";
    size_t at = 6;
    number_text(pid, path + at);
    at = strlen(path);
    path[at++] = '/';
    for (size_t i = 0; name[i] != '\0'; ++i) path[at++] = name[i];
    path[at] = '\0';
    const int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    // One read: each makes the text anew, so a second could start in the middle of another.
    const ssize_t n = read(fd, buffer, sizeof buffer);
    close(fd);
    return n > 0 ? n : 0;
}

// One pass over the churner's files: -1 once it is gone, else how many reads were implausible.
static long read_once(long pid) {
    const long n = read_proc(pid, "cmdline");
    if (n < 0) return -1;
    const long bad = plausible_cmdline(buffer, n) ? 0 : 1;
    if (bad != 0) printf("procrace: pid %ld's cmdline was %ld bytes not its own\n", pid, n);
    const long maps = read_proc(pid, "maps");
    if (maps > 0 && !plausible_maps(buffer, maps)) {
        printf("procrace: pid %ld's maps had a line that is no region\n", pid);
        return bad + 1;
    }
    (void)read_proc(pid, "stat");
    (void)read_proc(pid, "status");
    return bad;
}

static int reader(long pid) {
    long bad = 0;
    for (long got; (got = read_once(pid)) >= 0;) bad += got;
    return bad != 0 ? 1 : 0;
}

int main(int argc, char** argv) {
    if (argc >= 3 && argv[1][0] == 'c') return churn(parse_number(argv[2]));
    const long rounds = argc >= 2 ? parse_number(argv[1]) : 200;
    const long churner = fork();
    if (churner == 0) return churn(rounds);
    if (churner < 0) return 2;
    long readers[kReaders];
    for (int i = 0; i < kReaders; ++i) {
        readers[i] = fork();
        if (readers[i] == 0) return reader(churner);
    }
    long reads = 0, bad = 0;
    int status = -1;
    while (waitpid(churner, &status, WNOHANG) != churner) {
        const long got = read_once(churner);
        if (got > 0) bad += got;
        ++reads;
    }
    int readers_bad = 0;
    for (int i = 0; i < kReaders; ++i) {
        int reader_status = -1;
        if (readers[i] > 0 && waitpid(readers[i], &reader_status, 0) == readers[i])
            readers_bad += reader_status != 0;
    }
    printf(
        "procrace: %ld rounds, churner status %d; %ld reads here, %ld implausible; "
        "%d readers saw some\n",
        rounds, status, reads, bad, readers_bad);
    print(bad == 0 && readers_bad == 0 && status == 0 ? "procrace: the kernel is still here\n"
                                                      : "procrace: failed\n");
    return bad == 0 && readers_bad == 0 && status == 0 ? 0 : 1;
}
