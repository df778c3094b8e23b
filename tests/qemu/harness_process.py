# SPDX-License-Identifier: MIT
"""The child processes keel's QEMU harness drives (harness.py): QEMU, gdb, make.

A Process reads its child's output on a thread of its own, waits for text in it with a deadline,
writes to its input, and always reaps it: every wait has a timeout, the whole session has a hard
deadline after which the child's process group is killed, and every child still running when the
script ends is killed too.
"""
import atexit
import os
import re
import signal
import subprocess
import sys
import threading
import time


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
