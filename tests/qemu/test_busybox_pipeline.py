#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A busybox pipeline a thousand times (issue 23): Debian's ash runs `echo | tr a-z A-Z` 1000
times in a loop on 2 harts, each time two processes (a forked subshell and an exec of tr) and a
pipe made and torn down; every run's output must be right (the loop's output counted by
`uniq -c`: 1000 lines of HELLO WORLD), and
keel's free pages (mem) must come back exactly: a page a pipe, a fork or an exec kept would show.
Pages shared copy-on-write by ash's forks and mapped from the page cache by exec count here too.
A long test (about half a minute on a 2-core host; cmake/tests.cmake gives it its COST)."""
import argparse
import re
import time

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (with busybox)")
parser.add_argument("--runs", type=int, default=1000, help="how many times the pipeline runs")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()


def pipeline_loop(runs):
    """One ash whose loop runs the pipeline `runs` times; `uniq -c` counts the outputs."""
    return (f'busybox sh -c "i=0; while [ \\$i -lt {runs} ]; do echo hello world | tr a-z A-Z; '
            f'i=\\$((i + 1)); done | uniq -c"')


def free_pages(sh):
    return int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", sh.run("mem"), re.M)[1])


def a_thousand_pipelines_give_every_page_back():
    with KeelShell(args.kernel, extra=["-initrd", args.initrd], mem="256M", smp=2, deadline=480) as sh:
        # The first runs' tables for busybox's initramfs pages and the caches' slabs: warm up.
        out = sh.run(pipeline_loop(3), timeout=30)
        assert out.split() == ["3", "HELLO", "WORLD"], out
        before = free_pages(sh)
        started = time.monotonic()
        out = sh.run(pipeline_loop(args.runs), timeout=420)
        print(f"  ({args.runs} pipelines in {time.monotonic() - started:.1f} s)")
        assert out.split() == [str(args.runs), "HELLO", "WORLD"], out[-2000:]
        after = free_pages(sh)
        assert after == before, f"{before - after} pages not given back after {args.runs} pipelines"


run_checks([a_thousand_pipelines_give_every_page_back], only=args.checks)
