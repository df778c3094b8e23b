#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Physical memory: keel reports the RAM QEMU gives it (-m 16M to 8G) in its banner and in `mem`,
and `pages` takes pages until there are none, gets each zeroed, and gives them all back.
"""
import argparse
import re

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

MEMORY_LINE = re.compile(r"^memory: (\d+) MiB RAM, (\d+) KiB kernel, (\d+) KiB reserved, (\d+) pages free$", re.M)


def counters(out, when):
    """The counters on the line that starts with `when` (pages's before:/taken:/freed:, mem's pages:)."""
    line = re.search(rf"^{when} +(.*)$", out, re.M)
    assert line, f"no {when} line in {out}"
    return {k: int(v) for k, v in re.findall(r"(total|reserved|free|in use|peak) (\d+)", line[1])}


def the_banner_and_mem_report_the_ram_qemu_gives():
    for size, mib in (("64M", 64), ("2G", 2048), ("8G", 8192)):
        with KeelShell(args.kernel, mem=size, deadline=60) as sh:
            line = MEMORY_LINE.search(sh.text())
            assert line and int(line[1]) == mib, f"-m {size}: {line and line[0]}"
            mem = sh.run("mem", timeout=20)
            end = 0x80000000 + mib * 1024 * 1024
            assert re.search(rf"^  0x0080000000\.\.{end:#012x} ", mem, re.M), f"-m {size}:\n{mem}"
            assert f"RAM ({mib * 256} pages):" in mem, mem
            total = counters(mem, "pages:")
            assert total["total"] == mib * 256 and total["free"] == int(line[4]), (total, line[0])
            assert total["reserved"] + total["free"] + total["in use"] == total["total"], total
            out = sh.run("pages 4096", timeout=30)
            assert "not zeroed: 0 words, overwritten: 0" in out, out
            assert counters(out, "freed:")["free"] == counters(out, "before:")["free"], out


def pages_until_there_are_none_then_all_come_back():
    with KeelShell(args.kernel, mem="16M", deadline=60) as sh:
        free = int(MEMORY_LINE.search(sh.text())[4])
        assert free < 4096, f"16 MiB should leave fewer than 4096 pages free, not {free}"
        out = sh.run("pages 4096", timeout=30)
        assert f"pages: got {free} of 4096: out of memory" in out, out
        assert counters(out, "taken:")["free"] == 0, out
        assert counters(out, "freed:")["free"] == free, out
        assert "not zeroed: 0 words, overwritten: 0" in out, out
        assert sh.run("echo alive") == "alive\n"
        again = sh.run("pages 10", timeout=20)  # merged back: still works
        assert "pages: 10 pages" in again, again


run_checks([the_banner_and_mem_report_the_ram_qemu_gives, pages_until_there_are_none_then_all_come_back],
           args.checks)
