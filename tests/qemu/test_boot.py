#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot test: keel reaches its banner, reports the heap, exercises it, and idles."""
import argparse
import re

from harness import Qemu, layout, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
args = parser.parse_args()

HEAP = layout(args.kernel).HEAP_SIZE
HEAP_LINE = rf"heap: {HEAP} bytes at 0x([0-9a-f]+), used (\d+), peak (\d+), allocations (\d+), failures (\d+)\n"


def boots_to_banner_with_heap_line():
    with Qemu(args.kernel, deadline=20) as q:
        q.expect(rb"keel \d+\.\d+\.\d+ \(")
        q.expect(rb"boot hart 0, device tree at 0x[0-9a-f]+ \(\d+ bytes\): riscv-virtio,qemu\n")
        demo = q.expect(rb"heap demo: vector of 100 squares \(capacity (\d+)\), sum (\d+); "
                        rb"string \"hello from hart 0 with 100 squares\" \((\d+) bytes\)\n")
        assert int(demo[2]) == sum(i * i for i in range(1, 101)), demo[0]
        assert int(demo[3]) == len("hello from hart 0 with 100 squares"), demo[0]

        after = q.expect(HEAP_LINE)
        used, peak, allocations, failures = (int(after[i]) for i in (2, 3, 4, 5))
        arena = int(after[1], 16)
        assert arena % 4096 == 0, f"arena {arena:#x} not page aligned"
        assert allocations > 0 and failures == 0, after[0]
        assert 0 < peak <= HEAP and used <= peak, after[0]
        # The demo's vector doubled from 4 to 128 eight-byte elements: 4+8+...+128 = 252 words
        # at least were handed out at the peak.
        assert peak >= 128 * 8, f"peak {peak} too small for a 128-element vector"
        q.expect(rb"keel: boot complete on hart 0; type .help.")
        q.expect(rb"keel> ")


run_checks([boots_to_banner_with_heap_line])
