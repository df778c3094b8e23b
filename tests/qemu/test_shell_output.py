#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What the shell and its commands print, as a newcomer reads it.

Background work (a task's report, a background program's lines) that prints while a line is half
typed erases the line, prints, and draws the prompt and the line again below (the raw bytes are
checked: the old kernel printed after the prompt and never drew it again). Counts of one are
singular. bench says what its figures are, with -icount and without, whichever part runs. Every
fault kind does what `fault`'s listing says (each is run). keel's own cat, ls and echo say why
they fail, in Linux's words. The banner's hint to quit QEMU names the key QEMU was given.
"""
import argparse
import os
import re

from harness import ESCAPE_BOOTARG, KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", help="the build's initrd.cpio (default: the one beside --kernel)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()
args.initrd = args.initrd or os.path.join(os.path.dirname(os.path.abspath(args.kernel)), "initrd.cpio")

FAULT_KINDS = ["illegal", "load", "store", "breakpoint", "null", "write-text", "exec-data",
               "stack-overflow", "fatal"]
BACK = ", then back to the shell"
PANICS = ": the kernel panics (every hart stops, QEMU ends)"


def Shell(initrd=False, **options):
    if initrd:
        options["extra"] = list(options.get("extra", [])) + ["-initrd", args.initrd]
    return KeelShell(args.kernel, **options)


def a_tasks_report_is_printed_above_the_half_typed_line():
    with Shell(smp=2) as sh:
        assert re.fullmatch(r"busy: task \d+ spins for 1500 ms without yielding\n", sh.run("busy 1500"))
        prompt_end = sh.cursor
        sh.type("echo hal")  # well before the task's report
        # The line is erased (CR, erase to the end), the report printed, the line drawn again.
        report = sh.expect(rb"echo hal\r\x1b\[Kbusy: task \d+ done: [^\n]*\n\rkeel> echo hal\x1b\[K",
                           timeout=10)
        assert report.start() == prompt_end, sh.text(prompt_end)
        assert sh.run("f") == "half\n"


def a_background_programs_lines_are_printed_above_the_half_typed_line():
    with Shell(initrd=True) as sh:
        out = sh.run('sh -c "sleep 1; echo late" &')
        assert re.fullmatch(r"\[pid \d+\] sh runs in the background\n", out), out
        prompt_end = sh.cursor
        sh.type("echo ea")
        late = sh.expect(rb"echo ea\r\x1b\[Klate\n\rkeel> echo ea\x1b\[K", timeout=10)
        assert late.start() == prompt_end, sh.text(prompt_end)
        sh.expect(rb"\r\x1b\[K\[pid \d+\] sh done, exit status 0\n\rkeel> echo ea\x1b\[K", timeout=10)
        assert sh.run("rly") == "early\n"
        # A line end typed after it: the prompt of the next line is a fresh one, as ever.
        assert sh.run("echo after") == "after\n"


def counts_of_one_are_singular():
    with Shell() as sh:  # one hart
        assert sh.run("smp-print 1").endswith("smp-print: 1 hart printed 1 line each\n")
        assert sh.run("alloc 1").startswith("alloc: 1 byte at ")
        assert "\npages: 1 page, first " in sh.run("pages 1")
        assert "spawn-demo: started 1 task (ids " in sh.run("spawn-demo 1")
        assert re.search(r"^sched-test mutex: 1 task x 1 increment: counter 1, on 1 hart$",
                         sh.run("sched-test mutex 1 1"), re.M)
        assert re.search(r"^sched-test semaphore: 1 producer, 1 consumer, 1 item: took 1,",
                         sh.run("sched-test semaphore 1 1 1"), re.M)
        assert re.search(r"^sched-test park: 1 task sleeps 100 ms at a time \(kill it to stop\)$",
                         sh.run("sched-test park 1 100"), re.M)


def bench_says_what_its_figures_are():
    # Without -icount, instret is QEMU's reading of the host's cycle counter: whichever part of
    # bench runs says so, and the column is headed "host ticks", never "instructions".
    with Shell() as sh:
        for command in ("bench alloc", "bench ctxsw", "bench"):
            out = sh.run(command, timeout=60)
            assert out.startswith("bench: instret is NOT exact here: QEMU reads it from the host's "
                                  "cycle counter"), f"{command}:\n{out}"
            assert "so the figures below are host clock\n  ticks" in out, f"{command}:\n{out}"
            assert re.search(r"^operation +host ticks  what was counted$", out, re.M), f"{command}:\n{out}"
            assert "instructions  what was counted" not in out, f"{command}:\n{out}"
    with Shell(extra=["-icount", "shift=0"]) as sh:
        for command in ("bench alloc", "bench ctxsw"):
            out = sh.run(command, timeout=60)
            assert out.startswith("bench: instret is exact (32 instructions count as 32)\n"), out
            assert re.search(r"^operation +instructions  what was counted$", out, re.M), out


def every_fault_kind_does_what_the_listing_says():
    with Shell() as sh:
        listing = sh.run("fault")
    kinds = dict(re.findall(r"^  (\S+) +(.*)$", listing, re.M))
    assert list(kinds) == FAULT_KINDS, listing
    recovers = [kind for kind, says in kinds.items() if says.endswith(BACK)]
    panics = [kind for kind in kinds if kind not in recovers]
    with Shell() as sh:  # each that says so comes back, one after another
        for kind in recovers:
            out = sh.run(f"fault {kind}", timeout=30)
            assert out.endswith("fault: recovered; back to the shell\n"), f"{kind}:\n{out}"
        assert sh.run("echo alive") == "alive\n"
    for kind in panics:  # each of the others ends the machine, and says so
        assert kinds[kind].endswith(PANICS), f"{kind}: {kinds[kind]}"
        with Shell() as sh:
            sh.type(f"fault {kind}\r")
            sh.expect(rb"\nPANIC: ", timeout=30)
            assert sh.wait_exit(10) == 1, kind


def keels_own_programs_say_why_they_fail():
    with Shell(initrd=True) as sh:
        assert re.fullmatch(r"cat: /etc: Is a directory\n\[pid \d+\] exit status 1\n",
                            sh.run("keel-cat /etc")), sh.text()[-300:]
        assert re.fullmatch(r"cat: /nope: No such file or directory\n\[pid \d+\] exit status 1\n",
                            sh.run("keel-cat /nope"))
        assert re.fullmatch(r"ls: /etc/motd: Not a directory\n\[pid \d+\] exit status 1\n",
                            sh.run("keel-ls /etc/motd"))
        # With stdout closed, as Linux's cat and echo say it (and the status is 1).
        assert sh.run('sh -c "keel-cat /etc/motd >&-; echo status $?"') == \
            "cat: write error: Bad file descriptor\nstatus 1\n"
        assert sh.run('sh -c "keel-echo hi >&-; echo status $?"') == \
            "echo: write error: Bad file descriptor\nstatus 1\n"


def the_quit_hint_names_the_key_qemu_was_given():
    # QEMU's escape key is Ctrl-A unless -echr moved it; make run moves it to Ctrl-] and says so
    # on the command line (the U-Boot chain: qemu.boards; make run itself: qemu.make).
    with Shell() as sh:
        assert "keel: boot complete on hart 0; type 'help' (QEMU: Ctrl-A then x quits)\n" in sh.text()
    with Shell(append=ESCAPE_BOOTARG) as sh:
        assert "keel: boot complete on hart 0; type 'help' (QEMU: Ctrl-] then x quits)\n" in sh.text()


run_checks([
    a_tasks_report_is_printed_above_the_half_typed_line,
    a_background_programs_lines_are_printed_above_the_half_typed_line,
    counts_of_one_are_singular,
    bench_says_what_its_figures_are,
    every_fault_kind_does_what_the_listing_says,
    keels_own_programs_say_why_they_fail,
    the_quit_hint_names_the_key_qemu_was_given,
], only=args.checks)
