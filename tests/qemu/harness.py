# SPDX-License-Identifier: MIT
"""keel's one QEMU harness (Python standard library only).

It builds the QEMU command line (also used by `make run`), boots a kernel with its serial console
on a pipe, waits for text with a deadline, types into the console, and always reaps QEMU: every
wait has a timeout and the whole session has a hard deadline after which QEMU is killed.

Tests and scripts import everything from here (`from harness import KeelShell, run_checks`); its
parts live beside it: harness_process.py (a child process driven with deadlines), harness_gdb.py
(gdb against QEMU's stub), harness_image.py (what a test reads from the built kernel).
"""
import os
import re
import socket
import subprocess
import sys
import time

from harness_gdb import Gdb, free_port, gdb_program, gdb_value
from harness_image import layout, symbol, text_range
from harness_process import Process, Timeout

__all__ = ["QEMU", "ESCAPE_KEY", "ESCAPE_BOOTARG", "qemu_command", "Timeout", "Process", "Qemu",
           "KeelShell", "screen", "virt_tree", "layout", "text_range", "symbol", "Gdb", "gdb_program",
           "gdb_value", "free_port", "run_checks"]

QEMU = "qemu-system-riscv64"
ESCAPE_KEY = 0x1d  # Ctrl-]: QEMU's escape key under make run (-echr)
# ...and the kernel is told so (it cannot see -echr), for its "Ctrl-] then x quits" hint.
ESCAPE_BOOTARG = f"qemu.echr={ESCAPE_KEY:#x}"


# Time for a job started at busybox ash to start, as a person leaves it: ash has forked it, made
# its group the foreground (or not, with &), set its signals back (until then the interactive
# shell's "ignore" of SIGTERM holds: a `kill %1` sooner is lost), and it runs its program.
JOB_STARTS = 1.5

def qemu_command(kernel, machine="virt", smp=1, mem="128M", bios="default", append=None,
                 interactive=False, gdb_port=None, gdb_fd=None, extra=()):
    """The QEMU command line that boots `kernel` on `machine` with OpenSBI as firmware.
    With gdb_port, QEMU starts halted (-S) and waits for gdb on that local TCP port; with gdb_fd,
    on the listening socket the caller made (and passes down as that descriptor)."""
    cmd = [QEMU, "-machine", machine, "-bios", bios, "-smp", str(smp), "-m", str(mem)]
    if machine == "sifive_u":
        # Its only way to end is a reset line (GPIO 10): QEMU ends on it only with -no-reboot.
        cmd += ["-no-reboot"]
    if kernel:
        cmd += ["-kernel", kernel]
    if gdb_fd is not None:
        # nodelay=on, as QEMU sets for its own tcp: gdb device: without it each packet (gdb's
        # interrupt among them) waits on Nagle's algorithm and the peer's delayed ACKs.
        cmd += ["-S", "-chardev", f"socket,id=gdb,fd={gdb_fd},server=on,wait=off,nodelay=on",
                "-gdb", "chardev:gdb"]
    elif gdb_port:
        cmd += ["-S", "-gdb", f"tcp:127.0.0.1:{gdb_port}"]
    if interactive:
        # Serial + monitor on the terminal. QEMU's escape key moves from Ctrl-A (which keel's line
        # editor uses) to Ctrl-] (0x1d): Ctrl-] x quits, Ctrl-] c toggles the monitor.
        cmd += ["-nographic", "-echr", str(ESCAPE_KEY)]
        append = f"{append} {ESCAPE_BOOTARG}" if append else ESCAPE_BOOTARG
    else:
        # Serial alone on stdio, no monitor multiplexer: every byte a test sends reaches the UART.
        cmd += ["-display", "none", "-serial", "stdio", "-monitor", "none"]
    if append:
        cmd += ["-append", append]
    return cmd + list(extra)


class Qemu(Process):
    """A running QEMU whose serial console the test reads and writes."""

    def __init__(self, kernel, deadline=30.0, pipe_size=None, gdb_port=None, **options):
        # gdb connects once, at once. The stub's socket is made here and listens before QEMU even
        # starts, so that gdb's connection waits in its backlog until QEMU takes it, however long
        # a busy host makes QEMU's start; and a port some other program took is an error here,
        # not a gdb that talks to that program.
        listener = None
        if gdb_port:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", gdb_port))
            listener.listen(1)
            options["gdb_fd"] = listener.fileno()
        try:
            super().__init__(qemu_command(kernel, **options), deadline,
                             "install qemu-system-misc (scripts/install-deps.sh)",
                             pipe_size=pipe_size, pass_fds=[listener.fileno()] if listener else ())
        finally:
            if listener:
                listener.close()  # QEMU holds its own copy


class KeelShell(Qemu):
    """keel booted to its prompt; run() types a line and returns what the command printed."""

    PROMPT = b"keel> "
    # A fresh prompt starts a line (or a cleared screen); a redrawn one follows a bare CR.
    NEXT_PROMPT = rb"(?:\n|\x1b\[2J)keel> "

    def __init__(self, kernel, deadline=60, key_delay=0.0, wait=True, echoed=False, **options):
        """key_delay: seconds between typed bytes, for consoles that lose bytes sent in a burst
        (QEMU spike's HTIF console holds one byte at a time). echoed: each printable byte typed is
        waited for, as the shell's echo, and typed again if none came (on a loaded host spike's
        HTIF may drop a key for the next; only where what is typed is echoed: at keel's prompt).
        wait=False: do not wait for the prompt (for boots through a loader the test drives first)."""
        super().__init__(kernel, deadline=deadline, **options)
        self.key_delay = key_delay
        self.echoed = echoed
        if wait:
            self.wait_for_prompt()

    def wait_for_prompt(self, timeout=20):
        self.expect(rb"boot complete on hart \d+; type 'help'", timeout)
        self.expect(self.PROMPT)

    def type(self, data):
        """Sends bytes in small pieces, giving the 256-byte receive ring time to drain."""
        data = data.encode() if isinstance(data, str) else data
        step = 1 if self.key_delay or self.echoed else 64
        for i in range(0, len(data), step):
            piece = data[i:i + step]
            for _ in range(3 if self.echoed and 0x20 <= piece[0] < 0x7f else 1):
                seen = len(self.output)
                self.send(piece)
                time.sleep(self.key_delay or 0.005)
                if self.echoed and not self._echo_came(seen, piece):
                    continue
                break

    # A line another task printed while the shell's line was kept: the shell erases its line
    # first ("\r\x1b[K"), prints it, and draws its line again below (the typed text with it).
    # One still arriving counts too: an echo never lands inside it.
    BACKGROUND_LINE = re.compile(rb"\r\x1b\[K[^\n]*(\n|$)")

    def _echo_came(self, seen, piece, timeout=1.0):
        """Whether `piece` was echoed after output byte `seen`, within `timeout` seconds: a
        background line that happens to hold it is no echo (a key sent on after it would be lost
        on spike, whose console holds one key)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if piece in self.BACKGROUND_LINE.sub(b"", self.output[seen:]):
                return True
            time.sleep(0.005)
        return False

    def run(self, line, timeout=10):
        """Types `line` and Enter; returns the output between the echoed line and the next prompt."""
        start = len(self.output)
        self.type(line)
        self.type(b"\r")
        self.expect(self.NEXT_PROMPT, timeout)
        text = self.output[start:self.cursor - len(self.PROMPT)].decode("utf-8", "replace")
        return text.split("\n", 1)[1] if "\n" in text else ""


def screen(text):
    """`text` as a terminal shows it, line by line: what follows each line's last carriage return,
    without erase-to-end sequences (keel's shell erases its prompt before a background line and
    draws it again after it)."""
    return "\n".join(line.rsplit("\r", 1)[-1].replace("\x1b[K", "") for line in text.split("\n"))


def virt_tree(directory, *edits, name, dtc="dtc"):
    """QEMU virt's tree (128 MiB, one hart) with each (regex, replacement) applied to its source,
    compiled into `directory`; returns the .dtb path."""
    dtb = os.path.join(directory, "virt.dtb")
    if not os.path.exists(dtb):
        subprocess.run([QEMU, "-machine", f"virt,dumpdtb={dtb}", "-bios", "default", "-smp", "1", "-m", "128M",
                        "-display", "none"], check=True, capture_output=True, timeout=60)
    source = subprocess.run([dtc, "-I", "dtb", "-O", "dts", dtb], check=True, capture_output=True,
                            text=True, timeout=60).stdout
    for pattern, replacement in edits:
        source, count = re.subn(pattern, replacement, source)
        assert count > 0, f"{pattern!r} is not in QEMU's tree"
    out = os.path.join(directory, name + ".dtb")
    subprocess.run([dtc, "-I", "dts", "-O", "dtb", "-o", out, "-"], input=source, check=True,
                   capture_output=True, text=True, timeout=60)
    return out


def run_checks(checks, only=None):
    """Runs named check functions (those named in `only`, if given); prints one line each and
    exits non-zero if any fails."""
    failed = 0
    if only:
        unknown = set(only) - {c.__name__ for c in checks}
        if unknown:
            sys.exit(f"no such check: {', '.join(sorted(unknown))}")
        checks = [c for c in checks if c.__name__ in only]
    for check in checks:
        started = time.monotonic()
        try:
            check()
            print(f"PASS {check.__name__} ({time.monotonic() - started:.2f} s)")
        except AssertionError as error:
            failed += 1
            print(f"FAIL {check.__name__}: {error}")
    sys.exit(1 if failed else 0)
