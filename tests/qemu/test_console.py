#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A terminal that stops reading for a while keeps its UART, and nothing is lost.

The host stops taking keel's output (as a terminal after Ctrl-S, a tmux pane scrolled back, a slow
link): QEMU's 16550 then has no room for the next byte, for seconds. keel must wait for it, as
Linux's tty does, not give the UART up for the SBI console (which once cost typed input for good):
a program's write waits, the shell's output waits, keys typed meanwhile reach their reader, and
when the host reads again every byte comes, in order, and the kernel log says nothing was lost.
"""
import argparse
import re
import time

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True)
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

PAUSE = 2.0  # seconds the host does not read: a hundred times the 20 ms keel once waited
ABANDONED = "switching to the SBI console"
LOST = "bytes of output lost"


PIPE = 4096  # what QEMU's output pipe holds: a page, the least Linux allows


def shell():
    return KeelShell(args.kernel, extra=["-initrd", args.initrd], smp=2, deadline=110,
                     pipe_size=PIPE)


def pause(sh, typed=b"", first=b""):
    """Stops reading until keel's output has filled the pipe, then PAUSE seconds more, typing
    `typed` meanwhile; reads again. Returns whether the pipe was full (keel was kept waiting).
    `first` is typed once reading has stopped: a command whose output is to fill the pipe, which
    could all be read before reading stops if it were typed before."""
    sh.stop_reading()
    sh.type(first)
    until = time.monotonic() + 10
    while sh.unread_output() < PIPE and time.monotonic() < until:
        time.sleep(0.05)
    full = sh.unread_output() >= PIPE
    time.sleep(PAUSE / 2)
    sh.send(typed)
    time.sleep(PAUSE / 2)
    sh.resume_reading()
    return full


def kernel_log(sh):
    return sh.run("dmesg", timeout=20)


def a_program_writing_to_a_terminal_that_stops_reading_waits_for_it():
    count = 30000
    with shell() as sh:
        start = len(sh.output)
        sh.type(f'run busybox sh -c "seq 1 {count}; read line; echo got $line"\r')
        sh.expect(rb"\n1\n2\n", timeout=20)
        assert pause(sh, b"typed while stopped\r"), "the pipe never filled: keel was not kept waiting"
        sh.expect(rb"got typed while stopped\n", timeout=60)
        sh.expect(sh.PROMPT)
        out = sh.text(start)
        assert ABANDONED not in out, "keel gave its UART up: " + out[out.find(ABANDONED) - 300:][:600]
        # The echo of the typed line comes when the host reads again, amid the program's output,
        # maybe between a line's CR and LF (as on Linux); without it, the program's lines are all
        # there, in order.
        assert out.count("typed while stopped\n") == 2, "the typed line's echo is lost"
        lines = re.findall(r"^(\d+)$", out.replace("typed while stopped\n", "", 1).replace("\r", ""), re.M)
        assert lines == [str(n) for n in range(1, count + 1)], \
            f"{len(lines)} of {count} lines, first gap after {next((a for a, b in zip(lines, lines[1:]) if int(b) != int(a) + 1), None)}"
        assert LOST not in kernel_log(sh)
        assert sh.run("echo still typed on the uart") == "still typed on the uart\n"


def the_shells_own_output_waits_for_a_terminal_that_stops_reading():
    with shell() as sh:
        help_text = sh.run("help")
        start = len(sh.output)
        # Twice a page: more than the pipe holds.
        assert pause(sh, b"echo typed while stopped\r", first=b"help\rhelp\r"), \
            "the pipe never filled: keel was not kept waiting"
        sh.expect(rb"\ntyped while stopped\n", timeout=30)
        sh.expect(sh.PROMPT)
        out = sh.text(start)
        assert ABANDONED not in out, "keel gave its UART up: " + out[out.find(ABANDONED) - 300:][:600]
        assert out.count(help_text) == 2, "a help came out incomplete:\n" + out
        assert LOST not in kernel_log(sh)
        assert sh.run("echo still typed on the uart") == "still typed on the uart\n"


def lines_of_every_hart_wait_whole_for_a_terminal_that_stops_reading():
    with shell() as sh:
        start = len(sh.output)
        sh.type("smp-print 1000\r")
        assert pause(sh), "the pipe never filled: keel was not kept waiting"
        sh.expect(rb"smp-print: 2 harts printed 1000 lines each\n", timeout=60)
        out = sh.text(start)
        assert ABANDONED not in out, "keel gave its UART up: " + out[out.find(ABANDONED) - 300:][:600]
        printed = [line for line in out.splitlines() if line.startswith("hart ")]
        whole = [line for line in printed
                 if re.fullmatch(r"hart (\d) line \d+: the quick brown fox jumps over the lazy dog \(\1\)", line)]
        assert len(whole) == len(printed) == 2000, f"{len(whole)} whole lines of {len(printed)}, 2000 printed"
        assert sh.run("echo still typed on the uart") == "still typed on the uart\n"


def ctrl_c_ends_a_program_that_waits_for_a_terminal_that_stopped_reading():
    with shell() as sh:
        sh.type("run busybox seq 1 100000000\r")
        sh.expect(rb"\n1\n2\n", timeout=20)
        assert pause(sh, b"\x03"), "the pipe never filled: keel was not kept waiting"
        sh.expect(rb"\[pid \d+\] killed: interrupted by Ctrl-C \(SIGINT\)\n", timeout=30)
        sh.expect(sh.PROMPT)
        assert sh.run("echo still typed on the uart") == "still typed on the uart\n"


def a_write_that_may_not_wait_says_eagain_and_poll_says_when_there_is_room():
    """O_NONBLOCK, as Linux's tty: a write the terminal has no room for says EAGAIN (once the
    bytes kept for it fill what Linux's UART transmit buffer holds), poll() says POLLOUT only once
    the host reads again, and every byte the program was told went out comes."""
    with shell() as sh:
        start = len(sh.output)
        sh.type("nbwrite\r")
        sh.expect(rb"\n00000000\n00000001\n", timeout=20)
        assert pause(sh), "the pipe never filled: keel was not kept waiting"
        said = sh.expect(rb"nbwrite: (\d+) bytes(, then EAGAIN; POLLOUT came after (\d+) ms|.*)\n",
                         timeout=60)
        assert said[3] is not None, said[0]
        assert int(said[3]) >= 1000, f"POLLOUT {said[3]} ms after EAGAIN, before the host read again"
        out = sh.text(start).replace("\r", "")
        lines = re.findall(r"^(\d{8})$", out, re.M)
        assert lines == [f"{n:08d}" for n in range(len(lines))], "a line is lost or out of order"
        assert len(lines) == -(-int(said[1]) // 9), (len(lines), said[1])
        assert LOST not in kernel_log(sh)
        assert sh.run("echo still typed on the uart") == "still typed on the uart\n"


run_checks([
    a_program_writing_to_a_terminal_that_stops_reading_waits_for_it,
    the_shells_own_output_waits_for_a_terminal_that_stops_reading,
    lines_of_every_hart_wait_whole_for_a_terminal_that_stops_reading,
    ctrl_c_ends_a_program_that_waits_for_a_terminal_that_stopped_reading,
    a_write_that_may_not_wait_says_eagain_and_poll_says_when_there_is_room,
], only=args.checks)
