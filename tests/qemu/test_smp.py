#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every hart: QEMU virt with 1, 2, 4 and 8 harts.

All harts come online; smp-alloc 2000 (every hart allocating from the shared LinearAllocator at
once) reports overlaps: 0 and hands the arena back; lines printed by all harts at once come out
whole; a panic on a secondary hart stops everything and QEMU exits non-zero; shutdown with every
hart running exits 0.
"""
import argparse
import re

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()


def all_harts_online_and_smp_alloc_finds_no_overlap(harts):
    with KeelShell(args.kernel, smp=harts, deadline=120) as sh:
        boot = sh.text()
        for hart in range(harts):
            assert re.search(rf"^hart {hart} online", boot, re.M), f"hart {hart} never said so"
        assert f"smp: {harts} harts online\n" in boot
        table = sh.run("harts")
        assert len(re.findall(r"^\s+\d+  online\s+STARTED", table, re.M)) == harts, table
        out = sh.run("smp-alloc 2000", timeout=60)
        assert f"smp-alloc: {harts} harts x 2000 requests" in out, out
        assert "out of bounds: 0, misaligned: 0\n" in out, out
        assert "overlaps: 0\n" in out, out
        released = re.search(r"arena released: used (\d+) \(was (\d+) before\)", out)
        assert released and released[1] == released[2], out
        per_hart = [int(n) for n in re.findall(r"  hart \d+: (\d+) allocated", out)]
        assert len(per_hart) == harts and sum(per_hart) == int(re.search(r"blocks: (\d+)", out)[1])
        assert sh.run("echo after") == "after\n"


def one_hart():
    all_harts_online_and_smp_alloc_finds_no_overlap(1)


def two_harts():
    all_harts_online_and_smp_alloc_finds_no_overlap(2)


def four_harts():
    all_harts_online_and_smp_alloc_finds_no_overlap(4)


def eight_harts():
    all_harts_online_and_smp_alloc_finds_no_overlap(8)


def lines_from_all_harts_never_interleave():
    with KeelShell(args.kernel, smp=4, deadline=120) as sh:
        out = sh.run("smp-print 200", timeout=60)
        lines = out.splitlines()
        assert lines[-1] == "smp-print: 4 harts printed 200 lines each", lines[-1]
        whole = re.compile(r"hart (\d) line (\d+): the quick brown fox jumps over the lazy dog \((\d)\)")
        seen = set()
        for line in lines[:-1]:
            match = whole.fullmatch(line)
            assert match and match[1] == match[3], f"a torn line: {line!r}"
            seen.add((match[1], match[2]))
        assert len(seen) == 4 * 200, f"{800 - len(seen)} lines missing"


def panic_on_a_secondary_hart_stops_everything():
    with KeelShell(args.kernel, smp=4) as sh:
        sh.type("panic-hart 3\r")
        sh.expect(rb"PANIC: panic-hart: hart 3 was asked to panic\n  at [^\n]+ on hart 3\n")
        sh.expect(rb"  #\d+ 0x[0-9a-f]{16} secondary_main\+")
        status = sh.wait_exit(5)
        assert status == 1, f"QEMU exited {status}"


def shutdown_with_every_hart_running_exits_zero():
    with KeelShell(args.kernel, smp=4) as sh:
        sh.type("shutdown\r")
        sh.expect(rb"powering off")
        assert sh.wait_exit(5) == 0


run_checks([
    one_hart,
    two_harts,
    four_harts,
    eight_harts,
    lines_from_all_harts_never_interleave,
    panic_on_a_secondary_hart_stops_everything,
    shutdown_with_every_hart_running_exits_zero,
], only=args.checks)
