#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""User mode: programs from the initramfs run as processes, speak the Linux RISC-V syscall ABI,
and cannot hurt the kernel. keel's own programs (user/) and a C program built here with
riscv64-linux-gnu-gcc -static (glibc, unmodified) run; a fault kills only its program and gives
every page back. The test checks each program's output itself. (test_user_control.py: programs
ended, kept off the console, and trying to hurt the kernel.)"""
import argparse
import os
import re
import subprocess
import tempfile

from harness import KeelShell, run_checks
from user_programs import ROOT, free_pages, glibc_program, make_initrd

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (keel's programs)")
parser.add_argument("--skip", action="append", default=[], metavar="CHECK",
                    help="leave this check out")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

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


def boot(initrd=None, **options):
    return KeelShell(args.kernel, extra=["-initrd", initrd or args.initrd], **options)


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


CHECKS = [
    usertests_pass,
    keel_programs_run_with_arguments_and_report_their_end,
    a_fault_kills_only_its_program,
    glibc_static_program_runs_unmodified,
    getdents64_hands_out_whole_records_and_nothing_else,
    a_program_runs_where_the_machines_devices_and_ram_are,
    forktest_passes,
    ls_and_cat_read_the_initramfs,
    a_program_reads_the_console_line_by_line,
    debians_busybox_runs_unmodified,
]
run_checks([c for c in CHECKS if c.__name__ not in args.skip], only=args.checks)
