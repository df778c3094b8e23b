#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential tests against Linux (tests/linux/README.md): each run of tests/linux/runs.txt, an
ordinary glibc program that prints what it observed, runs on keel with 1 and with 4 harts, and its
output must be Linux's line for line: the output Debian's own kernel gave on the same QEMU
(tests/linux/NAME.out, recorded by scripts/linux-reference), or where none is recorded, what it
prints under qemu-riscv64. Every page keel gave the program must come back."""
import argparse
import difflib
import os
import re
import shutil
import subprocess

from harness import KeelShell, run_checks
from linux_runs import expected_path, read_runs

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="build/linux/initrd.cpio")
parser.add_argument("--programs", required=True, help="build/linux, where the programs are")
parser.add_argument("checks", nargs="*", help="run only these runs (by name)")
args = parser.parse_args()

EXIT_LINE = re.compile(r"^\[pid \d+\] exit status (\d+)\n\Z", re.M)
# keel's kernel-log line for a call it lacks (the program got -ENOSYS): shown after a run, so that
# what a program met is visible (it is not on the console the program writes on).
ENOSYS_REPORT = re.compile(r"\] [^\n]+\[\d+\]: (syscall \d+(?: \(\w+\))?) is not implemented: -ENOSYS$",
                           re.M)
# keel's one-line report of a process a fault (or a signal frame it had no room for) ended: the
# kernel's too, as Linux's "segfault at" goes to its log, not to the program's output.
KILLED_REPORT = re.compile(r"^[^\n]+\[\d+\]: [^\n]* \u2014 killed\n", re.M)


def linux_output(run):
    """What Linux prints for the run: the recorded file, or qemu-user's output now."""
    path = expected_path(run)
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    qemu = shutil.which("qemu-riscv64")
    assert qemu, "qemu-riscv64 not found: apt-get install qemu-user (scripts/install-deps.sh)"
    done = subprocess.run([qemu, os.path.join(args.programs, run.argv[0])] + run.argv[1:],
                          capture_output=True, text=True, timeout=600)
    return done.stdout + f"exit status {done.returncode}\n"


def keel_output(sh, run):
    """The run's output on keel, in the recording's form: its lines, then `exit status N` (the
    shell's `[pid P] exit status N` line, or 0 when it says nothing)."""
    out = sh.run(" ".join(run.argv), timeout=600)
    missing = sorted(set(ENOSYS_REPORT.findall(sh.run("dmesg"))))
    if missing:
        print(f"  ({run.name} met calls keel lacks: {', '.join(missing)})")
    for report in KILLED_REPORT.findall(out):
        print(f"  (keel's report: {report.strip()})")
    out = KILLED_REPORT.sub("", out)
    status = EXIT_LINE.search(out)
    if status:
        out = out[:status.start()]
    return out + f"exit status {status[1] if status else 0}\n"


def free_pages(sh):
    return int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", sh.run("mem"), re.M)[1])


def check_run(run):
    expected = linux_output(run)
    for harts in (1, 4):
        with KeelShell(args.kernel, extra=["-initrd", args.initrd], mem=run.mem, smp=harts,
                       deadline=900) as sh:
            before = free_pages(sh)
            got = keel_output(sh, run)
            after = free_pages(sh)
        if got != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                                "Linux", f"keel ({harts} hart{'s' if harts > 1 else ''})"))
            raise AssertionError(f"{run.name} on {harts} hart(s) differs from Linux:\n{diff}")
        assert after == before, f"{run.name} on {harts} hart(s): {before - after} pages not given back"


def make_check(run):
    def check():
        check_run(run)
    check.__name__ = run.name
    return check


def four_hundred_runs_of_memory_give_every_page_back():
    """memory's light mode (the same calls, less memory touched), 400 times in a row on 2 harts:
    the page counters come back exactly, and every run ended with status 0. (qemu.user's 1000
    runs of hello and qemu.busybox-pipeline's 1000 pipelines check the same of many more runs.)"""
    with KeelShell(args.kernel, extra=["-initrd", args.initrd], mem="256M", smp=2, deadline=600) as sh:
        sh.run("memory 10 light")  # the first run's tables for the initramfs pages: warm up
        before = free_pages(sh)
        out = sh.run("repeat 400 memory 10 light", timeout=540)
        assert "repeat: 400 of 400 runs of memory ended with status 0" in out, out[-2000:]
        assert free_pages(sh) == before, f"{before - free_pages(sh)} pages not given back"


run_checks([make_check(run) for run in read_runs()] + [four_hundred_runs_of_memory_give_every_page_back],
           only=args.checks)
