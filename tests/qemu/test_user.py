#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""User mode: programs from the initramfs run as processes, speak the Linux RISC-V syscall ABI,
and cannot hurt the kernel. keel's own programs (user/) and a C program built here with
riscv64-linux-gnu-gcc -static (glibc, unmodified) run; a fault kills only its program; 1000 runs
leave the page counters where they were. The test checks each program's output itself."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (keel's programs)")
parser.add_argument("--skip", action="append", default=[], metavar="CHECK",
                    help="leave this check out (the other toolchain's run leaves out the longest)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MKCPIO = os.path.join(ROOT, "scripts", "mkcpio")

GLIBC_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) printf("argv[%d] = %s\n", i, argv[i]);
    FILE* f = fopen("/etc/motd", "r");
    char line[200];
    if (f != NULL && fgets(line, sizeof line, f) != NULL) printf("motd: %s", line);
    char* big = malloc(8 << 20);
    if (big == NULL) return 1;
    for (int i = 0; i < (8 << 20); i += 4096) big[i] = (char)i;
    long sum = 0;
    for (int i = 0; i < (8 << 20); i += 4096) sum += big[i];
    printf("malloc 8 MiB: ok (%ld)\n", sum);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execl("/bin/exit3", "exit3", (char*)NULL);
        _exit(42);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("fork+exec: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 3;
}
"""


# Lists a directory with the raw getdents64 and checks each record to the byte: reclen covers
# exactly the header, the name, its NUL and zero padding to 8 (anything else there would be
# memory the kernel should not have handed out); then a buffer too small for one entry.
DENTS_PROGRAM = r"""
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
    int fd = open(argc > 1 ? argv[1] : "/", O_RDONLY | O_DIRECTORY);
    if (fd < 0) { printf("open: %d\n", fd); return 1; }
    static char buffer[4096];
    memset(buffer, 0x5a, sizeof buffer);
    long n = syscall(SYS_getdents64, fd, buffer, sizeof buffer);
    int bad = 0;
    for (long at = 0; at < n;) {
        unsigned short reclen = *(unsigned short*)(buffer + at + 16);
        const char* name = buffer + at + 19;
        size_t length = strnlen(name, reclen - 19);
        if (reclen != ((19 + length + 1 + 7) & ~7ul)) bad++;
        for (size_t i = 19 + length; i < reclen; i++) bad += buffer[at + i] != 0;
        printf("%s (%zu)\n", name, length);
        at += reclen;
    }
    lseek(fd, 0, SEEK_SET);
    char tiny[8];
    errno = 0;
    long small = syscall(SYS_getdents64, fd, tiny, sizeof tiny);
    printf("records %s; a buffer of 8: %ld (errno %d)\n", bad ? "BAD" : "ok", small, errno);
    return 0;
}
"""


# Leaves a child behind that reads the console for ever (and says what it got), in the
# foreground ("thief") or from a background job ("thief &").
THIEF_PROGRAM = r"""
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    pid_t child = fork();
    if (child == 0) {
        signal(SIGHUP, SIG_IGN);  // it outlives its session's terminal
        char buffer[64];
        for (;;) {
            ssize_t n = read(0, buffer, sizeof buffer - 1);
            if (n > 0) {
                buffer[n] = 0;
                printf("[the child stole '%s']\n", buffer);
                fflush(stdout);
            }
            if (n == 0) usleep(20000);
        }
    }
    printf("thief: child %d reads the console\n", child);
    fflush(stdout);
    usleep(100000);  // the child is blocked in its read by now
    return 0;
}
"""


def boot(initrd=None, **options):
    return KeelShell(args.kernel, extra=["-initrd", initrd or args.initrd], **options)


def free_pages(sh):
    return int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", sh.run("mem"), re.M)[1])


def glibc_program(work, name, source, static=True):
    """`source` built with riscv64-linux-gnu-gcc (static unless told) as work/NAME; its path."""
    gcc = shutil.which("riscv64-linux-gnu-gcc")
    assert gcc, "riscv64-linux-gnu-gcc not found: apt-get install g++-riscv64-linux-gnu (scripts/install-deps.sh)"
    source_path = os.path.join(work, name + ".c")
    with open(source_path, "w") as f:
        f.write(source)
    program = os.path.join(work, name)
    subprocess.run([gcc] + (["-static"] if static else []) + ["-O2", "-o", program, source_path],
                   check=True, timeout=120)
    return program


def make_initrd(work, *files, rootfs=False):
    """work/initrd.cpio of PATH=SOURCE `files` (and rootfs/ when asked); its path."""
    initrd = os.path.join(work, "initrd.cpio")
    command = [sys.executable, MKCPIO, initrd]
    if rootfs:
        command += ["--dir", os.path.join(ROOT, "rootfs")]
    for entry in files:
        command += ["--file", entry]
    subprocess.run(command, check=True, timeout=60)
    return initrd


def ctrl_c_ends_the_foreground_program(sh, timeout=10):
    sh.send(b"\x03")
    sh.expect(rb"\[pid \d+\] killed: interrupted by Ctrl-C \(SIGINT\)\n", timeout=timeout)
    sh.expect(rb"keel> ")


def wait_until_gone(sh, name, seconds=30):
    """Until `ps` lists no task called `name` (killed tasks end at their next preemption)."""
    deadline = time.time() + seconds
    while re.search(rf"^ +\d+  {name} ", sh.run("ps", timeout=30), re.M):
        assert time.time() < deadline, f"{name} tasks are left"
        time.sleep(0.5)


def usertests_checks():
    """How many checks usertests makes: each test(...) call in user/usertests.c runs once (none is
    in a loop), so a run that skips any (a fork or a jump gone wrong) shows as fewer."""
    with open(os.path.join(ROOT, "user", "usertests.c")) as source:
        return len(re.findall(r"^\s*test\(", source.read(), re.M))


def usertests_pass():
    # Two harts: a child killed before it runs gets a hart of its own, where nothing but the
    # kill's own handling can stop it.
    with boot(smp=2) as sh:
        out = sh.run("usertests", timeout=30)
        result = re.search(r"^usertests: (\d+) passed, (\d+) failed$", out, re.M)
        assert result and (int(result[1]), int(result[2])) == (usertests_checks(), 0), \
            f"want all {usertests_checks()} checks passed:\n{out}"
        # The unknown syscall goes to the kernel log, not the console the program writes on; it is
        # logged once, by number; 5000 and -1 after it share its bit (every number from 511 on
        # does), so a program cannot flood the log with them.
        assert "is not implemented" not in out, out
        log = sh.run("dmesg")
        assert re.findall(r"^\[ *\d+\.\d{6}\] usertests\[\d+\]: syscall (\d+) is not implemented: -ENOSYS$",
                          log, re.M) == ["999"], log


def keel_programs_run_with_arguments_and_report_their_end():
    with boot() as sh:
        out = sh.run('hello one "two words"')
        pid = re.fullmatch(r"hello from user mode: pid (\d+), 3 arguments: hello one two words\n", out)
        assert pid, out
        assert sh.run("run hello") .startswith("hello from user mode: pid ")
        exited = re.fullmatch(r"\[pid (\d+)\] exit status 3\n", sh.run("exit3"))
        assert exited, "exit3's status"
        assert sh.run("run nothere") == "run: nothere: no such file\n"
        assert (sh.run("run /etc/motd") ==
                "run: /etc/motd: permission denied (not a regular file, or not executable)\n")


def a_fault_kills_only_its_program():
    with boot() as sh:
        before = free_pages(sh)
        out = sh.run("crash")
        killed = re.search(r"^crash\[(\d+)\]: store page fault at 0x0, pc 0x[0-9a-f]+ \u2014 killed\n"
                           r"\[pid (\d+)\] killed: memory fault \(SIGSEGV\)\n", out, re.M)
        assert killed and killed[1] == killed[2], out
        assert "still running" not in out, out
        assert sh.run("echo the shell goes on") == "the shell goes on\n"
        assert free_pages(sh) == before, "the killed program's pages did not all come back"


def glibc_static_program_runs_unmodified():
    with tempfile.TemporaryDirectory() as work:
        static = glibc_program(work, "prog", GLIBC_PROGRAM)
        dynamic = glibc_program(work, "dyn", GLIBC_PROGRAM, static=False)
        # The same program naming an interpreter made to clear the screen and ring the bell.
        interpreter = b"/lib/ld-linux-riscv64-lp64d.so.1"
        evil_name = b"\x1b[2J\x1b[31mEVIL\x07".ljust(len(interpreter), b"A")
        evil = os.path.join(work, "evil")
        with open(dynamic, "rb") as f:
            data = f.read()
        assert data.count(interpreter + b"\0") == 1
        with open(evil, "wb") as f:
            f.write(data.replace(interpreter + b"\0", evil_name + b"\0"))
        exit3 = os.path.join(os.path.dirname(args.initrd), "user", "exit3")
        initrd = make_initrd(work, f"bin/prog={static}", f"bin/dyn={dynamic}", f"bin/evil={evil}",
                             f"bin/exit3={exit3}", rootfs=True)
        motd = open(os.path.join(ROOT, "rootfs", "etc", "motd")).readline()
        with boot(initrd) as sh:
            before = free_pages(sh)
            out = sh.run("prog alpha beta", timeout=30)
            expected = (f"argv[0] = prog\nargv[1] = alpha\nargv[2] = beta\nmotd: {motd}"
                        f"malloc 8 MiB: ok ({sum((i % 256) - 256 * ((i % 256) > 127) for i in range(0, 8 << 20, 4096))})\n")
            assert out.startswith(expected + "fork+exec: child exited 3\n"), out
            assert re.search(r"^\[pid \d+\] exit status 3$", out, re.M), out
            assert free_pages(sh) == before, "the program's 8 MiB did not all come back"
            refused = sh.run("dyn")
            assert refused == "dyn: dynamically linked: it needs the interpreter /lib/ld-linux-riscv64-lp64d.so.1\n", refused
            # The file's bytes are shown escaped: they reach the terminal as text, not commands.
            refused = sh.run("evil")
            assert refused == ("evil: dynamically linked: it needs the interpreter "
                               "\\x1b[2J\\x1b[31mEVIL\\x07" + "A" * (len(interpreter) - 14) + "\n"), repr(refused)


def getdents64_hands_out_whole_records_and_nothing_else():
    with tempfile.TemporaryDirectory() as work:
        program = glibc_program(work, "dents", DENTS_PROGRAM)
        motd = os.path.join(ROOT, "rootfs", "etc", "motd")
        deep = "d" * 70  # longer than a fixed path buffer would hold
        initrd = make_initrd(work, f"bin/dents={program}", f"{'L' * 300}={motd}",
                             f"{'M' * 255}={motd}", f"{deep}/inner={motd}")
        with boot(initrd) as sh:
            root = sh.run("dents /", timeout=30)
            # A name past NAME_MAX (255) is not listed: no program could open it. (/dev and /proc
            # are made at boot.)
            assert root == (f". (1)\n.. (2)\n{'M' * 255} (255)\nbin (3)\n{deep} (70)\ndev (3)\n"
                            "proc (4)\nrecords ok; a buffer of 8: -1 (errno 22)\n"), root
            assert (sh.run(f"dents /{deep}", timeout=30) ==
                    ". (1)\n.. (2)\ninner (5)\nrecords ok; a buffer of 8: -1 (errno 22)\n")


def a_program_runs_where_the_machines_devices_and_ram_are():
    # exit3 with its code segment moved to where virt has its test finisher, its UART and keel's
    # own image physically: nothing of the kernel's is mapped in the lower half, so each runs.
    import struct
    with open(os.path.join(os.path.dirname(args.initrd), "user", "exit3"), "rb") as f:
        original = bytes(f.read())
    entry, phoff = struct.unpack_from("<QQ", original, 24)
    phentsize, phnum = struct.unpack_from("<HH", original, 54)
    first = next(phoff + i * phentsize for i in range(phnum)
                 if struct.unpack_from("<I", original, phoff + i * phentsize)[0] == 1)  # PT_LOAD
    vaddr = struct.unpack_from("<Q", original, first + 16)[0]
    places = (0x100000, 0x10000000, 0x80200000)
    with tempfile.TemporaryDirectory() as work:
        files = []
        for place in places:
            data = bytearray(original)
            struct.pack_into("<QQ", data, first + 16, place, place)
            struct.pack_into("<Q", data, 24, entry - vaddr + place)
            moved = os.path.join(work, f"at{place:x}")
            with open(moved, "wb") as f:
                f.write(data)
            files.append(f"bin/at{place:x}={moved}")
        initrd = make_initrd(work, *files)
        with boot(initrd) as sh:
            before = free_pages(sh)
            for place in places:
                out = sh.run(f"at{place:x}")
                assert out.endswith("exit status 3\n"), f"{place:#x}: {out}"
            assert free_pages(sh) == before


def only_the_foreground_job_reads_the_console():
    # Once the shell's wait for a program ends, the console is the shell's again: a child the
    # program left behind (ignoring the SIGHUP its session's end sends), blocked in a read or not,
    # reads end of file and steals no key; so does every process of a background job, which has no
    # terminal. (Before, such a child took every line for good.)
    with tempfile.TemporaryDirectory() as work:
        initrd = make_initrd(work, f"bin/thief={glibc_program(work, 'thief', THIEF_PROGRAM)}")
        for smp in (1, 2):
            with boot(initrd, smp=smp) as sh:
                child = re.search(r"thief: child (\d+) reads", sh.run("thief", timeout=30))[1]
                for word in ("one", "two", "three"):
                    assert sh.run(f"echo {word}", timeout=10) == f"{word}\n"
                assert sh.run(f"kill {child}", timeout=10) == f"kill: process {child} killed (SIGKILL)\n"
                sh.type("thief &\r")
                # The shell's line, the program's and its end come from different tasks, in any
                # order (the program may even be done before the shell says it started).
                started, _, done = sh.expect_all([rb"\[pid (\d+)\] thief runs in the background\n",
                                                  rb"thief: child \d+ reads the console\n",
                                                  rb"\[pid (\d+)\] thief done, exit status 0\n"], timeout=30)
                job = started[1].decode()
                assert done[1].decode() == job, (job, done[0])
                for word in ("four", "five"):
                    assert sh.run(f"echo {word}", timeout=10) == f"{word}\n"
                assert "stole" not in sh.text(), sh.text()[-600:]
                # Its first process is gone; its id still names its process group, and ends what is
                # left.
                assert sh.run(f"kill {job}", timeout=10) == f"kill: process group {job} killed (SIGKILL)\n"
                wait_until_gone(sh, "thief")


def forktest_passes():
    with boot(smp=2) as sh:
        before = free_pages(sh)
        out = sh.run("forktest", timeout=60)
        assert out.endswith("forktest: ok\n"), out
        assert re.search(r"^forktest\[\d+\]: store page fault at 0x0, pc 0x[0-9a-f]+ \u2014 killed$", out, re.M), out
        assert free_pages(sh) == before, "forked children's pages did not all come back"


def ls_and_cat_read_the_initramfs():
    # keel's own ls and cat (busybox's applets have their names: /bin/keel-ls, /bin/keel-cat)
    listing = subprocess.run(["cpio", "-it"], stdin=open(args.initrd, "rb"), capture_output=True,
                             text=True, check=True, timeout=30).stdout.split()
    programs = sorted(name[len("bin/"):] for name in listing if name.startswith("bin/"))
    with boot() as sh:
        assert sh.run("keel-ls /bin").split() == programs
        # / holds the archive's top-level entries (directories with a "/"), and /dev and /proc,
        # made at boot.
        verbose = subprocess.run(["cpio", "-itv"], stdin=open(args.initrd, "rb"), capture_output=True,
                                 text=True, check=True, timeout=30).stdout.splitlines()
        names = [(line.split(" -> ")[0].split()[-1], line[0]) for line in verbose]
        top = {name + ("/" if kind == "d" else "") for name, kind in names
               if "/" not in name and name != "."}
        assert sorted(sh.run("keel-ls").split()) == sorted(top | {"dev/", "proc/"})
        assert sh.run("keel-cat /etc/motd") == open(os.path.join(ROOT, "rootfs", "etc", "motd")).read()
        assert re.fullmatch(r"ls: /nope: No such file or directory\n\[pid \d+\] exit status 1\n",
                            sh.run("keel-ls /nope"))


def a_program_reads_the_console_line_by_line():
    with boot() as sh:
        sh.type("cat\r")
        sh.expect(rb"cat\r?\n")
        sh.type("typed at keel\r")
        sh.expect(rb"typed at keel\r?\n")  # the echo
        sh.expect(rb"typed at keel\r?\n")  # cat's copy
        sh.type(b"\x04")  # Ctrl-D: end of file
        sh.expect(rb"keel> ")
        assert sh.run("echo back") == "back\n"


def ctrl_c_kills_the_foreground_program():
    with boot() as sh:
        before = free_pages(sh)
        sh.type("primes 900000000\r")
        sh.expect(rb"primes 900000000\r?\n")
        ctrl_c_ends_the_foreground_program(sh)
        assert free_pages(sh) == before


def a_program_that_lives_in_syscalls_is_preempted_and_ends_on_ctrl_c():
    # The tick that ends its slice mostly lands while the kernel serves one of its calls, where
    # no switch may happen: the syscall's return must be a preemption point too.
    with boot() as sh:
        before = free_pages(sh)
        sh.type("sysspin &\r")
        # The shell's line (and its prompt after it) and the program's come from different tasks,
        # in any order: a quick start prints the program's first.
        sh.expect_all([rb"\[pid \d+\] sysspin runs in the background\n",
                       rb"sysspin: calling getpid forever\n"])
        for word in ("one", "two", "three"):
            assert sh.run(f"echo {word}", timeout=5) == f"{word}\n"
        pid = re.search(r"^ +(\d+)  sysspin ", sh.run("ps", timeout=5), re.M)[1]
        start = len(sh.output)
        out = sh.run(f"kill {pid}", timeout=5)
        assert f"kill: process group {pid} killed (SIGKILL)\n" in out, out
        sh.expect(rb"sysspin killed: by kill \(SIGKILL\)\n", timeout=10, since=start)
        sh.type("sysspin\r")
        sh.expect(rb"sysspin: calling getpid forever\n")
        ctrl_c_ends_the_foreground_program(sh)
        assert free_pages(sh) == before, (before, sh.run("mem"), sh.run("ps"))


def ctrl_c_ends_a_waiting_parent_and_its_spinning_child():
    with boot(smp=2) as sh:
        before = free_pages(sh), sh.run("mem").splitlines()[-1]
        sh.type("waitspin\r")
        child = sh.expect(rb"waitspin: child (\d+) spins; waiting for it\n")[1].decode()
        # The parent waits in wait4: Ctrl-C must still end it, and its child.
        ctrl_c_ends_the_foreground_program(sh)
        time.sleep(0.5)
        assert not re.search(rf"^ +{child}  ", sh.run("ps"), re.M), "the child is still there"
        # Parent and child gone, nobody waited for the child: every page came back.
        assert (free_pages(sh), sh.run("mem").splitlines()[-1]) == before


def ps_names_a_process_by_the_program_it_executed():
    # execve renames a process (Linux's comm): keel's ps must show `sleep` for a shell that
    # exec'd it, not the `sh` it was started as.
    with boot(smp=2) as sh:
        sh.type('sh -c "exec /bin/sleep 4" &\r')
        pid = sh.expect(rb"\[pid (\d+)\] sh runs in the background\n")[1].decode()
        until = time.monotonic() + 3
        while not re.search(rf"^ +{pid}  sleep ", ps := sh.run("ps"), re.M):
            assert time.monotonic() < until, ps
            time.sleep(0.2)
    # So does prctl(PR_SET_NAME).
    with tempfile.TemporaryDirectory() as work:
        namer = glibc_program(work, "namer", NAMER_PROGRAM)
        with boot(make_initrd(work, f"bin/namer={namer}")) as sh:
            sh.type("namer &\r")
            pid = sh.expect(rb"\[pid (\d+)\] namer runs in the background\n")[1].decode()
            sh.expect(rb"namer: renamed\n")
            assert re.search(rf"^ +{pid}  renamed ", ps := sh.run("ps"), re.M), ps


NAMER_PROGRAM = r"""
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
int main(void) {
    if (prctl(PR_SET_NAME, "renamed") != 0) return 1;
    printf("namer: renamed\n");
    fflush(stdout);
    sleep(3);
    return 0;
}
"""


def a_fork_bomb_is_capped_and_killed_whole():
    # Every forkbomb process forks for ever: processes stop at their cap of tasks, the shell
    # still answers, and one kill of its process group (the first process's id) ends them all.
    with boot(smp=2, deadline=180) as sh:
        before = free_pages(sh), sh.run("mem").splitlines()[-1]
        sh.type("forkbomb &\r")
        # (The shell's line and the program's first line promise no order.)
        started, _ = sh.expect_all([rb"\[pid (\d+)\] forkbomb runs in the background\n",
                                    rb"forkbomb: every process forks for ever\n"])
        group = started[1].decode()
        time.sleep(2)
        assert sh.run("echo still here", timeout=30) == "still here\n"
        tasks = int(re.search(r"^tasks: (\d+) tasks? in", sh.run("mem", timeout=30), re.M)[1])
        assert tasks >= 192, tasks  # the cap was reached (192 processes, and the kernel's own)
        out = sh.run(f"kill {group}", timeout=30)
        # (The group's end may be reported right after it, in the same output: no order is promised.)
        assert re.search(rf"^kill: process group {group} killed \(SIGKILL\)$", out, re.M), out
        wait_until_gone(sh, "forkbomb")
        assert (free_pages(sh), sh.run("mem").splitlines()[-1]) == before
        assert sh.run("hello", timeout=30).startswith("hello from user mode")
        # In the foreground, Ctrl-C ends it the same way.
        sh.type("forkbomb\r")
        sh.expect(rb"forkbomb: every process forks for ever\n")
        time.sleep(1)
        ctrl_c_ends_the_foreground_program(sh, timeout=30)
        wait_until_gone(sh, "forkbomb")
        assert (free_pages(sh), sh.run("mem").splitlines()[-1]) == before


def random_syscalls_hurt_neither_the_kernel_nor_its_memory():
    # sysfuzz: 20000 calls with random numbers and arguments (null, kernel and user addresses,
    # across the end of its memory...). A program may hurt itself that way; the kernel must answer
    # every call, stay up, and get every page back.
    with boot(smp=2) as sh:
        before = free_pages(sh), sh.run("mem").splitlines()[-1]
        finished = 0
        for seed in (1, 2, 3, 4):
            out = sh.run(f"sysfuzz 20000 {seed}", timeout=60)
            finished += "the kernel is still here" in out
            # (A call told to fill gigabytes of its own memory may use up RAM: then it alone is
            # killed, as Linux's OOM killer would.)
            assert re.search(r"sysfuzz: 20000 calls made|killed: memory fault|"
                             r"out of memory at 0x[0-9a-f]+ \u2014 killed", out), out
        assert finished >= 3, f"only {finished} of 4 runs got through their calls"
        assert sh.run("echo alive") == "alive\n"
        assert (free_pages(sh), sh.run("mem").splitlines()[-1]) == before


def forged_signal_frames_hurt_only_their_forger():
    # sigfuzz: 400 children each hand rt_sigreturn a forged frame (random bytes, or an accepted
    # frame whose pc points into the kernel, whose sp is anywhere and whose mask holds SIGKILL):
    # each dies of its fault's signal, none reaches S-mode state, the kernel stays up and every
    # page comes back.
    with boot(smp=2) as sh:
        before = free_pages(sh), sh.run("mem").splitlines()[-1]
        for seed in (1, 2):
            out = sh.run(f"sigfuzz 200 {seed}", timeout=120)
            done = re.search(r"sigfuzz: 200 forged frames: (\d+) SIGSEGV, .*, (\d+) exits; "
                             r"the kernel is still here", out)
            assert done and int(done[1]) > 100, out[-2000:]
        assert sh.run("echo alive") == "alive\n"
        assert (free_pages(sh), sh.run("mem").splitlines()[-1]) == before


def proc_reads_of_a_changing_address_space_hurt_nothing():
    # procrace: a child mmaps, touches, mprotects and munmaps dozens of regions, and execs itself
    # every few rounds (which frees its old tables, pages and region list), while two other
    # children and the parent read its /proc/PID/cmdline, maps, stat and status, on four harts.
    # The kernel must stay up, every cmdline must be the churner's own bytes (never those of a
    # page gone to someone else) and every page must come back.
    with boot(smp=4, deadline=300) as sh:
        before = free_pages(sh), sh.run("mem").splitlines()[-1]
        out = sh.run("procrace 120", timeout=90)
        assert "procrace: the kernel is still here" in out, out[-2000:]
        assert sh.run("echo alive") == "alive\n"
        assert (free_pages(sh), sh.run("mem").splitlines()[-1]) == before


def two_programs_run_in_parallel_on_two_harts():
    with boot(smp=2) as sh:
        first = re.search(r"\[pid (\d+)\]", sh.run("primes 900000000 &"))[1]
        second = re.search(r"\[pid (\d+)\]", sh.run("primes 900000000 &"))[1]
        time.sleep(1)
        ps = sh.run("ps")
        rows = re.findall(r"^ +(\d+)  primes +(?:running|runnable) +(\d+) +(\d+) ", ps, re.M)
        assert sorted(r[0] for r in rows) == sorted([first, second]), ps
        assert len({r[1] for r in rows}) == 2, f"both on one hart:\n{ps}"
        # Both ran most of the second since they started: at once, on the two harts (the one
        # that shares a hart with the shell shows runnable while ps itself runs).
        assert all(int(r[2]) > 600 for r in rows), f"not both busy:\n{ps}"
        for pid in (first, second):
            sh.run(f"kill {pid}")
        # (Each end is reported when it comes: before the next prompt, or after it.)
        wait_until_gone(sh, "primes")
        assert sh.text().count("primes killed: by kill (SIGKILL)\n") == 2, sh.text()[-600:]


def debians_busybox_runs_unmodified():
    # Debian's busybox-static (1.6 MB, linked at 0x10000 with its text to 0x190440) from the
    # initramfs: echo, uname, cat and ls -l as Linux's busybox answers them (owners by the names
    # /etc/passwd and /etc/group give them), and no page lost.
    with boot() as sh:
        assert "bin/busybox" in subprocess.run(["cpio", "-it"], stdin=open(args.initrd, "rb"),
                                               capture_output=True, text=True).stdout, \
            "no busybox in the initramfs: scripts/fetch-debian-packages busybox-static fetches it"
        before = free_pages(sh)
        assert sh.run("busybox echo hello from busybox") == "hello from busybox\n"
        assert re.fullmatch(r"keel \S+ \S+ \S+ riscv64 GNU/Linux\n", sh.run("busybox uname -a"))
        with open(os.path.join(ROOT, "rootfs", "etc", "motd")) as motd:
            assert sh.run("busybox cat /etc/motd").endswith(motd.read())
        listing = sh.run("busybox ls -l /")
        assert re.search(r"^drwxr-xr-x +\d+ root +root +\d+ \w{3} +\d+ +[\d:]+ bin$", listing, re.M), listing
        assert re.search(r"^drwxr-xr-x .* etc$", listing, re.M), listing
        assert free_pages(sh) == before


def running_out_of_memory_kills_only_the_program_that_wanted_more():
    # hog writes to page after page of a 64 GiB MAP_NORESERVE mapping on a 32 MiB machine: the
    # kernel runs out of pages and kills hog with one line saying so; the kernel, the shell and
    # hog's sleeping child carry on, and every page comes back.
    # The same when the kernel's own copy for it (getrandom into all of it) runs out.
    with boot(mem="32M") as sh:
        before = free_pages(sh)
        for command in ("hog", "hog syscall"):
            out = sh.run(command, timeout=60)
            assert re.search(r"^hog\[(\d+)\]: out of memory at 0x[0-9a-f]+ \u2014 killed\n"
                             r"\[pid \1\] killed: by kill \(SIGKILL\)\n\Z", out, re.M), out
            sh.expect(rb"hog's child: still here\n", timeout=10)
            assert sh.run("echo alive") == "alive\n"
            wait_until_gone(sh, "hog")
            assert free_pages(sh) == before, command


def a_thousand_runs_leak_no_page():
    with boot() as sh:
        sh.run("hello")  # the first run's tables for the initramfs page: warm, then count
        before = free_pages(sh)
        for _ in range(1000):  # one after another, as typed at the prompt
            assert sh.run("hello", timeout=20).startswith("hello from user mode: pid ")
        assert free_pages(sh) == before


CHECKS = [
    usertests_pass,
    keel_programs_run_with_arguments_and_report_their_end,
    a_fault_kills_only_its_program,
    glibc_static_program_runs_unmodified,
    getdents64_hands_out_whole_records_and_nothing_else,
    a_program_runs_where_the_machines_devices_and_ram_are,
    only_the_foreground_job_reads_the_console,
    forktest_passes,
    ls_and_cat_read_the_initramfs,
    a_program_reads_the_console_line_by_line,
    ctrl_c_kills_the_foreground_program,
    a_program_that_lives_in_syscalls_is_preempted_and_ends_on_ctrl_c,
    ctrl_c_ends_a_waiting_parent_and_its_spinning_child,
    a_fork_bomb_is_capped_and_killed_whole,
    ps_names_a_process_by_the_program_it_executed,
    two_programs_run_in_parallel_on_two_harts,
    random_syscalls_hurt_neither_the_kernel_nor_its_memory,
    forged_signal_frames_hurt_only_their_forger,
    proc_reads_of_a_changing_address_space_hurt_nothing,
    debians_busybox_runs_unmodified,
    running_out_of_memory_kills_only_the_program_that_wanted_more,
    a_thousand_runs_leak_no_page,
]
run_checks([c for c in CHECKS if c.__name__ not in args.skip], only=args.checks)
