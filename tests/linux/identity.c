// SPDX-License-Identifier: MIT
// Who a process is and what the machine is called, and the kernel log's syslog(2), where two
// correct kernels agree: root's ids from every get call, root "changing" to root through every set
// call, an empty group list, sethostname and setdomainname read back through uname, and syslog's
// errors and the shape of what it reads (not the lines: those are each kernel's own), and
// sched_getaffinity (the CPUs, whatever their number). The names
// are put back as they were at the end.
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "report.h"

static void ids(void) {
    header("ids");
    uid_t r = 9, e = 9, s = 9;
    ok("getresuid", getresuid(&r, &e, &s));
    printf("uids: %u %u %u %u %u\n", getuid(), geteuid(), r, e, s);
    gid_t gr = 9, ge = 9, gs = 9;
    ok("getresgid", getresgid(&gr, &ge, &gs));
    printf("gids: %u %u %u %u %u\n", getgid(), getegid(), gr, ge, gs);
    val("getgroups(0)", getgroups(0, NULL));
    gid_t list[4];
    val("getgroups(4)", getgroups(4, list));
    fails("getgroups(-1)", syscall(SYS_getgroups, -1, list));
    ok("setuid(0)", setuid(0));
    ok("setgid(0)", setgid(0));
    ok("setreuid(-1, 0)", setreuid(-1, 0));
    ok("setregid(0, -1)", setregid(0, -1));
    ok("setresuid(0, -1, 0)", setresuid(0, -1, 0));
    ok("setresgid(-1, -1, -1)", setresgid(-1, -1, -1));
    val("setfsuid(0)", setfsuid(0));
    val("setfsgid(0)", setfsgid(0));
    ok("setgroups(0)", setgroups(0, NULL));
    fails("setgroups(-1)", setgroups((size_t)-1, list));
    fails("setgroups of a bad list", setgroups(1, (gid_t*)8));
    printf("uid after the set calls: %u, euid %u\n", getuid(), geteuid());
}

static void print_names(void) {
    struct utsname u;
    ok("uname", uname(&u));
    printf("nodename: %s, domainname: %s, machine: %s\n", u.nodename, u.domainname, u.machine);
}

static void names(void) {
    header("names");
    struct utsname before;
    uname(&before);
    ok("sethostname", sethostname("box-7", 5));
    ok("setdomainname", setdomainname("example", 7));
    print_names();
    char name[80];
    ok("gethostname", gethostname(name, sizeof name));
    printf("gethostname: %s\n", name);
    ok("sethostname of 64 bytes",
       sethostname("0123456789012345678901234567890123456789012345678901234567890123", 64));
    print_names();
    fails("sethostname of 65 bytes",
          sethostname("01234567890123456789012345678901234567890123456789012345678901234", 65));
    fails("sethostname from a bad pointer", syscall(SYS_sethostname, 8, 4));
    ok("sethostname \"a\\0b\" (3 bytes)", sethostname("a\0b", 3));
    print_names();
    sethostname(before.nodename, strlen(before.nodename));
    setdomainname(before.domainname, strlen(before.domainname));
}

static void kernel_log(void) {
    header("syslog");
    static char text[1 << 20];
    fails("READ_ALL into NULL", klogctl(3, NULL, 10));
    fails("READ_ALL of a negative length", klogctl(3, text, -1));
    val("READ_ALL of 0 bytes", klogctl(3, text, 0));
    fails("an unknown action", klogctl(99, text, 10));
    fails("CONSOLE_LEVEL 0", klogctl(8, NULL, 0));
    fails("CONSOLE_LEVEL 9", klogctl(8, NULL, 9));
    ok("OPEN", klogctl(1, NULL, 0));
    ok("CLOSE", klogctl(0, NULL, 0));
    const int size = klogctl(10, NULL, 0);
    yes("SIZE_BUFFER is 16 KiB or more", size >= 16384);
    const int n = klogctl(3, text, (int)sizeof text);
    yes("READ_ALL reads something", n > 0);
    yes("...that starts with a level, <N>", n > 2 && text[0] == '<' && text[2] == '>');
    yes("...and ends a line", n > 0 && text[n - 1] == '\n');
    const int few = klogctl(3, text, 200);
    yes("READ_ALL of 200 bytes: whole lines, at most 200",
        few >= 0 && few <= 200 && (few == 0 || text[few - 1] == '\n'));
    fails("READ_ALL into a bad pointer", klogctl(3, (char*)8, 100));
    yes("SIZE_UNREAD is not negative", klogctl(9, NULL, 0) >= 0);
}

static void affinity(void) {
    header("sched_getaffinity");
    unsigned long mask[16] = {0};
    val("the call, 128 bytes", syscall(SYS_sched_getaffinity, 0, sizeof mask, mask));
    cpu_set_t set;
    ok("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    yes("CPU 0 is in it", CPU_ISSET(0, &set));
    yes("it has as many CPUs as get_nprocs says", CPU_COUNT(&set) == get_nprocs());
    val("of our own pid", syscall(SYS_sched_getaffinity, getpid(), 8, mask));
    fails("4 bytes", syscall(SYS_sched_getaffinity, 0, 4, mask));
    fails("12 bytes", syscall(SYS_sched_getaffinity, 0, 12, mask));
    fails("pid -1", syscall(SYS_sched_getaffinity, -1, 8, mask));
    fails("no such pid", syscall(SYS_sched_getaffinity, 4000000, 8, mask));
    fails("a bad pointer", syscall(SYS_sched_getaffinity, 0, 8, (void*)8));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ids();
    names();
    kernel_log();
    affinity();
    return 0;
}
