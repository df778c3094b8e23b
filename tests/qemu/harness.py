# SPDX-License-Identifier: MIT
"""keel's one QEMU harness (Python standard library only).

It builds the QEMU command line (also used by `make run`), boots a kernel with its serial console
on a pipe, waits for text with a deadline, types into the console, and always reaps QEMU: every
wait has a timeout and the whole session has a hard deadline after which QEMU is killed.
"""
import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

QEMU = "qemu-system-riscv64"
ESCAPE_KEY = 0x1d  # Ctrl-]: QEMU's escape key under make run (-echr)
# ...and the kernel is told so (it cannot see -echr), for its "Ctrl-] then x quits" hint.
ESCAPE_BOOTARG = f"qemu.echr={ESCAPE_KEY:#x}"


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


class Timeout(AssertionError):
    pass


# Every child still running when the script ends is killed, however it ends: normally, by an
# exception, or by SIGTERM/SIGHUP (CTest's timeout, a closed terminal). QEMU runs in a session of
# its own, so nothing else would stop it.
_live = set()


def _kill_all():
    for process in list(_live):
        process.kill()


def _terminated(signum, frame):
    _kill_all()
    sys.exit(128 + signum)


atexit.register(_kill_all)
for _signal in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(_signal, _terminated)


class Process:
    """A child process whose output a test reads (with deadlines) and whose input it writes.
    A hard deadline kills the process group; every wait is bounded by it.

    `output` is what the process wrote with each CR LF turned into LF (a UART's line ends), so
    patterns can say \\n; `raw` keeps the exact bytes for tests about terminal control."""

    def __init__(self, command, deadline, missing_hint, env=None, cwd=None, terminal=False,
                 pipe_size=None, pass_fds=()):
        """terminal: run the command on a new pseudo-terminal (its controlling terminal, as in a
        shell window) instead of pipes, so that Ctrl-C is a signal and programs see a tty.
        pipe_size: the bytes its output pipe holds (F_SETPIPE_SZ; at least a page), for a test that
        stops reading (stop_reading) and wants the process to find it full soon.
        pass_fds: descriptors the command inherits (a listening socket)."""
        self.command = command
        self.terminal = terminal
        self.deadline = time.monotonic() + deadline
        self.output = bytearray()
        self.raw = bytearray()
        self._held_cr = b""  # CRs at the end of a chunk wait to see if LF follows
        self.cursor = 0  # expect() searches from here; it moves past each match
        self._cond = threading.Condition()
        self._eof = False
        self._reading = threading.Event()  # cleared by stop_reading()
        self._reading.set()
        try:
            if terminal:
                import fcntl
                import pty
                import termios
                self._master, slave = pty.openpty()
                self.proc = subprocess.Popen(
                    command, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                    env=env, cwd=cwd, pass_fds=pass_fds,
                    preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
                os.close(slave)
            else:
                self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, start_new_session=True,
                                             env=env, cwd=cwd, pass_fds=pass_fds)
                self._master = None
        except FileNotFoundError:
            raise SystemExit(f"{command[0]} not found: {missing_hint}")
        if pipe_size is not None:
            import fcntl
            fcntl.fcntl(self.proc.stdout.fileno(), 1031, pipe_size)  # F_SETPIPE_SZ
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        _live.add(self)
        self._watchdog = threading.Timer(deadline, self.kill)
        self._watchdog.daemon = True
        self._watchdog.start()

    def _read(self):
        fd = self._master if self.terminal else self.proc.stdout.fileno()
        while True:
            self._reading.wait()
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a pty master reads EIO once the last process on the slave is gone
                chunk = b""
            with self._cond:
                if not chunk:
                    self.output += self._held_cr
                    self._eof = True
                    self._cond.notify_all()
                    return
                self.raw += chunk
                self._append_normalized(chunk)
                self._cond.notify_all()

    def _append_normalized(self, chunk):
        chunk = self._held_cr + chunk
        held = len(chunk) - len(chunk.rstrip(b"\r"))  # CRs at the end wait to see if LF follows
        self._held_cr = chunk[len(chunk) - held:]
        chunk = chunk[:len(chunk) - held]
        # A UART sends CR LF; a tty adds CR to LF, and QEMU -nographic once more: CR CR LF.
        self.output += re.sub(rb"\r+\n", b"\n", chunk) if self.terminal else chunk.replace(b"\r\n", b"\n")

    def text(self, start=0):
        with self._cond:
            return self.output[start:].decode("utf-8", "replace")

    def expect(self, pattern, timeout=10.0, since=None):
        """Waits until `pattern` (a regex, bytes or str) appears after the cursor; returns the match.
        With `since` (an offset into the output, taken before a command) it looks from there
        instead: a background line may come before that command's prompt, or after it.

        A match is taken the moment it appears, so a pattern that ends in a variable-length part
        such as (\\d+) must also match what follows it (a comma, \\n): otherwise it can match the
        first digits of a number whose rest has not arrived yet."""
        if isinstance(pattern, str):
            pattern = pattern.encode()
        regex = re.compile(pattern)
        until = min(time.monotonic() + timeout, self.deadline)
        with self._cond:
            while True:
                match = regex.search(self.output, self.cursor if since is None else since)
                if match:
                    self.cursor = max(self.cursor, match.end())
                    return match
                left = until - time.monotonic()
                if left <= 0 or self._eof:
                    why = f"{self.command[0]} exited" if self._eof else f"no match within {timeout:.1f} s"
                    raise Timeout(f"{why} waiting for {pattern!r}\n--- output ---\n"
                                  + self.output.decode("utf-8", "replace") + "\n--- end ---")
                self._cond.wait(left)

    def expect_all(self, patterns, timeout=10.0):
        """Waits until every pattern has appeared after the cursor, in whatever order they come
        (lines from different tasks promise no order); moves the cursor past the last of them and
        returns their matches, in the order of `patterns`."""
        regexes = [re.compile(p.encode() if isinstance(p, str) else p) for p in patterns]
        until = min(time.monotonic() + timeout, self.deadline)
        with self._cond:
            while True:
                matches = [r.search(self.output, self.cursor) for r in regexes]
                if all(matches):
                    self.cursor = max(m.end() for m in matches)
                    return matches
                left = until - time.monotonic()
                if left <= 0 or self._eof:
                    missing = [r.pattern for r, m in zip(regexes, matches) if not m]
                    why = f"{self.command[0]} exited" if self._eof else f"no match within {timeout:.1f} s"
                    raise Timeout(f"{why} waiting for {missing!r}\n--- output ---\n"
                                  + self.output.decode("utf-8", "replace") + "\n--- end ---")
                self._cond.wait(left)

    def stop_reading(self):
        """Stops taking the process's output, as a terminal does after Ctrl-S: once its pipe is
        full, the process's writes find no room."""
        assert not self.terminal, "stop_reading: for a process on pipes"
        self._reading.clear()

    def resume_reading(self):
        self._reading.set()

    def unread_output(self):
        """How many bytes of the process's output wait in its pipe, not taken (FIONREAD)."""
        import fcntl
        import termios
        count = bytearray(4)
        fcntl.ioctl(self.proc.stdout.fileno(), termios.FIONREAD, count)
        return int.from_bytes(count, sys.byteorder)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        if self.terminal:
            os.write(self._master, data)
            return
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_exit(self, timeout=10.0):
        """Waits for the process to exit on its own; returns its status or raises Timeout."""
        try:
            return self.proc.wait(timeout=max(0.0, min(timeout, self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            raise Timeout(f"{self.command[0]} still running after {timeout:.1f} s\n--- output ---\n"
                          + self.text())

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass

    def close(self):
        self._watchdog.cancel()
        self.kill()
        self._reading.set()  # the reader runs on to the end of the output
        self.proc.wait()
        self._reader.join(timeout=5)
        if self._master is not None:
            os.close(self._master)
            self._master = None
        _live.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


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

    def _echo_came(self, seen, piece, timeout=1.0):
        """Whether `piece` was echoed after output byte `seen`, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if piece in self.output[seen:]:
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


def layout(kernel):
    """keel's memory map as the build of `kernel` wrote it: keel_layout.py beside it, made from
    include/keel/arch/riscv/memlayout.h (cmake/layout.py.in). Tests take numbers from here."""
    import runpy
    import types
    values = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(kernel)), "keel_layout.py"))
    return types.SimpleNamespace(**{name: value for name, value in values.items() if name.isupper()})


def text_range(elf):
    """(start, end) of the executable bytes of an ELF64 file: its PF_X LOAD segments (stdlib only)."""
    import struct
    with open(elf, "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    start, end = None, None
    for i in range(phnum):
        p_type, p_flags, _, p_vaddr, _, _, p_memsz = struct.unpack_from("<IIQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:  # PT_LOAD, PF_X
            start = p_vaddr if start is None else min(start, p_vaddr)
            end = p_vaddr + p_memsz if end is None else max(end, p_vaddr + p_memsz)
    return start, end


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


def symbol(elf, name):
    """The address of symbol `name` in `elf` (nm from the cross binutils, llvm's, or the host's)."""
    nm = shutil.which("riscv64-unknown-elf-nm") or shutil.which("llvm-nm") or "nm"
    out = subprocess.run([nm, elf], capture_output=True, text=True, check=True, timeout=30).stdout
    match = re.search(rf"^([0-9a-f]+) \w {re.escape(name)}$", out, re.M)
    assert match, f"{name} is not in {elf}"
    return int(match[1], 16)


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
        # (Qemu above), so gdb's connection is taken at once, and its first packet waits for
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
