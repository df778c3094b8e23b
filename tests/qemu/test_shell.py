#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shell, driven over the serial port the way a person types into it.

Every command, every editing key, history, Tab completion of commands, programs and paths, an
overlong line, alloc until the arena is exhausted, unknown commands and bad arguments, and 64 KiB
of random bytes after which `echo alive` must still print `alive`. (What the shell prints around
a half-typed line, and what its messages say: test_shell_output.py.)
"""
import argparse
import os
import random
import re
import subprocess
import time

from harness import KeelShell, layout, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", help="the build's initrd.cpio (default: the one beside --kernel)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()
args.initrd = args.initrd or os.path.join(os.path.dirname(os.path.abspath(args.kernel)), "initrd.cpio")

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

PROMPT = KeelShell.PROMPT
LEFT, RIGHT, UP, DOWN = b"\x1b[D", b"\x1b[C", b"\x1b[A", b"\x1b[B"
COMMANDS = ["help", "echo", "clear", "version", "dmesg", "heap", "alloc", "mem", "pages", "vm", "smp-alloc", "smp-print",
            "uptime", "sleep", "sbi", "dt", "harts", "ps", "spawn-demo", "busy", "kill", "sched-test", "run", "sh", "bench", "fault",
            "panic", "panic-hart", "reboot", "shutdown"]


def Shell(initrd=False, **options):
    """keel at its prompt; with initrd, with the build's initramfs (its programs in /bin...)."""
    if initrd:
        options["extra"] = list(options.get("extra", [])) + ["-initrd", args.initrd]
    return KeelShell(args.kernel, **options)


def help_lists_every_command_and_shows_usage():
    with Shell() as sh:
        out = sh.run("help")
        for name in COMMANDS:
            assert re.search(rf"^  {name}\b", out, re.M), f"help does not list {name}:\n{out}"
        # ...and where the programs are, and what Tab completes.
        assert "/bin, /sbin, /usr/bin or /usr/sbin runs by its name (ls /bin lists" in out, out
        assert "Tab completes commands, programs, paths.\n" in out, out
        assert sh.run("help alloc") == "usage: alloc SIZE [ALIGN]\n  allocate SIZE bytes from the heap (kept; K/M suffixes)\n"
        assert sh.run("help nothing") == "help: no such command: nothing (try 'help')\n"


def echo_version_clear_uptime_sleep():
    with Shell() as sh:
        assert sh.run('echo hello   "two  words" a\\ b') == "hello two  words a b\n"
        assert re.fullmatch(r"keel \d+\.\d+\.\d+ \(git [0-9a-f]+(-dirty)?\), built with (GNU|Clang) "
                            r"[\d.]+, Release build\n", sh.run("version"))
        start = len(sh.raw)
        sh.run("clear")
        assert b"\x1b[H\x1b[2J" in sh.raw[start:], "clear sent no clear-screen sequence"
        first = int(re.search(r"\((\d+) ms\)", sh.run("uptime"))[1])
        assert sh.run("sleep 300") == ""
        second = re.search(r"up (\d+)\.(\d{3}) s \((\d+) ms\); hart 0 took (\d+) timer interrupts?\n",
                           sh.run("uptime"))
        assert int(second[3]) - first >= 300, f"sleep 300 took {int(second[3]) - first} ms"
        assert int(second[4]) >= 1, "no alarm ended the sleep"


def heap_and_alloc_report_the_arena():
    with Shell() as sh:
        out = sh.run("heap")
        used = int(re.search(r"used (\d+), free (\d+)", out)[1])
        assert re.search(r"\[[#.]{40}\] +\d+% used", out), out
        out = sh.run("alloc 1K")
        block = int(re.search(r"alloc: 1024 bytes at (0x[0-9a-f]+) \(aligned to 16\)", out)[1], 16)
        assert block % 16 == 0
        assert re.search(rf"used {used + 1024},", out), out
        out = sh.run("alloc 0x10 4096")
        assert int(re.search(r"at (0x[0-9a-f]+)", out)[1], 16) % 4096 == 0, out


def alloc_until_exhausted_is_refused_cleanly():
    with Shell() as sh:
        for _ in range(20):  # 20 x 8 KiB > 128 KiB
            out = sh.run("alloc 8K")
            if "cannot allocate" in out:
                break
        else:
            raise AssertionError("the arena never ran out")
        heap = layout(args.kernel).HEAP_SIZE
        free = int(re.search(rf": (\d+) of {heap} bytes free", out)[1])
        assert f"used {heap - free}, " in out and "failures 1\n" in out, out
        again = sh.run("alloc 8K")
        assert f": {free} of {heap} bytes free" in again, "a refused request changed the heap"
        assert "failures 2\n" in again, again
        # What is left can still be had, to the last byte; then nothing more.
        assert f"alloc: {free} bytes at" in sh.run(f"alloc {free}")
        assert f": 0 of {heap} bytes free" in sh.run("alloc 1")
        assert sh.run("echo still alive") == "still alive\n"


def sbi_dt_and_harts_describe_the_machine():
    with Shell() as sh:
        out = sh.run("sbi")
        assert "SBI specification 1.0\n" in out, out
        assert "implementation: OpenSBI (id 1), version 1.1\n" in out, out
        assert re.search(r"extensions present: .*TIME.*IPI.*HSM.*SRST", out), out
        out = sh.run("dt")
        for expected in ("model     riscv-virtio,qemu", "memory    0x80000000..0x88000000 (128 MiB)",
                         "console   ns16550a at 0x10000000, irq 10", "timebase  10000000 Hz",
                         "harts     0\n", 'bootargs  ""'):
            assert expected in out, f"dt lacks {expected!r}:\n{out}"
        out = sh.run("harts")
        assert out.startswith("hart  slot  keel       firmware (HSM)    timer irqs  allocations  paging  "
                              "last trap\n"), out
        row = re.search(r"^   0     0  online     STARTED\s+(\d+)\s+(\d+)  Sv39    -  \(boot hart\)$", out, re.M)
        assert row, out
        # Each number ends under the end of its header word.
        header = out.splitlines()[0]
        assert row.end(1) - row.start(0) == header.index("timer irqs") + len("timer irqs"), out
        assert row.end(2) - row.start(0) == header.index("allocations") + len("allocations"), out


def fault_kinds_recover_and_fatal_panics():
    with Shell() as sh:
        for kind, cause in (("illegal", "illegal instruction"), ("load", "load page fault"),
                            ("store", "store/AMO page fault"), ("breakpoint", "breakpoint")):
            out = sh.run(f"fault {kind}")
            assert f"TRAP: {cause}" in out and "fault: recovered; back to the shell" in out, out
        assert "kinds: illegal load store breakpoint null write-text exec-data stack-overflow fatal" in \
            sh.run("fault nonsense")
        kinds = sh.run("fault")
        assert kinds.startswith("fault kinds:\n"), kinds
        for kind in ("illegal", "load", "store", "breakpoint", "null", "write-text", "exec-data",
                     "stack-overflow", "fatal"):
            assert re.search(rf"^  {kind} +\S", kinds, re.M), kinds
        sh.type("fault fatal\r")
        sh.expect(rb"PANIC: unhandled illegal instruction in the kernel")
        assert sh.wait_exit(5) == 1


def panic_reboot_and_shutdown():
    with Shell() as sh:
        sh.type('panic "it hurts"\r')
        sh.expect(rb"PANIC: it hurts\n  at src/shell/commands/panic.cpp:\d+ on hart 0\n")
        assert sh.wait_exit(5) == 1
    with Shell() as sh:
        sh.type("reboot\r")
        sh.expect(rb"OpenSBI v")
        sh.expect(rb"boot complete on hart \d+")
    with Shell() as sh:
        sh.type("shutdown\r")
        sh.expect(rb"powering off")
        assert sh.wait_exit(5) == 0


def unknown_commands_and_bad_arguments_get_one_line():
    with Shell() as sh:
        assert sh.run("bogus 1 2") == "keel: no such command: bogus (try 'help')\n"
        assert sh.run("alloc") == "usage: alloc SIZE [ALIGN]\n"
        assert re.fullmatch(r"alloc: bad SIZE '12x': [a-z][^\n]*\n", sh.run("alloc 12x"))
        assert re.fullmatch(r"alloc: bad ALIGN 'z': .+\n", sh.run("alloc 1 z"))
        assert sh.run("alloc 99999999999999999999").startswith("alloc: bad SIZE '99999999999999999999': ")
        assert sh.run("alloc 16 3") == "alloc: ALIGN 3 is not a power of two up to 4096\n"
        assert sh.run("alloc 16 8K") == "alloc: ALIGN 8192 is not a power of two up to 4096\n"
        assert sh.run("sleep") == "usage: sleep MS\n"
        assert sh.run("sleep 99999999") == "sleep: MS must be 0..3600000\n"
        assert sh.run("help sleep") == "usage: sleep MS\n  sleep MS milliseconds, silently (Ctrl-C stops it)\n"
        assert sh.run("version extra") == "usage: version\n"
        assert sh.run('echo "open') == "keel: unterminated quote\n"
        assert sh.run("") == "" and sh.run("   ") == ""


def editing_keys_change_the_line():
    with Shell() as sh:
        assert sh.run(b"echo acd" + LEFT + LEFT + b"b") == "abcd\n"
        assert sh.run(b"cho x" + b"\x01" + b"e" + b"\x05" + b"y") == "xy\n"          # Ctrl-A, Ctrl-E
        assert sh.run(b"cho z" + b"\x1b[H" + b"e" + b"\x1b[F" + b"!") == "z!\n"      # Home, End
        assert sh.run(b"echo abcX\x7fd") == "abcd\n"                                  # DEL
        assert sh.run(b"echo abX\bc") == "abc\n"                                      # Backspace
        assert sh.run(b"echo aXb" + LEFT + LEFT + b"\x1b[3~") == "ab\n"             # Delete
        assert sh.run(b"garbage\x15echo clean") == "clean\n"                         # Ctrl-U
        assert sh.run(b"echo keep drop\x17") == "keep\n"                             # Ctrl-W
        assert sh.run(b"echo a" + RIGHT + RIGHT + b"b") == "ab\n"
        start = len(sh.raw)
        sh.type(b"echo never\x03")                                                   # Ctrl-C
        sh.expect(rb"\^C\n" + PROMPT)
        assert b"never\r\n" not in sh.raw[start:].replace(b"echo never", b"")
        start = len(sh.raw)
        sh.type(b"echo redraw\x0c")                                                  # Ctrl-L
        sh.expect(rb"\x1b\[H\x1b\[2J\rkeel> echo redraw\x1b\[K")
        assert sh.run(b"") == "redraw\n"


def history_recalls_the_last_distinct_lines():
    with Shell() as sh:
        sh.run("echo one")
        sh.run("echo two")
        sh.run("echo two")
        assert sh.run(UP + UP + DOWN) == "two\n"  # two, one, back to two
        assert sh.run(UP + UP) == "one\n"  # "echo two" was stored once; running it moved it up
        for i in range(20):
            sh.run(f"echo {i}")
        assert sh.run(UP * 16) == "4\n"  # sixteen entries: 19 down to 4
        # Running "echo 4" again made it the newest; the oldest is now 5, and Up stops there.
        assert sh.run(UP * 30) == "5\n"


def tab_completes_command_names():
    with Shell() as sh:
        assert sh.run(b"ech\thi") == "hi\n"
        sh.type(b"he\t")
        sh.expect(rb"\nheap  help\n")  # sorted
        assert sh.run(b"lp\t").startswith("  help")  # "help " completed, then run
        sh.type(b"zz\t")
        sh.expect(rb"zz\a")
        sh.run(b"\x15")
        # Tab on an empty line: every command, sorted, in columns within 80 characters.
        sh.type(b"\t")
        listing = sh.expect(rb"\n((?:[a-z -]+\n)+)\rkeel> ")[1].decode()
        rows = [row.split() for row in listing.splitlines()]
        assert all(len(line) <= 80 for line in listing.splitlines()), listing
        by_column = [row[c] for c in range(max(map(len, rows))) for row in rows if c < len(row)]
        assert by_column == sorted(COMMANDS), listing


def initrd_names(*directories):
    """The names the build's initramfs has in `directories` (e.g. "bin/"), and their kinds."""
    listing = subprocess.run(["cpio", "-itv"], stdin=open(args.initrd, "rb"), capture_output=True,
                             text=True, check=True, timeout=30).stdout.splitlines()
    names = {}
    for line in listing:
        path = line.split(" -> ")[0].split()[-1]
        for directory in directories:
            if path.startswith(directory) and "/" not in path[len(directory):]:
                names[path[len(directory):]] = line[0]
    return names


def tab_completes_programs_and_paths():
    with Shell(initrd=True) as sh:
        assert sh.run(b"hell\t").startswith("hello from user mode: pid ")  # a program, not a command
        sh.type(b"base6\t")  # a link to /bin/busybox is a program too
        sh.expect(rb"base64 ")
        sh.run(b"\x15")
        motd = open(os.path.join(ROOT, "rootfs", "etc", "motd")).read()
        assert sh.run(b"keel-cat /etc/mot\t") == motd  # a later word is a path
        sh.type(b"keel-ls /et\t")
        sh.expect(rb"keel-ls /etc/")  # a directory ends in '/'
        assert "motd\n" in sh.run(b"")
        # Several: listed, directories with a '/', then the line again.
        sh.type(b"keel-ls /\t")
        listed = sh.expect(rb"\n((?:[^\n]+\n)+)\rkeel> keel-ls /\x1b\[K")[1].decode().split()
        top = initrd_names("")
        want = {name + ("/" if kind == "d" else "") for name, kind in top.items() if name != "."}
        assert set(listed) == want | {"dev/", "proc/"}, listed
        sh.run(b"\x15")
        # On an empty line: every command and program, too many to list.
        sh.type(b"\t")
        count = int(sh.expect(rb"\n(\d+) names match; type more of the one you want\n")[1])
        programs = initrd_names("bin/", "sbin/", "usr/bin/", "usr/sbin/")
        assert count == len(set(programs) | set(COMMANDS)), (count, len(programs))
        assert sh.run(b"") == ""


def overlong_line_rings_and_stops_at_255_bytes():
    with Shell() as sh:
        line = "echo " + "x" * 250  # 255 bytes: the most a line holds
        sh.type(line)
        sh.expect(re.escape(line.encode()))
        start = len(sh.raw)
        sh.type("y" * 10)
        sh.expect(rb"\a" * 10)
        assert b"y" not in sh.raw[start:], "an overlong key was echoed"
        assert sh.run("") == "x" * 250 + "\n"


def wait_until_quiet(sh, quiet=1.0):
    """Waits until the console has printed nothing for `quiet` seconds."""
    quiet_since, seen = time.monotonic(), len(sh.raw)
    while time.monotonic() - quiet_since < quiet:
        time.sleep(0.1)
        if len(sh.raw) != seen:
            quiet_since, seen = time.monotonic(), len(sh.raw)


def random_bytes_cannot_break_the_shell():
    with Shell(deadline=240) as sh:
        noise = random.Random(20261123).randbytes(64 * 1024)
        sh.send(noise)  # all at once, at full speed, as a paste arrives
        wait_until_quiet(sh)
        sh.cursor = len(sh.output)
        sh.type(b"\x03")
        sh.expect(PROMPT)
        assert sh.run("echo alive") == "alive\n"


def ctrl_c_ends_a_long_sleep():
    with Shell() as sh:
        sh.type("sleep 3600000\r")
        time.sleep(0.5)
        started = time.monotonic()
        sh.send(b"\x03")
        out = sh.expect(rb"sleep: interrupted after (\d+) of 3600000 ms\nkeel> ", timeout=5)
        assert time.monotonic() - started < 2, "Ctrl-C took too long"
        assert 400 <= int(out[1]) < 10000, out[0]
        assert sh.run("echo back") == "back\n"


def ctrl_c_ends_smp_print_and_smp_alloc():
    with Shell(smp=4) as sh:
        for command, message in (("smp-print 1000", b"smp-print: interrupted\n"),
                                 ("smp-alloc 2048 blocks", b"smp-alloc: interrupted\n")):
            sh.type(command + "\r")
            sh.send(b"\x03")  # while the harts are still at it: well inside the first line
            sh.expect(message, timeout=30)
            sh.expect(PROMPT)
        assert sh.run("echo back") == "back\n"


def a_line_typed_during_a_command_runs_after_it():
    with Shell() as sh:
        sh.type("sleep 1500\r")
        time.sleep(0.3)
        sh.type("echo typed ahead\r")  # the line and its Enter wait in the input ring
        sh.expect(rb"\ntyped ahead\n", timeout=5)
        sh.expect(PROMPT)


def ctrl_c_drops_what_was_typed_ahead_of_it():
    with Shell() as sh:
        sh.type("sleep 5000\r")
        time.sleep(0.3)
        sh.type("echo never printed\r")
        sh.send(b"\x03")
        sh.expect(rb"sleep: interrupted after \d+ of 5000 ms\n" + PROMPT)
        assert sh.run("echo after") == "after\n"
        assert "never printed\n" not in sh.text().replace("echo never printed", ""), sh.text()


def input_past_the_ring_is_dropped_counted_and_reported():
    # While sleep runs nobody reads: the ring keeps the first 1024 bytes, drops the rest, and the
    # shell says how many. The lines that fit run afterwards, the others never do.
    with Shell() as sh:
        sh.type("sleep 2000\r")
        time.sleep(0.3)
        lines = [f"echo line{i:03}\r".encode() for i in range(200)]  # 13 bytes each, 2600 in all
        pasted = b"".join(lines)
        sh.send(pasted)
        report = sh.expect(rb"keel: (\d+) typed bytes were dropped", timeout=15)
        dropped = int(report[1])
        assert dropped == len(pasted) - 1024, f"{dropped} dropped of {len(pasted)} (the ring keeps 1024)"
        sh.type(b"\x15")  # clear the half line the ring ended in
        wait_until_quiet(sh)
        ran = set(re.findall(r"^line(\d{3})$", sh.text(), re.M))
        whole = 1024 // 13
        assert ran == {f"{i:03}" for i in range(whole)}, sorted(ran)
        assert sh.run("echo alive") == "alive\n"


run_checks([
    help_lists_every_command_and_shows_usage,
    echo_version_clear_uptime_sleep,
    heap_and_alloc_report_the_arena,
    alloc_until_exhausted_is_refused_cleanly,
    sbi_dt_and_harts_describe_the_machine,
    fault_kinds_recover_and_fatal_panics,
    panic_reboot_and_shutdown,
    unknown_commands_and_bad_arguments_get_one_line,
    editing_keys_change_the_line,
    history_recalls_the_last_distinct_lines,
    tab_completes_command_names,
    tab_completes_programs_and_paths,
    overlong_line_rings_and_stops_at_255_bytes,
    random_bytes_cannot_break_the_shell,
    ctrl_c_ends_a_long_sleep,
    ctrl_c_ends_smp_print_and_smp_alloc,
    a_line_typed_during_a_command_runs_after_it,
    ctrl_c_drops_what_was_typed_ahead_of_it,
    input_past_the_ring_is_dropped_counted_and_reported,
], only=args.checks)
