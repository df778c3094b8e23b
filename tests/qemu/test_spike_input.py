#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Keys typed quickly on QEMU spike all arrive.

spike's console is the firmware's (HTIF behind SBI), which keel polls. QEMU's HTIF holds one key
and replaces it with the next if keel has not read it yet, so a key is lost when two arrive between
polls. keel polls at 1 kHz while input is recent: lines sent at 5 ms per key must arrive whole
(with the 100 Hz tick alone, about a third of such keys were lost). Polling speed is the subject,
so CTest runs this test alone (RUN_SERIAL): on a loaded host QEMU's own timers come late.
"""
import argparse

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
args = parser.parse_args()


def lines_typed_at_5_ms_per_key_arrive_whole():
    with KeelShell(args.kernel, machine="spike", key_delay=0.005) as sh:
        for i in range(4):
            line = f"pasted line {i}: the quick brown fox jumps over the lazy dog"
            got = sh.run(f"echo {line}")
            assert got == line + "\n", f"typed {line!r} at 5 ms per key, keel echoed {got!r}"


run_checks([lines_typed_at_5_ms_per_key_arrive_whole])
