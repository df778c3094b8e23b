#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""User programs stay under the kernel's control: Ctrl-C and kill end them (a waiting parent with
its child, a whole process group), only the foreground job reads the console, two run at once on
two harts, and ps names each by the program it executed. Programs that try to hurt the kernel (a
fork bomb, random syscalls, forged signal frames, /proc reads of a changing address space, running
out of memory, 1000 runs in a row) hurt only themselves, and every page comes back."""
import argparse
import re
import tempfile
import time

from harness import KeelShell, run_checks
from user_programs import free_pages, glibc_program, make_initrd

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (keel's programs)")
parser.add_argument("--skip", action="append", default=[], metavar="CHECK",
                    help="leave this check out (the other toolchain's run leaves out the longest)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

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


def boot(initrd=None, **options):
    return KeelShell(args.kernel, extra=["-initrd", initrd or args.initrd], **options)


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
    only_the_foreground_job_reads_the_console,
    ctrl_c_kills_the_foreground_program,
    a_program_that_lives_in_syscalls_is_preempted_and_ends_on_ctrl_c,
    ctrl_c_ends_a_waiting_parent_and_its_spinning_child,
    a_fork_bomb_is_capped_and_killed_whole,
    ps_names_a_process_by_the_program_it_executed,
    two_programs_run_in_parallel_on_two_harts,
    random_syscalls_hurt_neither_the_kernel_nor_its_memory,
    forged_signal_frames_hurt_only_their_forger,
    proc_reads_of_a_changing_address_space_hurt_nothing,
    running_out_of_memory_kills_only_the_program_that_wanted_more,
    a_thousand_runs_leak_no_page,
]
run_checks([c for c in CHECKS if c.__name__ not in args.skip], only=args.checks)
