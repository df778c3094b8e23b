# SPDX-License-Identifier: MIT
"""gdb for keel's QEMU harness (harness.py): gdb driven one command at a time against QEMU's gdb
stub, the port the stub listens on, and the numbers gdb prints."""
import os
import re
import shutil
import socket

from harness_process import Process


def gdb_value(output):
    """The number in gdb's `$N = 123` (or `$N = (void *) 0x...`) output."""
    match = re.search(r"\$\d+ = (?:\([^)]*\) )?(0x[0-9a-f]+|\d+)", output)
    assert match, f"no value in gdb output: {output!r}"
    return int(match[1], 0)


def gdb_program():
    """gdb-multiarch, or riscv64-unknown-elf-gdb where that is what the machine has."""
    for name in ("gdb-multiarch", "riscv64-unknown-elf-gdb"):
        if shutil.which(name):
            return name
    return "gdb-multiarch"


class Gdb(Process):
    """gdb driven one command at a time; each command has its own deadline."""

    def __init__(self, elf, port, deadline=60.0, init=None, cwd=None):
        # QEMU may be slow to answer on a busy host: its stub's socket listens before QEMU starts
        # (harness.Qemu), so gdb's connection is taken at once, and its first packet waits for
        # QEMU's answer for as long as it takes to start (gdb's own default: 2 s), within the
        # session's deadline.
        command = [gdb_program(), "-q", "-nx", "-iex", f"set remotetimeout {int(deadline)}", elf]
        if init:
            command += ["-x", init]
        env = dict(os.environ, GDB_PORT=str(port))
        super().__init__(command, deadline, "install gdb-multiarch (scripts/install-deps.sh)",
                         env=env, cwd=cwd)
        self._serial = 0

    def run(self, command, timeout=10.0):
        """Runs one gdb command and returns what it printed; raises Timeout past `timeout`."""
        self._serial += 1
        marker = f"@@keel-done-{self._serial}@@"
        self.send(f"{command}\necho {marker}\\n\n")
        start = self.cursor
        match = self.expect(re.escape(marker) + r"\n", timeout)
        text = self.output[start:match.start()].decode("utf-8", "replace")
        return text.replace("(gdb) ", "")  # gdb prompts even when its input is a pipe


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
