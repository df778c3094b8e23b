# SPDX-License-Identifier: MIT
"""What the user-mode tests (test_user.py, test_user_control.py) share: C programs built here with
glibc, initramfs archives made of files, and the free-page count that tells whether every page a
program had came back."""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MKCPIO = os.path.join(ROOT, "scripts", "mkcpio")


def free_pages(sh):
    return int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", sh.run("mem"), re.M)[1])


def glibc_program(work, name, source, static=True):
    """`source` built with riscv64-linux-gnu-gcc (static unless told) as work/NAME; its path."""
    gcc = shutil.which("riscv64-linux-gnu-gcc")
    assert gcc, "riscv64-linux-gnu-gcc not found: apt-get install g++-riscv64-linux-gnu (scripts/install-deps.sh)"
    source_path = os.path.join(work, name + ".c")
    with open(source_path, "w") as f:
        f.write(source)
    program = os.path.join(work, name)
    subprocess.run([gcc] + (["-static"] if static else []) + ["-O2", "-o", program, source_path],
                   check=True, timeout=120)
    return program


def make_initrd(work, *files, rootfs=False):
    """work/initrd.cpio of PATH=SOURCE `files` (and rootfs/ when asked); its path."""
    initrd = os.path.join(work, "initrd.cpio")
    command = [sys.executable, MKCPIO, initrd]
    if rootfs:
        command += ["--dir", os.path.join(ROOT, "rootfs")]
    for entry in files:
        command += ["--file", entry]
    subprocess.run(command, check=True, timeout=60)
    return initrd
