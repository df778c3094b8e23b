#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The test device trees compile without a single dtc warning (make test printed three once)."""
import glob
import os
import subprocess
import sys

dtc = sys.argv[1] if len(sys.argv) > 1 else "dtc"
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "host", "dts")
failed = False
for source in sorted(glob.glob(os.path.join(here, "*.dts"))):
    try:
        run = subprocess.run([dtc, "-I", "dts", "-O", "dtb", "-o", os.devnull, source], capture_output=True,
                             text=True, timeout=60)
    except FileNotFoundError:
        sys.exit(f"{dtc} not found: install device-tree-compiler (scripts/install-deps.sh does it)")
    if run.returncode != 0 or run.stderr.strip():
        failed = True
        print(f"{os.path.basename(source)}:\n{run.stderr.strip()}")
    else:
        print(f"ok   {os.path.basename(source)}")
sys.exit(1 if failed else 0)
