#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Makefile as a user meets it, on a real terminal (a pseudo-terminal).

`make help` names every target and variable; `make run` passes Ctrl-A to keel's line editor and
quits on Ctrl-] x; `make gdb` gives up at once, with a hint, when no `make debug` is running, and
quitting gdb after a Ctrl-C leaves no make "Interrupt" line behind.
"""
import argparse
import os
import re
import time

from harness import Process, Qemu, free_port, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--build", required=True, help="the build directory make test uses")
parser.add_argument("--toolchain", required=True, help="its KEEL_TOOLCHAIN")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(args.build)
# make runs under CTest under make: keep the outer make's jobserver and level out of it.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEFILES")}


def make(*goal, deadline=120):
    return Process(["make", "--no-print-directory", *goal, f"BUILD={BUILD}", f"TOOLCHAIN={args.toolchain}"],
                   deadline, "install make (scripts/install-deps.sh)", env=ENV, cwd=REPO, terminal=True)


def make_help_lists_every_target_and_variable():
    makefile = open(os.path.join(REPO, "Makefile")).read()
    targets = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M)[1].split()) - {"all"}
    variables = set(re.findall(r"^([A-Z_]+)\s*\?=", makefile, re.M))
    with make("help") as run:
        assert run.wait_exit(30) == 0
        out = run.text()
    listed = set(re.findall(r"^  ([a-z-]+)", out, re.M))
    assert targets <= listed, f"make help lacks {sorted(targets - listed)}:\n{out}"
    named = set(re.findall(r"^  ([A-Z_]+)=", out, re.M))
    assert variables <= named, f"make help lacks {sorted(variables - named)}:\n{out}"


def make_run_passes_ctrl_a_to_keel_and_quits_on_ctrl_bracket():
    with make("run") as run:
        run.expect(r"Ctrl-\] then x quits", timeout=60)  # run-qemu's own line
        run.expect(r"boot complete on hart 0; type 'help' \(QEMU: Ctrl-\] then x quits\)\n", timeout=60)
        run.expect(r"keel> ")
        run.send(b"cho x")
        run.send(b"\x01")  # Ctrl-A: start of line, in keel's line editor
        run.send(b"e\r")
        run.expect(r"\nx\n", timeout=10)  # "echo x" ran: the e went to the start of the line
        run.expect(r"keel> ")
        run.send(b"\x1d")  # Ctrl-]: QEMU's escape key under make run
        run.send(b"x")
        status = run.wait_exit(10)
    assert status == 0, f"make run exited {status} after Ctrl-] x"


def make_gdb_without_make_debug_says_so_at_once():
    started = time.monotonic()
    with make("gdb", f"GDB_PORT={free_port()}") as run:
        run.expect(r"start `make debug` first", timeout=20)
        status = run.wait_exit(10)
        out = run.text()
    assert status != 0, "make gdb succeeded without a debug session"
    assert time.monotonic() - started < 15, "make gdb waited instead of failing at once"
    assert "Traceback" not in out, out


def quitting_make_gdb_after_ctrl_c_leaves_no_interrupt_line():
    port = free_port()
    kernel = os.path.join(BUILD, "debug", "keel.elf")
    with Qemu(kernel, deadline=120, gdb_port=port), make("gdb", f"GDB_PORT={port}") as run:
        run.expect(r"keel: stopped at kmain", timeout=60)
        run.expect(r"\(gdb\) ")
        run.send(b"continue\n")
        run.expect(r"Continuing\.", timeout=10)
        time.sleep(0.5)
        run.send(b"\x03")  # Ctrl-C: SIGINT to the terminal's foreground group, make included
        run.expect(r"\(gdb\) ", timeout=10)
        run.send(b"quit\n")
        status = run.wait_exit(10)
        out = run.text()
    assert not re.search(r"make: \*\*\*.*Interrupt", out), f"make printed an Interrupt line:\n{out[-500:]}"
    assert status == 0, f"make gdb exited {status}:\n{out[-500:]}"


run_checks([
    make_help_lists_every_target_and_variable,
    make_run_passes_ctrl_a_to_keel_and_quits_on_ctrl_bracket,
    make_gdb_without_make_debug_says_so_at_once,
    quitting_make_gdb_after_ctrl_c_leaves_no_interrupt_line,
], only=args.checks)
