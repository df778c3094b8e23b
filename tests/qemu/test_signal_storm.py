#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A signal storm on 4 harts: tests/linux/signal-storm.c (glibc, in build/linux/initrd.cpio) runs
8 workers that signal each other and their group for 20 s (standard and real-time signals, handlers
that raise more, masks toggled, sigqueue, sigtimedwait, SIGSTOP/SIGCONT pairs, forks) while their
parent forks short-lived children and kills them at random moments (right after fork, racing their
exit or execve, stopped; stopped while a sibling exits, in its group and in a session of its own,
where no SIGHUP may come). Every line of its verdict must say yes (each real-time signal sent to
one process arrived once, in order; every child reaped with the status it earned; every worker
ended running), the storm must have been one (counts), keel's shell must answer in its midst (it
runs in the background), nothing of it may be left (ps), and every page must come back (mem).
Linux's own output for a short storm is tests/linux/signal-storm.out (qemu.linux runs it too)."""
import argparse
import re
import time

from harness import KeelShell, Timeout, run_checks, screen

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="build/linux/initrd.cpio (with signal-storm)")
parser.add_argument("--seconds", type=int, default=20, help="how long the storm lasts")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

VERDICT = [
    "8 workers in a process group of their own",
    "every worker finished sending, none left stopped",
    "every worker reported",
    "every worker exited 0",
    "real-time signals sent to one process arrived once each",
    "those of one sender arrived in the order sent",
    "real-time signals sent to the group arrived at most as often as sent, at least once",
    "every standard signal sent reached its target",
    "handlers saw their own signal, from a worker, with the sender's si_code",
    "nothing stayed pending once unblocked",
    "every child of a worker exited 7",
    "the parent's children all reaped, each as it exited or as it was killed",
]
# What makes it a storm even where 4 harts crawl (a loaded host): at least this many of each.
AT_LEAST = {"handled": 50, "sent": 50, "stop-continue pairs": 2, "worker forks": 1,
            "parent's children": 3, "SIGCHLD": 3}


def counters(sh):
    """mem's free pages, the caches' pages and the root tmpfs's pages of data (as qemu.files)."""
    mem = sh.run("mem", timeout=30)
    free = int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", mem, re.M)[1])
    caches = int(re.search(r"^caches: (\d+) pages", mem, re.M)[1])
    files = int(re.search(r"^files: tmpfs at / holds (\d+) pages of data", mem, re.M)[1])
    return free, caches, files


class Session:
    """The one boot the checks share: mem's counters from before the storm, what the console said
    from its start to its end, how long the shell took to answer in its midst."""
    sh = None
    before = None
    started = None
    out = ""
    end = None  # the shell's line on the storm's end: "[pid P] signal-storm done, exit status N"
    took = None
    answer = None  # seconds the shell took to answer in the midst of the storm (None: never)
    stuck = ""  # ps, when the storm did not end


def storm():
    """keel on 4 harts, after the storm (run on first use, in the background, so that the shell
    can be asked in its midst, and asked what is left should it not end)."""
    if Session.sh is None:
        sh = Session.sh = KeelShell(args.kernel, extra=["-initrd", args.initrd], smp=4,
                                    mem="256M", deadline=args.seconds + 120)
        Session.before = counters(sh)
        start = len(sh.output)
        Session.started = time.monotonic()
        sh.type(f"signal-storm {args.seconds} verbose &\r")
        job = sh.expect(rb"\[pid (\d+)\] signal-storm runs in the background\n", timeout=30)[1]
        sh.expect(rb"keel> ")
        time.sleep(args.seconds / 4)
        asked = time.monotonic()
        sh.type('echo "in the" storm\r')
        try:
            sh.expect(rb"\nin the storm\n", timeout=30)
            Session.answer = time.monotonic() - asked
            end = rb"\[pid " + job + rb"\] signal-storm (?:done|killed)[^\n]*\n"
            Session.end = sh.expect(end, timeout=args.seconds + 60)[0].decode().strip()
            sh.type("echo synced\r")  # past the prompts the shell drew meanwhile
            sh.expect(rb"\nsynced\n")
            sh.expect(rb"keel> ")
        except Timeout:
            Session.stuck = sh.run("ps", timeout=30)
        finally:
            Session.took = time.monotonic() - Session.started
            Session.out = screen(sh.text(start))
    return Session.sh


def transcript():
    return f"\n--- the console from the storm's start ({Session.took:.0f} s) ---\n{Session.out}"


def the_shell_answers_in_the_midst_of_the_storm():
    storm()
    assert Session.answer is not None, "no answer in 30 s" + transcript()
    assert Session.answer < 10, f"the shell took {Session.answer:.1f} s to answer" + transcript()


def the_storm_keeps_every_rule():
    storm()
    out = Session.out
    assert Session.end, f"the storm did not end; ps:\n{Session.stuck}" + transcript()
    assert Session.end.endswith("done, exit status 0"), Session.end + transcript()
    for line in VERDICT:
        assert f"storm: {line}: yes\n" in out, f"not '{line}: yes'" + transcript()
    assert "storm: done\n" in out, transcript()
    counts = re.search(r"^storm: counts: (.*)$", out, re.M)
    assert counts, transcript()
    for name, least in AT_LEAST.items():
        number = int(re.search(rf"\b{re.escape(name)} (\d+)", counts[1])[1])
        assert number >= least, f"only {number} {name} (at least {least}):\n{counts[1]}"
    print(f"  {counts[1]} ({Session.took:.1f} s; the shell answered in {Session.answer:.2f} s)")


def nothing_of_the_storm_is_left():
    sh = storm()
    # Gone at once after a storm that kept the rules; by the end of the workers' time at the
    # latest (they stop on their own clock) after one that did not.
    until = max(time.monotonic() + 5, Session.started + args.seconds + 15)
    while "signal-storm" in (ps := sh.run("ps", timeout=30)):
        assert time.monotonic() < until, f"storm processes are left:\n{ps}"
        time.sleep(0.5)


def every_page_comes_back():
    sh = storm()
    after = counters(sh)
    assert after == Session.before, f"{Session.before} before the storm, {after} after"


try:
    run_checks([
        the_shell_answers_in_the_midst_of_the_storm,
        the_storm_keeps_every_rule,
        nothing_of_the_storm_is_left,
        every_page_comes_back,
    ], only=args.checks)
finally:
    if Session.sh is not None:
        Session.sh.close()
