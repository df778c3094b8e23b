#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every documented way to configure keel with plain CMake works, and names its toolchain right.

README "Toolchains": -DKEEL_TOOLCHAIN=gcc|linux-gnu|clang, or -DCMAKE_TOOLCHAIN_FILE= one of the
three files in cmake/. Each is configured (not built) in a scratch directory, tests included, and
its cache must say the toolchain the file chose. Switching toolchains in a used build directory
is refused with a message that says to use a new one.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--cmake", default="cmake")
args = parser.parse_args()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WAYS = [
    (["-DKEEL_TOOLCHAIN=gcc"], "gcc"),
    (["-DKEEL_TOOLCHAIN=linux-gnu"], "linux-gnu"),
    (["-DKEEL_TOOLCHAIN=clang"], "clang"),
    (["-DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-elf-gcc.cmake"], "gcc"),
    (["-DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-linux-gnu-gcc.cmake"], "linux-gnu"),
    (["-DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-clang.cmake"], "clang"),
]


def configure(build, options):
    return subprocess.run([args.cmake, "-S", REPO, "-B", build, *options], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def cached(build, name):
    cache = open(os.path.join(build, "CMakeCache.txt")).read()
    match = re.search(rf"^{name}:[A-Z]+=(.*)$", cache, re.M)
    return match[1] if match else None


failures = []
scratch = tempfile.mkdtemp(prefix="keel-configure-")
try:
    for number, (options, toolchain) in enumerate(WAYS):
        build = os.path.join(scratch, str(number))
        run = configure(build, options)
        way = " ".join(options)
        if run.returncode != 0:
            failures.append(f"{way}: configure failed\n{run.stdout[-1500:]}{run.stderr[-1500:]}")
            continue
        if cached(build, "KEEL_TOOLCHAIN") != toolchain:
            failures.append(f"{way}: KEEL_TOOLCHAIN is {cached(build, 'KEEL_TOOLCHAIN')}, not {toolchain}")
        tests = subprocess.run(["ctest", "-N"], cwd=build, capture_output=True, text=True, timeout=60).stdout
        if f"qemu.boot.{toolchain}" not in tests:
            failures.append(f"{way}: no qemu.boot.{toolchain} test")
        print(f"ok   {way} -> {toolchain}")
    # A used directory keeps its toolchain.
    build = os.path.join(scratch, "0")
    run = configure(build, ["-DKEEL_TOOLCHAIN=clang"])
    if run.returncode == 0 or "use a new build directory" not in run.stdout + run.stderr:
        failures.append("switching a gcc build directory to clang was not refused with a hint")
    else:
        print("ok   switching toolchains in a used build directory is refused")
finally:
    shutil.rmtree(scratch, ignore_errors=True)

for failure in failures:
    print(f"FAIL {failure}")
sys.exit(1 if failures else 0)
