# SPDX-License-Identifier: MIT
"""The differential tests' runs (tests/linux/runs.txt), read by tests/qemu/test_linux.py and
scripts/linux-reference: one run of a program per line,

    NAME: [mem=SIZE] PROGRAM [ARGS...]

whose output on Linux is tests/linux/NAME.out when recorded (scripts/linux-reference), or else what
the program prints under qemu-riscv64 (Linux's syscalls as qemu-user emulates them)."""
import os
from dataclasses import dataclass, field

LINUX_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "linux"))


@dataclass
class Run:
    name: str
    argv: list = field(default_factory=list)
    mem: str = "256M"


def read_runs(path=os.path.join(LINUX_DIR, "runs.txt")):
    runs = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, rest = line.partition(":")
            words = rest.split()
            run = Run(name.strip())
            while words and "=" in words[0]:
                key, value = words.pop(0).split("=", 1)
                if key != "mem":
                    raise ValueError(f"{path}:{number}: unknown option {key}")
                run.mem = value
            if not run.name or not words:
                raise ValueError(f"{path}:{number}: expected NAME: [mem=SIZE] PROGRAM [ARGS...]")
            run.argv = words
            runs.append(run)
    return runs


def expected_path(run):
    return os.path.join(LINUX_DIR, run.name + ".out")
