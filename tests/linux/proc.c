// SPDX-License-Identifier: MIT
// /proc, sysinfo, mount and umount2 as Linux has them: what /proc/self says of the caller (stat,
// cmdline, exe, fd, maps), the system files' keys and shapes, sysinfo against /proc/meminfo, and
// mount(2)/umount2(2)'s errnos with tmpfs and proc. proc is mounted first where it is not (Linux's
// reference init does not mount it).
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "report.h"

static char text[16384];

// The whole of a file into `text`; its length, or -1.
static long slurp(const char* path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long total = 0;
    for (long n; (n = read(fd, text + total, sizeof text - 1 - (size_t)total)) > 0;) total += n;
    close(fd);
    text[total] = '\0';
    return total;
}

static void self_stat(void) {
    header("stat");
    yes("read", slurp("/proc/self/stat") > 0);
    int pid = 0, ppid = 0;
    char comm[64] = "", state = '?';
    int fields = sscanf(text, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
    val("fields parsed", fields);
    yes("pid is getpid", pid == getpid());
    printf("comm: %s\nstate: %c\n", comm, state);
    yes("ppid is getppid", ppid == getppid());
    int count = 1;
    for (const char* p = strrchr(text, ')'); *p; ++p) count += *p == ' ';
    val("fields", count);
    slurp("/proc/self/comm");
    printf("comm file: %s", text);
}

static void self_cmdline(int argc, char** argv) {
    header("cmdline");
    long n = slurp("/proc/self/cmdline");
    long expected = 0;
    for (int i = 0; i < argc; ++i) expected += (long)strlen(argv[i]) + 1;
    yes("length is argv's", n == expected);
    long at = 0;
    int same = 1;
    for (int i = 0; i < argc && same; ++i) {
        same = strcmp(text + at, argv[i]) == 0;
        at += (long)strlen(argv[i]) + 1;
    }
    yes("argv", same);
    char target[256] = "";
    long length = readlink("/proc/self/exe", target, sizeof target - 1);
    yes("exe is a link", length > 0);
    const char* base = strrchr(target, '/');
    printf("exe's name: %s\n", base ? base + 1 : target);
    yes("exe is absolute", target[0] == '/');
    yes("exe is argv[0]'s file", access(target, X_OK) == 0);
}

static void self_fds(void) {
    header("fd");
    int a = open("/dev/null", O_RDONLY);
    int b = open("/proc/self/stat", O_RDONLY);
    val("first", a);
    DIR* dir = opendir("/proc/self/fd");
    int seen_a = 0, seen_b = 0, seen_0 = 0;
    for (struct dirent* e; dir && (e = readdir(dir));) {
        seen_a |= atoi(e->d_name) == a && e->d_name[0] != '.';
        seen_b |= atoi(e->d_name) == b && e->d_name[0] != '.';
        seen_0 |= strcmp(e->d_name, "0") == 0;
        if (e->d_name[0] != '.' && e->d_type != DT_LNK) printf("not a link: %s\n", e->d_name);
    }
    if (dir) closedir(dir);
    yes("listed 0", seen_0);
    yes("listed both", seen_a && seen_b);
    char path[64], target[256] = "";
    snprintf(path, sizeof path, "/proc/self/fd/%d", a);
    long n = readlink(path, target, sizeof target - 1);
    printf("fd link: %s (%ld)\n", target, n);
    close(a);
    close(b);
    fails("closed fd's link", readlink(path, target, sizeof target));
    int pipes[2];
    ok("pipe", pipe(pipes));
    snprintf(path, sizeof path, "/proc/self/fd/%d", pipes[0]);
    memset(target, 0, sizeof target);
    readlink(path, target, sizeof target - 1);
    yes("pipe link", strncmp(target, "pipe:[", 6) == 0);
    close(pipes[0]);
    close(pipes[1]);
    // Links into /proc itself: a descriptor of /proc/self/fd, and a working directory there.
    char expected[64];
    snprintf(expected, sizeof expected, "/proc/%d/fd", getpid());
    int dir_fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "/proc/self/fd/%d", dir_fd);
    memset(target, 0, sizeof target);
    n = readlink(path, target, sizeof target - 1);
    yes("an fd of /proc/self/fd links to /proc/PID/fd", n > 0 && strcmp(target, expected) == 0);
    struct stat st;
    ok("lstat of that link", lstat(path, &st));
    printf("its mode %o, size %ld\n", st.st_mode, (long)st.st_size);
    close(dir_fd);
    ok("chdir /proc/self/fd", chdir("/proc/self/fd"));
    memset(target, 0, sizeof target);
    n = readlink("/proc/self/cwd", target, sizeof target - 1);
    yes("cwd links to /proc/PID/fd", n > 0 && strcmp(target, expected) == 0);
    ok("chdir /", chdir("/"));
}

static void self_maps(void) {
    header("maps");
    void* heap = malloc(100);
    slurp("/proc/self/maps");
    char* stack = strstr(text, "[stack]");
    char* heap_line = strstr(text, "[heap]");
    yes("stack", stack != NULL);
    yes("heap", heap_line != NULL);
    for (char* name = stack; name; name = name == stack ? heap_line : NULL) {
        char* line = name;
        while (line > text && line[-1] != '\n') --line;
        char* perms = strchr(line, ' ');
        printf("%s perms: %.4s\n", name == stack ? "stack" : "heap", perms ? perms + 1 : "?");
    }
    free(heap);
}

// A /proc/meminfo value, kB; -1 when the key is missing.
static long meminfo(const char* key) {
    slurp("/proc/meminfo");
    char* at = strstr(text, key);
    return at ? atol(at + strlen(key) + 1) : -1;
}

static void system_files(void) {
    header("system");
    long total = meminfo("MemTotal"), free_kb = meminfo("MemFree");
    yes("MemTotal", total > 0);
    yes("MemFree", free_kb > 0 && free_kb <= total);
    yes("MemAvailable", meminfo("MemAvailable") >= 0);
    yes("Cached", meminfo("Cached") >= 0);
    struct sysinfo info;
    ok("sysinfo", sysinfo(&info));
    total = meminfo("MemTotal");
    double ram = (double)info.totalram * info.mem_unit / 1024.0;
    yes("totalram is MemTotal", ram > total * 0.97 && ram < total * 1.03);
    yes("freeram below totalram", info.freeram <= info.totalram);
    yes("procs", info.procs >= 1);
    yes("loads", info.loads[0] < (10u << 16));
    slurp("/proc/loadavg");
    double l1, l5, l15;
    int running, all, last;
    val("loadavg fields",
        sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &all, &last));
    yes("running", running >= 1 && running <= all);
    slurp("/proc/uptime");
    double up, idle;
    val("uptime fields", sscanf(text, "%lf %lf", &up, &idle));
    yes("uptime agrees", up + 1 >= info.uptime && up <= info.uptime + 2);
    slurp("/proc/stat");
    yes("stat cpu", strncmp(text, "cpu ", 4) == 0);
    yes("stat btime", strstr(text, "\nbtime ") != NULL);
    yes("mounts proc", slurp("/proc/mounts") > 0 && strstr(text, " /proc proc ") != NULL);
    struct statfs fs;
    ok("statfs", statfs("/proc", &fs));
    printf("f_type: %#lx\n", (unsigned long)fs.f_type);
    struct stat st;
    ok("stat meminfo", stat("/proc/meminfo", &st));
    printf("mode %o size %ld\n", st.st_mode, (long)st.st_size);
}

static void mounts(void) {
    header("mount");
    mkdir("/mnt-t", 0755);
    mkdir("/mnt-p", 0755);
    close(open("/mnt-file", O_CREAT | O_WRONLY, 0644));
    fails("missing target", mount("none", "/no/such", "tmpfs", 0, NULL));
    fails("unknown type", mount("none", "/mnt-t", "nosuchfs", 0, NULL));
    fails("bad type pointer", mount("none", "/mnt-t", (const char*)8, 0, NULL));
    fails("on a file", mount("none", "/mnt-file", "tmpfs", 0, NULL));
    fails("umount no mount point", umount2("/mnt-t", 0));
    fails("umount missing", umount2("/no/such", 0));
    fails("umount bad flags", umount2("/mnt-t", 0x40000000));
    ok("mount tmpfs", mount("none", "/mnt-t", "tmpfs", 0, NULL));
    struct statfs fs;
    statfs("/mnt-t", &fs);
    printf("tmpfs f_type: %#lx\n", (unsigned long)fs.f_type);
    int fd = open("/mnt-t/file", O_CREAT | O_RDWR, 0644);
    ok("write there", write(fd, "data", 4) == 4 ? 0 : -1);
    fails("umount busy", umount2("/mnt-t", 0));
    close(fd);
    ok("remount", mount("none", "/mnt-t", NULL, MS_REMOUNT, NULL));
    ok("umount tmpfs", umount2("/mnt-t", 0));
    fails("its file after", access("/mnt-t/file", F_OK));
    fails("remount no mount point", mount("none", "/mnt-t", NULL, MS_REMOUNT, NULL));
    ok("mount proc", mount("proc", "/mnt-p", "proc", 0, NULL));
    char self[64] = "";
    readlink("/mnt-p/self", self, sizeof self - 1);
    yes("its self", atoi(self) == getpid());
    ok("umount proc", umount2("/mnt-p", 0));
    rmdir("/mnt-t");
    rmdir("/mnt-p");
    unlink("/mnt-file");
}

int main(int argc, char** argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (access("/proc/self/stat", F_OK) != 0) {
        mkdir("/proc", 0555);
        if (mount("proc", "/proc", "proc", 0, NULL) != 0) printf("mount /proc: %s\n", en());
    }
    self_stat();
    self_cmdline(argc, argv);
    self_fds();
    self_maps();
    system_files();
    mounts();
    return 0;
}
